// The `alerting` config key: vmalert and Alertmanager beside the stack, off by default (their memory
// is not in memoryBudgetMb; the stack reports it as an output). Pure, like settings.ts, so that every
// bad value fails at `pulumi preview` with the key and the fix.
import { containerPort } from "../topology";
import versions from "../versions.json";
import type { Ports } from "./settings";
import { StackConfigError } from "./settings";

export interface AlertingImages {
  readonly vmalert: string;
  readonly alertmanager: string;
}

export interface AlertingPorts {
  readonly vmalert: number;
  readonly alertmanager: number;
}

export interface AlertingMemory {
  readonly vmalert: number;
  readonly alertmanager: number;
}

export interface AlertingSettings {
  /** @default DEFAULT_ALERTING_IMAGES (the versions the alerting e2e builds) */
  readonly images: AlertingImages;
  /** Host ports. @default DEFAULT_ALERTING_PORTS */
  readonly ports: AlertingPorts;
  /** Memory limits in MiB. @default DEFAULT_ALERTING_MEMORY_MB */
  readonly memoryMb: AlertingMemory;
  /** vmalert -evaluationInterval; the rule groups are rendered at it. @default "1m" (the generator's) */
  readonly evaluationInterval: string;
  /**
   * Where Alertmanager posts notifications (a webhook receiver). @default none: the generated
   * config's safe default, which notifies nobody (the alerts are in Alertmanager's API and Grafana)
   */
  readonly webhookUrl?: string;
}

export const DEFAULT_ALERTING_IMAGES: AlertingImages = {
  // vmalert is released with VictoriaMetrics, from the same module, at the same version.
  vmalert: `victoriametrics/vmalert:${versions.victoriametrics}`,
  alertmanager: `prom/alertmanager:${versions.alertmanager}`,
};

// Published on the host at the ports they listen on in their containers.
export const DEFAULT_ALERTING_PORTS: AlertingPorts = {
  vmalert: containerPort("vmalert", "http"),
  alertmanager: containerPort("alertmanager", "http"),
};

// The alerting e2e (test/e2e/alerts.ts) checks the real binaries' peak anonymous memory against
// these limits with 15% headroom; measured 2026-12-02: vmalert 12.4 MiB, Alertmanager 12.6 MiB.
// Together 64 MiB: over what the 400 MiB budget has left (384 MiB used with VictoriaMetrics at 160), hence an opt-in.
export const DEFAULT_ALERTING_MEMORY_MB: AlertingMemory = { vmalert: 32, alertmanager: 32 };

// The rule generator's default (alerts/windows.ts), so that the stack runs the very rules.yaml that
// `npm run render` writes.
export const DEFAULT_ALERTING_EVALUATION_INTERVAL = "1m";

const KEYS = ["enabled", "images", "ports", "memoryMb", "evaluationInterval", "webhookUrl"] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function objectOf(key: string, raw: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw new StackConfigError(key, `expected an object with keys ${allowed.join(", ")}.`);
  const unknown = Object.keys(raw).filter((k) => !allowed.includes(k));
  if (unknown.length > 0)
    throw new StackConfigError(key, `unknown key "${unknown[0]}". Allowed: ${allowed.join(", ")}.`);
  return raw;
}

function int(key: string, raw: unknown, dflt: number, min: number, max: number): number {
  if (raw === undefined) return dflt;
  const n = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max)
    throw new StackConfigError(key, `expected an integer from ${min} to ${max}, got ${JSON.stringify(raw)}.`);
  return n;
}

function image(key: string, raw: unknown, dflt: string): string {
  if (raw === undefined) return dflt;
  // An exact tag or a digest: a floating tag would make `pulumi preview` drift under the user.
  if (
    typeof raw !== "string" ||
    !/^[a-z0-9][a-z0-9._/:-]*(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$/.test(raw) ||
    !/[:@]/.test(raw.replace(/^[^/]*:\d+\//, "")) ||
    raw.endsWith(":latest")
  )
    throw new StackConfigError(
      key,
      `${JSON.stringify(raw)} is not an image pinned to an exact tag or digest (such as ${dflt}).`,
    );
  return raw;
}

/**
 * Resolves `alerting`: undefined, false or "false" turn it off (undefined result); true or "true"
 * take every default; an object sets parts (`enabled: false` in it turns it off too).
 * @param stackPorts the stack's other host ports: a port used twice fails here.
 * @throws StackConfigError naming the key and the fix
 */
export function resolveAlerting(raw: unknown, stackPorts: Ports): AlertingSettings | undefined {
  if (raw === undefined || raw === false || raw === "false") return undefined;
  const o = raw === true || raw === "true" ? {} : objectOf("alerting", raw, KEYS);
  // `pulumi config set --path observability-stack:alerting.enabled false` may store the text "false".
  if (
    o.enabled !== undefined &&
    typeof o.enabled !== "boolean" &&
    o.enabled !== "true" &&
    o.enabled !== "false"
  )
    throw new StackConfigError(
      "alerting.enabled",
      `expected true or false, got ${JSON.stringify(o.enabled)}.`,
    );
  if (o.enabled === false || o.enabled === "false") return undefined;

  const img = objectOf("alerting.images", o.images, Object.keys(DEFAULT_ALERTING_IMAGES));
  const prt = objectOf("alerting.ports", o.ports, Object.keys(DEFAULT_ALERTING_PORTS));
  const mem = objectOf("alerting.memoryMb", o.memoryMb, Object.keys(DEFAULT_ALERTING_MEMORY_MB));
  const ports: AlertingPorts = {
    vmalert: int("alerting.ports.vmalert", prt.vmalert, DEFAULT_ALERTING_PORTS.vmalert, 1, 65535),
    alertmanager: int(
      "alerting.ports.alertmanager",
      prt.alertmanager,
      DEFAULT_ALERTING_PORTS.alertmanager,
      1,
      65535,
    ),
  };
  if (ports.vmalert === ports.alertmanager)
    throw new StackConfigError(
      "alerting.ports.alertmanager",
      `host port ${ports.alertmanager} is already used by alerting.ports.vmalert. Fix: give one of them another port.`,
    );
  for (const [k, p] of Object.entries(ports)) {
    const other = Object.entries(stackPorts).find(([, q]) => q === p)?.[0];
    if (other !== undefined)
      throw new StackConfigError(
        `alerting.ports.${k}`,
        `host port ${p} is already used by ports.${other}. Fix: give one of them another port.`,
      );
  }

  const interval = o.evaluationInterval ?? DEFAULT_ALERTING_EVALUATION_INTERVAL;
  if (typeof interval !== "string" || !/^[1-9][0-9]*(s|m|h)$/.test(interval))
    throw new StackConfigError(
      "alerting.evaluationInterval",
      `${JSON.stringify(interval)} is not a duration in s, m or h such as "30s".`,
    );

  let webhookUrl: string | undefined;
  if (o.webhookUrl !== undefined) {
    let u: URL | undefined;
    try {
      u = typeof o.webhookUrl === "string" ? new URL(o.webhookUrl) : undefined;
    } catch {
      u = undefined;
    }
    if (u === undefined || (u.protocol !== "http:" && u.protocol !== "https:"))
      throw new StackConfigError(
        "alerting.webhookUrl",
        `${JSON.stringify(o.webhookUrl)} is not an http(s) URL. Fix: the URL your webhook receiver listens on, as the Alertmanager container reaches it.`,
      );
    webhookUrl = o.webhookUrl as string;
  }

  return {
    images: {
      vmalert: image("alerting.images.vmalert", img.vmalert, DEFAULT_ALERTING_IMAGES.vmalert),
      alertmanager: image(
        "alerting.images.alertmanager",
        img.alertmanager,
        DEFAULT_ALERTING_IMAGES.alertmanager,
      ),
    },
    ports,
    memoryMb: {
      vmalert: int("alerting.memoryMb.vmalert", mem.vmalert, DEFAULT_ALERTING_MEMORY_MB.vmalert, 16, 65536),
      alertmanager: int(
        "alerting.memoryMb.alertmanager",
        mem.alertmanager,
        DEFAULT_ALERTING_MEMORY_MB.alertmanager,
        16,
        65536,
      ),
    },
    evaluationInterval: interval,
    ...(webhookUrl !== undefined ? { webhookUrl } : {}),
  };
}

const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

/**
 * evaluationInterval in seconds. The stack renders the rule groups with it (each group's `interval`
 * wins over vmalert's -evaluationInterval), so the setting and the rules agree.
 */
export function evaluationIntervalSeconds(a: AlertingSettings): number {
  const m = /^(\d+)([smh])$/.exec(a.evaluationInterval);
  if (m === null)
    throw new Error(`evaluationInterval ${a.evaluationInterval} was not resolved by resolveAlerting`);
  return Number(m[1]) * (SECONDS_PER_UNIT[m[2] as string] as number);
}

/** vmalert's and Alertmanager's URLs on the host (the stack outputs vmalertUrl, alertmanagerUrl). */
export function alertingEndpoints(
  a: AlertingSettings,
  bindAddress: string,
): { vmalertUrl: string; alertmanagerUrl: string } {
  // As hostEndpoints (settings.ts): a browser cannot open 0.0.0.0.
  const h = bindAddress === "0.0.0.0" ? "localhost" : bindAddress;
  return {
    vmalertUrl: `http://${h}:${a.ports.vmalert}`,
    alertmanagerUrl: `http://${h}:${a.ports.alertmanager}`,
  };
}

/** The alerting containers' memory limits (MiB) and their sum: the stack output alertingMemoryMb. */
export interface AlertingMemoryReport extends AlertingMemory {
  /** Beyond memoryBudgetMb (which covers collector + VictoriaMetrics + Grafana). */
  readonly total: number;
}

export function alertingMemory(a: AlertingSettings): AlertingMemoryReport {
  return { ...a.memoryMb, total: a.memoryMb.vmalert + a.memoryMb.alertmanager };
}

/**
 * Alerting and the catalogue must agree: vmalert without rules would run for nothing, and a catalogue
 * with objectives but no vmalert leaves its SLO dashboards empty without saying why. An explicit
 * `alerting: false` runs such a catalogue without vmalert and Alertmanager.
 * @param raw the `alerting` value as configured (undefined when unset)
 * @throws StackConfigError naming the key and the fix
 */
export function checkAlertingCatalogue(
  raw: unknown,
  alerting: AlertingSettings | undefined,
  catalogue: { readonly name: string; readonly hasAlerting: boolean },
): void {
  if (alerting !== undefined && !catalogue.hasAlerting)
    throw new StackConfigError(
      "alerting",
      `alerting is on, but the catalogue "${catalogue.name}" has no objectives or alerts (it is not made ` +
        "with defineAlerting), so vmalert would have no rules. Fix: set observability-stack:definitions to " +
        "a module whose default export is defineAlerting(<catalogue>, { … }), or turn alerting off: " +
        "pulumi config set observability-stack:alerting false.",
    );
  if (raw === undefined && catalogue.hasAlerting) {
    const mb = DEFAULT_ALERTING_MEMORY_MB.vmalert + DEFAULT_ALERTING_MEMORY_MB.alertmanager;
    throw new StackConfigError(
      "alerting",
      `not set, but the catalogue "${catalogue.name}" declares objectives or alerts (defineAlerting): ` +
        "without vmalert no rule is evaluated, its SLO dashboards stay empty and no alert fires. Fix: " +
        `pulumi config set observability-stack:alerting true (runs vmalert and Alertmanager, ${mb} MiB ` +
        "beyond memoryBudgetMb), or pulumi config set observability-stack:alerting false to run the stack " +
        "without them.",
    );
  }
}
