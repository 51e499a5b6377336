// Typed, validated stack settings. Pure (no Pulumi import) so that every bad value fails at
// `pulumi preview` time with a message that names the config key and the fix.
import versions from "../versions.json";

export class StackConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`Invalid config observability-stack:${key}: ${problem}`);
    this.name = "StackConfigError";
  }
}

export type ServiceName = "collector" | "jaeger" | "victoriametrics" | "grafana";

export interface Images {
  readonly collector: string;
  readonly jaeger: string;
  readonly victoriametrics: string;
  readonly grafana: string;
}

/** Host ports. Container ports are fixed by the images; these are where they are published. */
export interface Ports {
  readonly otlpGrpc: number;
  readonly otlpHttp: number;
  readonly collectorMetrics: number;
  readonly collectorHealth: number;
  readonly jaegerUi: number;
  readonly victoriametrics: number;
  readonly grafana: number;
}

export interface MemoryLimits {
  readonly collector: number;
  readonly victoriametrics: number;
  readonly grafana: number;
  readonly jaeger: number;
}

/** CPU limits (Docker `--cpus`, a CFS quota), in CPUs per container. */
export interface CpuLimits {
  readonly collector: number;
  readonly victoriametrics: number;
  readonly grafana: number;
  readonly jaeger: number;
}

export interface ExistingGrafanaSettings {
  readonly url: string;
  /** Datasource URLs as that Grafana reaches them (it is not on the stack's Docker network). */
  readonly victoriaMetricsUrl: string;
  readonly jaegerUrl: string;
}

export interface StackSettings {
  /** "scotty" or the path of a module whose default export is a catalogue. */
  readonly definitions: string;
  readonly images: Images;
  readonly bindAddress: string;
  readonly ports: Ports;
  /** Memory limits in MiB. */
  readonly memoryMb: MemoryLimits;
  /** Budget for collector + VictoriaMetrics + Grafana, in MiB (Jaeger is capped on its own). */
  readonly memoryBudgetMb: number;
  /**
   * CPU limit of each container.
   * @default DEFAULT_CPUS
   */
  readonly cpus: CpuLimits;
  /** VictoriaMetrics -retentionPeriod, with an explicit unit (a bare number would mean months). */
  readonly retention: string;
  readonly hostmetrics: boolean;
  readonly debugExporter: boolean;
  readonly networkName: string;
  /** Prefix of container, volume and network names, so two stacks can live on one engine. */
  readonly namePrefix: string;
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
  /** The Jaeger UI as a browser reaches it, for dashboard links. */
  readonly jaegerUiUrl: string;
}

/** Raw values as they come from Pulumi config (any may be missing or of the wrong type). */
export interface RawSettings {
  readonly definitions?: unknown;
  readonly images?: unknown;
  readonly bindAddress?: unknown;
  readonly ports?: unknown;
  readonly memoryMb?: unknown;
  readonly memoryBudgetMb?: unknown;
  readonly cpus?: unknown;
  readonly retention?: unknown;
  readonly hostmetrics?: unknown;
  readonly debugExporter?: unknown;
  readonly networkName?: unknown;
  readonly namePrefix?: unknown;
  readonly existingGrafana?: unknown;
  readonly deleteDataOnDestroy?: unknown;
  readonly exposeBeyondLoopback?: unknown;
}

export const DEFAULT_IMAGES: Images = {
  collector: `otel/opentelemetry-collector:${versions.collector}`,
  jaeger: `jaegertracing/jaeger:${versions.jaeger}`,
  victoriametrics: `victoriametrics/victoria-metrics:${versions.victoriametrics}`,
  grafana: `grafana/grafana:${versions.grafana}`,
};

export const DEFAULT_PORTS: Ports = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  collectorMetrics: 8888,
  collectorHealth: 13133,
  jaegerUi: 16686,
  victoriametrics: 8428,
  grafana: 3000,
};

// collector + VictoriaMetrics + Grafana = 280 MiB, under the 300 MiB budget; Jaeger (in-memory
// trace storage) is capped on its own. The end-to-end test checks the real collector's, Jaeger's and
// VictoriaMetrics' peak anonymous memory against these limits with 15% headroom (measured 2026-12-01
// with the dashboards' 239 queries: about 29, 12 and 98 MiB; VictoriaMetrics outgrew 96 MiB, and with
// it the former 250 MiB budget).
export const DEFAULT_MEMORY_MB: MemoryLimits = {
  collector: 56,
  victoriametrics: 128,
  grafana: 96,
  jaeger: 128,
};
export const DEFAULT_MEMORY_BUDGET_MB = 300;

// A local stack on a developer's machine: the collector and VictoriaMetrics (which ingest and
// answer the dashboards' queries) and Grafana get one CPU each, Jaeger (in-memory traces) half of one.
// Go programs since Go 1.25 size GOMAXPROCS to this limit. Docker refuses at `up` a limit above the
// engine's CPU count.
export const DEFAULT_CPUS: CpuLimits = {
  collector: 1,
  victoriametrics: 1,
  grafana: 1,
  jaeger: 0.5,
};

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
    "30d",
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
  const definitions = str("definitions", raw.definitions, "scotty");
  const imgRaw = objectOf("images", raw.images, Object.keys(DEFAULT_IMAGES));
  const images: Images = {
    collector: image("images.collector", imgRaw.collector, DEFAULT_IMAGES.collector),
    jaeger: image("images.jaeger", imgRaw.jaeger, DEFAULT_IMAGES.jaeger),
    victoriametrics: image("images.victoriametrics", imgRaw.victoriametrics, DEFAULT_IMAGES.victoriametrics),
    grafana: image("images.grafana", imgRaw.grafana, DEFAULT_IMAGES.grafana),
  };
  const bindAddress = str(
    "bindAddress",
    raw.bindAddress,
    "127.0.0.1",
    IPV4,
    "an IPv4 address such as 127.0.0.1 or 0.0.0.0",
  );

  const exposeBeyondLoopback = bool("exposeBeyondLoopback", raw.exposeBeyondLoopback, false);
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

  const memRaw = objectOf("memoryMb", raw.memoryMb, Object.keys(DEFAULT_MEMORY_MB));
  const memoryMb: MemoryLimits = {
    collector: int("memoryMb.collector", memRaw.collector, DEFAULT_MEMORY_MB.collector, 32, 65536),
    victoriametrics: int(
      "memoryMb.victoriametrics",
      memRaw.victoriametrics,
      DEFAULT_MEMORY_MB.victoriametrics,
      32,
      65536,
    ),
    grafana: int("memoryMb.grafana", memRaw.grafana, DEFAULT_MEMORY_MB.grafana, 64, 65536),
    jaeger: int("memoryMb.jaeger", memRaw.jaeger, DEFAULT_MEMORY_MB.jaeger, 32, 65536),
  };
  const memoryBudgetMb = int("memoryBudgetMb", raw.memoryBudgetMb, DEFAULT_MEMORY_BUDGET_MB, 1, 1 << 20);
  const cpusRaw = objectOf("cpus", raw.cpus, Object.keys(DEFAULT_CPUS));
  const cpus = Object.fromEntries(
    (Object.keys(DEFAULT_CPUS) as (keyof CpuLimits)[]).map((k) => [
      k,
      cpuLimit(`cpus.${k}`, cpusRaw[k], DEFAULT_CPUS[k]),
    ]),
  ) as unknown as CpuLimits;

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
  const budgeted = memoryMb.collector + memoryMb.victoriametrics + (existingGrafana ? 0 : memoryMb.grafana);
  if (budgeted > memoryBudgetMb) {
    throw new StackConfigError(
      "memoryMb",
      `collector (${memoryMb.collector}) + victoriametrics (${memoryMb.victoriametrics})` +
        `${existingGrafana ? "" : ` + grafana (${memoryMb.grafana})`} = ${budgeted} MiB, over memoryBudgetMb ${memoryBudgetMb}.` +
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
    cpus,
    retention: retention(raw.retention),
    hostmetrics: bool("hostmetrics", raw.hostmetrics, true),
    debugExporter: bool("debugExporter", raw.debugExporter, false),
    networkName: str(
      "networkName",
      raw.networkName,
      "observability",
      /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
      "a Docker network name",
    ),
    namePrefix: str(
      "namePrefix",
      raw.namePrefix,
      "obs",
      /^[a-z0-9][a-z0-9-]*$/,
      "lower-case letters, digits and -",
    ),
    ...(existingGrafana ? { existingGrafana } : {}),
    deleteDataOnDestroy: bool("deleteDataOnDestroy", raw.deleteDataOnDestroy, false),
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
