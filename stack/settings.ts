// Typed, validated stack settings. Pure (no Pulumi import) so that every bad value fails at
// `pulumi preview` time with a message that names the config key and the fix.
import { DEFAULT_COLLECTOR_MEMORY_MIB, MIN_COLLECTOR_MEMORY_MIB } from "../collector/options";
import { SERVICE_PORTS } from "../topology";
import versions from "../versions.json";

export class StackConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`Invalid config observability-stack:${key}: ${problem}`);
    this.name = "StackConfigError";
  }
}

/** The services the stack runs as containers (topology/ knows a few more, run by other components). */
export type ServiceName = "collector" | "jaeger" | "victoriametrics" | "grafana";

/** A host port of the stack: the config key under `ports`, and the container port it publishes. */
interface PortDeclaration {
  readonly key: string;
  readonly containerPort: number;
}

/** Everything the stack's settings know about one service, declared once. */
interface ServiceDeclaration {
  /** Its name in the README's configuration table. */
  readonly label: string;
  /** Default image: repository and versions.json's version. */
  readonly image: string;
  /** The host ports it publishes; each defaults to the container port. */
  readonly ports: readonly PortDeclaration[];
  /** Container memory limit (MiB): default and the least it runs with. */
  readonly memoryMb: { readonly default: number; readonly min: number };
  /** Part of memoryBudgetMb (Jaeger's in-memory trace storage is capped on its own). */
  readonly budgeted: boolean;
  /** Docker `--cpus` default. */
  readonly cpus: number;
}

/** A Go service's memory floor (Jaeger, VictoriaMetrics): below it the runtime does not start. */
const MIN_GO_SERVICE_MEMORY_MB = 32;

// Memory: collector + VictoriaMetrics + Grafana = 368 MiB, under the 400 MiB budget; Jaeger (in-memory
// trace storage) is capped on its own. The end-to-end test checks the real collector's, Jaeger's and
// VictoriaMetrics' peak anonymous memory against these limits with 15% headroom (measured 2026-12-01
// with the dashboards' 239 queries: about 29, 12 and 98 MiB; VictoriaMetrics outgrew 96 MiB, and with
// it the former 250 MiB budget; 2026-12-03, with the e2e's `check` runs added (two more rounds of the
// dashboards' queries and series reads): 110.1 MiB, over 128 with the headroom, so 144). The
// collector's default lives in collector/options.ts, which renders the memory_limiter from it; it is
// 128, not its 29 MiB anonymous peak, because the limit also counts its binary's page cache (the real
// engine's `up` test checks that no container pages faster than a threshold).
// CPUs: a local stack on a developer's machine: the collector and VictoriaMetrics (which ingest and
// answer the dashboards' queries) and Grafana get one CPU each, Jaeger (in-memory traces) half of one.
// Go programs since Go 1.25 size GOMAXPROCS to this limit. Docker refuses at `up` a limit above the
// engine's CPU count.
/** The stack's services, declared once: defaults, parsing, config keys and the README table read it. */
export const SERVICES = Object.freeze({
  collector: {
    label: "collector",
    image: `otel/opentelemetry-collector:${versions.collector}`,
    ports: [
      { key: "otlpGrpc", containerPort: SERVICE_PORTS.collector.otlpGrpc },
      { key: "otlpHttp", containerPort: SERVICE_PORTS.collector.otlpHttp },
      { key: "collectorMetrics", containerPort: SERVICE_PORTS.collector.telemetry },
      { key: "collectorHealth", containerPort: SERVICE_PORTS.collector.health },
    ],
    memoryMb: { default: DEFAULT_COLLECTOR_MEMORY_MIB, min: MIN_COLLECTOR_MEMORY_MIB },
    budgeted: true,
    cpus: 1,
  },
  jaeger: {
    label: "Jaeger",
    image: `jaegertracing/jaeger:${versions.jaeger}`,
    ports: [{ key: "jaegerUi", containerPort: SERVICE_PORTS.jaeger.query }],
    memoryMb: { default: 128, min: MIN_GO_SERVICE_MEMORY_MB },
    budgeted: false,
    cpus: 0.5,
  },
  victoriametrics: {
    label: "VictoriaMetrics",
    image: `victoriametrics/victoria-metrics:${versions.victoriametrics}`,
    ports: [{ key: "victoriametrics", containerPort: SERVICE_PORTS.victoriametrics.http }],
    memoryMb: { default: 144, min: MIN_GO_SERVICE_MEMORY_MB },
    budgeted: true,
    cpus: 1,
  },
  grafana: {
    label: "Grafana",
    image: `grafana/grafana:${versions.grafana}`,
    ports: [{ key: "grafana", containerPort: SERVICE_PORTS.grafana.http }],
    memoryMb: { default: 96, min: 64 },
    budgeted: true,
    cpus: 1,
  },
} as const satisfies Record<ServiceName, ServiceDeclaration>);

const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

type PortKey = (typeof SERVICES)[ServiceName]["ports"][number]["key"];

/** One value per service. */
type PerService<T> = { readonly [S in ServiceName]: T };

export type Images = PerService<string>;

/** Host ports. Container ports are fixed by the images (topology/); these are where they are published. */
export type Ports = { readonly [K in PortKey]: number };

export type MemoryLimits = PerService<number>;

/** CPU limits (Docker `--cpus`, a CFS quota), in CPUs per container. */
export type CpuLimits = PerService<number>;

function perService<T>(f: (d: ServiceDeclaration, name: ServiceName) => T): PerService<T> {
  return Object.fromEntries(SERVICE_NAMES.map((n) => [n, f(SERVICES[n], n)])) as unknown as PerService<T>;
}

export const DEFAULT_IMAGES: Images = perService((d) => d.image);
export const DEFAULT_PORTS: Ports = Object.fromEntries(
  SERVICE_NAMES.flatMap((n) => SERVICES[n].ports.map((p) => [p.key, p.containerPort])),
) as unknown as Ports;
export const DEFAULT_MEMORY_MB: MemoryLimits = perService((d) => d.memoryMb.default);
export const DEFAULT_MEMORY_BUDGET_MB = 400;
export const DEFAULT_CPUS: CpuLimits = perService((d) => d.cpus);

/** Defaults of the plain (one-value) settings. */
export const DEFAULT_SCALARS = Object.freeze({
  definitions: "scotty",
  bindAddress: "127.0.0.1",
  retention: "30d",
  hostmetrics: true,
  debugExporter: false,
  exposeBeyondLoopback: false,
  deleteDataOnDestroy: false,
  namePrefix: "obs",
  networkName: "observability",
});

/** One config key: its default and its description, as the README's configuration table shows them. */
interface SettingDeclaration {
  /** Markdown. */
  readonly default: string;
  /** Markdown; "" for none. */
  readonly doc: string;
}

const code = (v: unknown): string => `\`${typeof v === "string" ? v : JSON.stringify(v)}\``;
const perServiceText = (v: PerService<number>): string => SERVICE_NAMES.map((n) => `${n} ${v[n]}`).join(", ");

/**
 * Every config key of the namespace `observability-stack` (`pulumi config set <key> <value>`) that
 * resolveSettings reads, in the README's order. program.ts reads exactly these keys.
 */
export const SETTINGS = Object.freeze({
  definitions: {
    default: code(DEFAULT_SCALARS.definitions),
    doc: "or a module path whose default export is a catalogue",
  },
  bindAddress: { default: code(DEFAULT_SCALARS.bindAddress), doc: "host address of the published ports" },
  ports: { default: code(DEFAULT_PORTS), doc: "a port used twice fails at preview" },
  images: {
    default: `\`versions.json\` (${SERVICE_NAMES.map((n) => `${SERVICES[n].label} ${versions[n]}`).join(", ")})`,
    doc: "exact tags only",
  },
  memoryMb: {
    default: perServiceText(DEFAULT_MEMORY_MB),
    doc: `MiB per container, at least ${SERVICE_NAMES.map((n) => `${n} ${SERVICES[n].memoryMb.min}`).join(", ")}`,
  },
  memoryBudgetMb: {
    default: String(DEFAULT_MEMORY_BUDGET_MB),
    doc: `${SERVICE_NAMES.filter((n) => SERVICES[n].budgeted)
      .map((n) => SERVICES[n].label)
      .join(" + ")} must fit`,
  },
  cpus: {
    default: perServiceText(DEFAULT_CPUS),
    doc: "CPUs per container (Docker `--cpus`), 0.1 to the engine's CPU count",
  },
  retention: {
    default: code(DEFAULT_SCALARS.retention),
    doc: "VictoriaMetrics `-retentionPeriod`, unit required, at least one day (checked at preview)",
  },
  hostmetrics: {
    default: code(DEFAULT_SCALARS.hostmetrics),
    doc: "the collector's host metrics receiver; also mounts the host's `/` read-only at `/hostfs`",
  },
  debugExporter: { default: code(DEFAULT_SCALARS.debugExporter), doc: "the collector's `debug` exporter" },
  exposeBeyondLoopback: {
    default: code(DEFAULT_SCALARS.exposeBeyondLoopback),
    doc: 'must be `true` for a `bindAddress` outside 127.0.0.0/8 (see "Security")',
  },
  deleteDataOnDestroy: {
    default: code(DEFAULT_SCALARS.deleteDataOnDestroy),
    doc: "`true`: `pulumi destroy` also removes the data volumes",
  },
  namePrefix: { default: code(DEFAULT_SCALARS.namePrefix), doc: "container, volume and network names" },
  networkName: {
    default: code(DEFAULT_SCALARS.networkName),
    doc: "the Docker network's name (after the prefix)",
  },
  existingGrafana: {
    default: "unset",
    doc:
      '`{"url":"https://grafana.example.com"}` (with the secret `grafanaToken`): no Grafana container; ' +
      "datasources, a folder and the dashboards are managed there through `@pulumiverse/grafana`",
  },
} as const satisfies Record<string, SettingDeclaration>);

/** The secret config keys (`pulumi config set --secret`), read by program.ts. */
export const SECRET_SETTINGS = Object.freeze({
  grafanaAdminPassword: { default: "generated", doc: "the Grafana container's admin password" },
  grafanaToken: { default: "unset", doc: "a service-account token of the `existingGrafana`" },
} as const satisfies Record<string, SettingDeclaration>);

export type SettingKey = keyof typeof SETTINGS;

/** The config keys resolveSettings reads, in declaration order. */
export const SETTING_KEYS = Object.keys(SETTINGS) as readonly SettingKey[];

/** Raw values as they come from Pulumi config (any may be missing or of the wrong type). */
export type RawSettings = { readonly [K in SettingKey]?: unknown };

/**
 * The README's configuration table (header and one row per key), made from the declarations above:
 * README.md must hold exactly these lines (stack/settings.test.ts checks it).
 */
export function configurationTable(): string[] {
  const row = (key: string, d: SettingDeclaration): string => `| \`${key}\` | ${d.default} | ${d.doc} |`;
  return [
    "| key | default | |",
    "| --- | --- | --- |",
    ...Object.entries(SETTINGS).map(([k, d]) => row(k, d)),
    ...Object.entries(SECRET_SETTINGS).map(([k, d]) => row(k, d).replace(/^\| `(\w+)`/, "| `$1` (secret)")),
  ];
}

/** Memory limits (MiB) as the stack applies them, and the budgeted total; computed only here. */
export interface MemoryBudget extends MemoryLimits {
  /** The budgeted containers' sum (collector + VictoriaMetrics + Grafana, unless Grafana is external). */
  readonly budgetedTotal: number;
}

export interface ExistingGrafanaSettings {
  readonly url: string;
  /**
   * Datasource URLs as that Grafana reaches them (it is not on the stack's Docker network).
   * @default `http://<bindAddress>:<ports.victoriametrics>`
   */
  readonly victoriaMetricsUrl: string;
  /** @default `http://<bindAddress>:<ports.jaegerUi>` */
  readonly jaegerUrl: string;
}

export interface StackSettings {
  /**
   * "scotty" or the path of a module whose default export is a catalogue.
   * @default "scotty"
   */
  readonly definitions: string;
  /** @default DEFAULT_IMAGES (versions.json) */
  readonly images: Images;
  /** @default "127.0.0.1" */
  readonly bindAddress: string;
  /** @default DEFAULT_PORTS (each container port) */
  readonly ports: Ports;
  /**
   * Memory limits in MiB.
   * @default DEFAULT_MEMORY_MB
   */
  readonly memoryMb: MemoryLimits;
  /**
   * Budget for collector + VictoriaMetrics + Grafana, in MiB (Jaeger is capped on its own).
   * @default DEFAULT_MEMORY_BUDGET_MB
   */
  readonly memoryBudgetMb: number;
  /** memoryMb as applied (Grafana 0 when external) and the budgeted total. Derived, not a config key. */
  readonly memoryBudget: MemoryBudget;
  /**
   * CPU limit of each container.
   * @default DEFAULT_CPUS
   */
  readonly cpus: CpuLimits;
  /**
   * VictoriaMetrics -retentionPeriod, with an explicit unit (a bare number would mean months).
   * @default "30d"
   */
  readonly retention: string;
  /** @default true */
  readonly hostmetrics: boolean;
  /** @default false */
  readonly debugExporter: boolean;
  /** @default "observability" */
  readonly networkName: string;
  /**
   * Prefix of container, volume and network names, so two stacks can live on one engine.
   * @default "obs"
   */
  readonly namePrefix: string;
  /** @default undefined (a Grafana container) */
  readonly existingGrafana?: ExistingGrafanaSettings;
  /**
   * Delete the data volumes (metrics history, Grafana database) on `pulumi destroy`.
   * @default false (the volumes survive destroy and every config change)
   */
  readonly deleteDataOnDestroy: boolean;
  /**
   * Acknowledges that a bindAddress outside 127.0.0.0/8 publishes every port of the stack (OTLP
   * receivers, the Jaeger UI and API, VictoriaMetrics' API, Grafana over plain HTTP) to the network,
   * past host firewalls such as ufw. Required for such a bindAddress.
   * @default false
   */
  readonly exposeBeyondLoopback: boolean;
  /**
   * The Jaeger UI as a browser reaches it, for dashboard links. Derived, not a config key.
   * @default `http://<bindAddress>:<ports.jaegerUi>`
   */
  readonly jaegerUiUrl: string;
}

/**
 * The `cpus` text for the Docker provider: the text it reads back from the engine for this many CPUs,
 * so that `pulumi preview` after `up` shows no diff. The provider (5.2.0, `nanoInt64ToDecimalString`)
 * prints Docker's NanoCpus with 9 decimals, then rounds to one decimal when that text holds exactly
 * nine zeros (1 -> "1.0", 0.05 -> "0.1"!) and otherwise trims trailing zeros (10 -> "10.",
 * 1.25 -> "1.25"). Docker's parser takes both forms. {@link resolveSettings} refuses a value that
 * does not read back as itself.
 */
export function dockerCpus(cpus: number): string {
  const nano = Math.round(cpus * 1e9);
  if (nano === 0) return "0";
  const text = `${Math.floor(nano / 1e9)}.${String(nano % 1e9).padStart(9, "0")}`;
  if ((text.match(/0/g) ?? []).length === 9) {
    // Go's big.Rat FloatString(1): to the nearest, halves away from zero.
    const tenths = Math.round(nano / 1e8);
    return `${Math.floor(tenths / 10)}.${tenths % 10}`;
  }
  return text.replace(/0+$/, "");
}

function cpuLimit(key: string, raw: unknown, dflt: number): number {
  if (raw === undefined) return dflt;
  const n = typeof raw === "string" && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (
    typeof n !== "number" ||
    !Number.isFinite(n) ||
    n < 0.1 ||
    n > 1024 ||
    Math.abs(Math.round(n * 100) - n * 100) > 1e-6
  ) {
    throw new StackConfigError(
      key,
      `expected a number of CPUs from 0.1 to 1024 with at most two decimals (such as 0.5 or 2), got ${JSON.stringify(raw)}.`,
    );
  }
  if (Number(dockerCpus(n)) !== n) {
    throw new StackConfigError(
      key,
      `${n} CPUs would read back from Docker as ${dockerCpus(n)} (a rounding of the Docker provider), and every ` +
        `preview would show a change. Fix: use ${Number(dockerCpus(n)) || 0.1} or another value with fewer decimals.`,
    );
  }
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function objectOf(key: string, raw: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw new StackConfigError(key, `expected an object with keys ${allowed.join(", ")}.`);
  const unknown = Object.keys(raw).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw new StackConfigError(key, `unknown key "${unknown[0]}". Allowed: ${allowed.join(", ")}.`);
  }
  return raw;
}

function bool(key: string, raw: unknown, dflt: boolean): boolean {
  if (raw === undefined) return dflt;
  if (typeof raw === "boolean") return raw;
  if (raw === "true" || raw === "false") return raw === "true";
  throw new StackConfigError(key, `expected true or false, got ${JSON.stringify(raw)}.`);
}

function str(key: string, raw: unknown, dflt: string, pattern?: RegExp, hint?: string): string {
  if (raw === undefined) return dflt;
  if (typeof raw !== "string" || raw === "" || (pattern !== undefined && !pattern.test(raw))) {
    throw new StackConfigError(key, `${JSON.stringify(raw)} is not valid${hint ? `: ${hint}` : ""}.`);
  }
  return raw;
}

function int(key: string, raw: unknown, dflt: number, min: number, max: number): number {
  if (raw === undefined) return dflt;
  const n = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
    throw new StackConfigError(key, `expected an integer from ${min} to ${max}, got ${JSON.stringify(raw)}.`);
  }
  return n;
}

const MAX_MEMORY_MB = 65536;

const IMAGE = /^([a-z0-9.-]+(:\d+)?\/)?[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?(@sha256:[a-f0-9]{64})?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function image(key: string, raw: unknown, dflt: string): string {
  const v = str(key, raw, dflt, IMAGE, "a Docker image reference such as grafana/grafana:13.2.3");
  // A floating tag makes `pulumi preview` drift under the user: require an exact tag or digest.
  if (!/[:@]/.test(v.replace(/^[^/]*:\d+\//, "")) || /:latest$/.test(v)) {
    throw new StackConfigError(
      key,
      `"${v}" has no exact tag. Fix: pin a version tag or a digest (not :latest).`,
    );
  }
  return v;
}

function url(key: string, raw: unknown): string {
  const v = str(key, raw, "");
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new StackConfigError(key, `${JSON.stringify(v)} is not a URL. Fix: give an http(s):// URL.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new StackConfigError(key, `${JSON.stringify(v)} must be an http or https URL.`);
  }
  return v.replace(/\/+$/, "");
}

const HOURS_PER_UNIT: Readonly<Record<string, number>> = { h: 1, d: 24, w: 24 * 7, y: 24 * 365 };

/**
 * VictoriaMetrics -retentionPeriod: a number with a unit. A bare number would mean months, and
 * VictoriaMetrics refuses to start (a crash loop at `pulumi up`) below one day, so both fail here.
 */
function retention(raw: unknown): string {
  const v = str(
    "retention",
    raw,
    DEFAULT_SCALARS.retention,
    /^\d+[hdwy]$/,
    'a number with a unit h, d, w or y such as "30d" (a bare number would mean months)',
  );
  const hours = Number(v.slice(0, -1)) * (HOURS_PER_UNIT[v.slice(-1)] ?? 0);
  if (hours < 24) {
    throw new StackConfigError(
      "retention",
      `"${v}" is shorter than one day, the least VictoriaMetrics accepts (it would not start). Fix: use "1d" or more.`,
    );
  }
  return v;
}

function browserHost(bindAddress: string): string {
  return bindAddress === "0.0.0.0" ? "localhost" : bindAddress;
}

/** Validates raw config values and fills in defaults. Throws {@link StackConfigError}. */
export function resolveSettings(raw: RawSettings): StackSettings {
  const unknownKeys = Object.keys(raw).filter((k) => !(k in SETTINGS));
  if (unknownKeys.length > 0) {
    throw new StackConfigError(
      unknownKeys[0] as string,
      `not a setting of the stack. Fix: use one of ${SETTING_KEYS.join(", ")}.`,
    );
  }
  const definitions = str("definitions", raw.definitions, DEFAULT_SCALARS.definitions);
  const imgRaw = objectOf("images", raw.images, SERVICE_NAMES);
  const images = perService((d, n) => image(`images.${n}`, imgRaw[n], d.image));
  const bindAddress = str(
    "bindAddress",
    raw.bindAddress,
    DEFAULT_SCALARS.bindAddress,
    IPV4,
    "an IPv4 address such as 127.0.0.1 or 0.0.0.0",
  );

  const exposeBeyondLoopback = bool(
    "exposeBeyondLoopback",
    raw.exposeBeyondLoopback,
    DEFAULT_SCALARS.exposeBeyondLoopback,
  );
  if (!bindAddress.startsWith("127.") && !exposeBeyondLoopback) {
    throw new StackConfigError(
      "bindAddress",
      `${bindAddress} publishes every port of the stack beyond this machine (OTLP receivers, the Jaeger ` +
        `UI and API, VictoriaMetrics' API, Grafana over plain HTTP), past host firewalls such as ufw. ` +
        `Fix: keep 127.0.0.1, or acknowledge it with pulumi config set observability-stack:exposeBeyondLoopback true ` +
        `(see README, "Security").`,
    );
  }

  const portsRaw = objectOf("ports", raw.ports, Object.keys(DEFAULT_PORTS));
  const ports = Object.fromEntries(
    (Object.keys(DEFAULT_PORTS) as (keyof Ports)[]).map((k) => [
      k,
      int(`ports.${k}`, portsRaw[k], DEFAULT_PORTS[k], 1, 65535),
    ]),
  ) as unknown as Ports;
  const seen = new Map<number, string>();
  for (const [k, p] of Object.entries(ports)) {
    const other = seen.get(p);
    if (other !== undefined) {
      throw new StackConfigError(
        `ports.${k}`,
        `host port ${p} is already used by ports.${other}. Fix: give one of them another port.`,
      );
    }
    seen.set(p, k);
  }

  const memRaw = objectOf("memoryMb", raw.memoryMb, SERVICE_NAMES);
  const memoryMb = perService((d, n) =>
    int(`memoryMb.${n}`, memRaw[n], d.memoryMb.default, d.memoryMb.min, MAX_MEMORY_MB),
  );
  const memoryBudgetMb = int("memoryBudgetMb", raw.memoryBudgetMb, DEFAULT_MEMORY_BUDGET_MB, 1, 1 << 20);
  const cpusRaw = objectOf("cpus", raw.cpus, SERVICE_NAMES);
  const cpus = perService((d, n) => cpuLimit(`cpus.${n}`, cpusRaw[n], d.cpus));

  const existingRaw =
    raw.existingGrafana === undefined
      ? undefined
      : objectOf("existingGrafana", raw.existingGrafana, ["url", "victoriaMetricsUrl", "jaegerUrl"]);
  const host = browserHost(bindAddress);
  const existingGrafana: ExistingGrafanaSettings | undefined =
    existingRaw === undefined
      ? undefined
      : {
          url: url("existingGrafana.url", existingRaw.url),
          victoriaMetricsUrl:
            existingRaw.victoriaMetricsUrl === undefined
              ? `http://${host}:${ports.victoriametrics}`
              : url("existingGrafana.victoriaMetricsUrl", existingRaw.victoriaMetricsUrl),
          jaegerUrl:
            existingRaw.jaegerUrl === undefined
              ? `http://${host}:${ports.jaegerUi}`
              : url("existingGrafana.jaegerUrl", existingRaw.jaegerUrl),
        };
  const applied = perService((d, n) => (n === "grafana" && existingGrafana ? 0 : memoryMb[n]));
  const budgetedNames = SERVICE_NAMES.filter((n) => SERVICES[n].budgeted && applied[n] > 0);
  const budgeted = budgetedNames.reduce((sum, n) => sum + applied[n], 0);
  const memoryBudget: MemoryBudget = { ...applied, budgetedTotal: budgeted };
  if (budgeted > memoryBudgetMb) {
    throw new StackConfigError(
      "memoryMb",
      `${budgetedNames.map((n) => `${n} (${applied[n]})`).join(" + ")} = ${budgeted} MiB, ` +
        `over memoryBudgetMb ${memoryBudgetMb}.` +
        ` Fix: lower a limit or raise observability-stack:memoryBudgetMb.`,
    );
  }

  return {
    definitions,
    images,
    bindAddress,
    ports,
    memoryMb,
    memoryBudgetMb,
    memoryBudget,
    cpus,
    retention: retention(raw.retention),
    hostmetrics: bool("hostmetrics", raw.hostmetrics, DEFAULT_SCALARS.hostmetrics),
    debugExporter: bool("debugExporter", raw.debugExporter, DEFAULT_SCALARS.debugExporter),
    networkName: str(
      "networkName",
      raw.networkName,
      DEFAULT_SCALARS.networkName,
      /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
      "a Docker network name",
    ),
    namePrefix: str(
      "namePrefix",
      raw.namePrefix,
      DEFAULT_SCALARS.namePrefix,
      /^[a-z0-9][a-z0-9-]*$/,
      "lower-case letters, digits and -",
    ),
    ...(existingGrafana ? { existingGrafana } : {}),
    deleteDataOnDestroy: bool(
      "deleteDataOnDestroy",
      raw.deleteDataOnDestroy,
      DEFAULT_SCALARS.deleteDataOnDestroy,
    ),
    exposeBeyondLoopback,
    jaegerUiUrl: `http://${host}:${ports.jaegerUi}`,
  };
}

/** The URLs and endpoints a developer uses on the host. */
export function hostEndpoints(s: StackSettings): {
  grafanaUrl: string;
  jaegerUiUrl: string;
  victoriaMetricsUrl: string;
  otlpGrpcEndpoint: string;
  otlpHttpEndpoint: string;
  collectorHealthUrl: string;
  collectorMetricsUrl: string;
} {
  const h = browserHost(s.bindAddress);
  return {
    grafanaUrl: s.existingGrafana?.url ?? `http://${h}:${s.ports.grafana}`,
    jaegerUiUrl: s.jaegerUiUrl,
    victoriaMetricsUrl: `http://${h}:${s.ports.victoriametrics}`,
    otlpGrpcEndpoint: `http://${h}:${s.ports.otlpGrpc}`,
    otlpHttpEndpoint: `http://${h}:${s.ports.otlpHttp}`,
    collectorHealthUrl: `http://${h}:${s.ports.collectorHealth}/`,
    collectorMetricsUrl: `http://${h}:${s.ports.collectorMetrics}/metrics`,
  };
}
