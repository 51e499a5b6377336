// Service-level objectives and alert rules, declared against a catalogue and checked at definition
// time: a metric key, attribute key or value that the catalogue does not declare is a compile error
// where TypeScript sees the catalogue's literal types, and always a DefinitionError naming the
// objective or alert and the fix. The rule files, the Alertmanager config and the SLO dashboards are
// generated from the resolved form (alerts/, dashboards/slo.ts). Kept free of PromQL text: only the
// series, labels and numbers the generators need.
import { countSeries, KINDS, kindsWhere } from "./kinds";
import { METRIC_KINDS } from "./types";
import type { AttributeSpec, Catalogue, MetricKind, MetricSpec, ResolvedMetric } from "./types";
import { DefinitionError } from "./validate";

type Specs = Readonly<Record<string, MetricSpec>>;

/** A Prometheus duration in one unit: `30s`, `5m`, `1h`, `30d`, `4w`. */
export type AlertDuration = `${number}${"s" | "m" | "h" | "d" | "w"}`;

/** How urgent a rule is: `page` wakes someone up, `ticket` is for working hours. */
export type AlertSeverity = "page" | "ticket";

export const ALERT_SEVERITIES: readonly AlertSeverity[] = ["page", "ticket"];

/** Keys of the metrics of `M` whose kind is `K` (any key for a catalogue typed as plain `Catalogue`). */
type KeysOfKind<M, K extends MetricKind> = string extends keyof M
  ? string
  : { [P in keyof M & string]: M[P] extends { readonly kind: K } ? P : never }[keyof M & string];

type AttributeSpecsOf<S> = S extends {
  readonly attributes: infer A extends Readonly<Record<string, AttributeSpec>>;
}
  ? A
  : Record<never, never>;

type ValueOf<A> = A extends { readonly values: readonly (infer V extends string)[] } ? V : string;

/** Attribute key → the values to keep, typed by the metric's declared attributes and values. */
export type AttributeFilter<S> = {
  readonly [K in keyof AttributeSpecsOf<S>]?: readonly ValueOf<AttributeSpecsOf<S>[K]>[];
};

/** The attribute keys a metric declares. */
export type AttributeKeyOf<S> = keyof AttributeSpecsOf<S> & string;

interface ObjectiveCommon {
  /** @default the objective's key, words split ("tasksAvailability" → "Tasks availability") */
  readonly title?: string;
  readonly description?: string;
  /** Percent of good events the service promises over `window`, above 0 and below 100 (`99.5`). */
  readonly target: number;
  /**
   * The compliance window: the error budget is `(100 - target)%` of the events in it.
   * @default "30d"
   */
  readonly window?: AlertDuration;
  /** Linked from the burn-rate alerts. @default none */
  readonly runbookUrl?: string;
}

/**
 * Availability: the share of a counter's events (or a histogram's observations) that did not fail.
 * Failure is either a paired error counter (`errors`), or attribute values: those given in `failure`,
 * else the `failure` values the metric's attribute declares.
 */
export type AvailabilityObjectiveSpec<M> = {
  [K in KeysOfKind<M, "counter" | "histogram">]: ObjectiveCommon & {
    readonly sli: "availability";
    /** The counter (or histogram) of all events: the denominator. */
    readonly metric: K;
    /**
     * One attribute and the values that mean failure.
     * @default the `failure` values the metric's attribute declares
     */
    readonly failure?: AttributeFilter<M[K]>;
    /** A counter of the failed events (instead of `failure` values). @default undefined */
    readonly errors?: KeysOfKind<M, "counter">;
    /** Count only these events (good and bad alike). @default all */
    readonly where?: AttributeFilter<M[K]>;
  };
}[KeysOfKind<M, "counter" | "histogram">];

/** Latency: the share of a histogram's observations at or under `threshold`, a bucket boundary. */
export type LatencyObjectiveSpec<M> = {
  [K in KeysOfKind<M, "histogram">]: ObjectiveCommon & {
    readonly sli: "latency";
    readonly metric: K;
    /** In the metric's unit; must be one of its bucket boundaries (the `le` a query can select). */
    readonly threshold: number;
    /** Count only these observations. @default all */
    readonly where?: AttributeFilter<M[K]>;
  };
}[KeysOfKind<M, "histogram">];

export type ObjectiveSpec<M> = AvailabilityObjectiveSpec<M> | LatencyObjectiveSpec<M>;

/** What a plain alert compares, by metric kind. */
export type AlertMeasure = "rate" | "increase" | "errorRatio" | "value" | "p50" | "p90" | "p95" | "p99";

type MeasureOf<S> = S extends { readonly kind: "counter" }
  ? "rate" | "increase" | "errorRatio"
  : S extends { readonly kind: "histogram" }
    ? "rate" | "errorRatio" | "p50" | "p90" | "p95" | "p99"
    : "value";

/** Fire above a value, or below one (exactly one of the two). */
export type AlertThreshold =
  | { readonly above: number; readonly below?: undefined }
  | { readonly below: number; readonly above?: undefined };

interface AlertCommon {
  /** For how long the condition must hold before the alert fires (`0s` fires at once). */
  readonly for: AlertDuration;
  readonly severity: AlertSeverity;
  /** One line for the notification; may use `{{ $value }}` and `{{ $labels.<label> }}`. */
  readonly summary: string;
  readonly description?: string;
  readonly runbookUrl?: string;
}

/**
 * A threshold on one metric of the catalogue. The measure depends on the kind: a counter's `rate`
 * (per second, the default), `increase` over `window` or `errorRatio` (its failure values or paired
 * error counters over all); a histogram's `rate`, `errorRatio` or a quantile (`p99`, in the metric's
 * unit); a gauge's or up-down counter's `value`, combined by the metric's aggregation. Series are
 * kept apart by `job` and the `by` attributes.
 */
export type AlertSpec<M> = {
  [K in keyof M & string]: AlertCommon &
    AlertThreshold & {
      readonly metric: K;
      /** @default "rate" for counters and histograms, "value" for gauges and up-down counters */
      readonly measure?: MeasureOf<M[K]>;
      readonly where?: AttributeFilter<M[K]>;
      /** Attributes that keep series (and alerts) apart, besides `job`. @default none */
      readonly by?: readonly AttributeKeyOf<M[K]>[];
      /** The range of `rate`/`increase`/quantiles. @default "5m" */
      readonly window?: AlertDuration;
    };
}[keyof M & string];

export interface AlertingSpec<M> {
  /** Objective key (a label value: letters, digits, `_`, `-`) → objective. */
  readonly objectives?: Readonly<Record<string, ObjectiveSpec<M>>>;
  /** Alert name (the `alertname`: letters, digits, `_`) → rule. */
  readonly alerts?: Readonly<Record<string, AlertSpec<M>>>;
}

/** Label values to keep: `label=~"v1|v2"`. */
export interface LabelMatch {
  readonly key: string;
  readonly label: string;
  readonly values: readonly string[];
}

export interface ResolvedAvailabilitySli {
  readonly kind: "availability";
  readonly metric: ResolvedMetric;
  /** The series counted: a counter's, or a histogram's `_count`. */
  readonly totalSeries: string;
  readonly where: readonly LabelMatch[];
  readonly failure:
    | { readonly kind: "values"; readonly match: LabelMatch }
    | { readonly kind: "counter"; readonly metric: ResolvedMetric; readonly series: string };
}

export interface ResolvedLatencySli {
  readonly kind: "latency";
  readonly metric: ResolvedMetric;
  readonly bucketSeries: string;
  readonly countSeries: string;
  readonly threshold: number;
  /** The `le` label value of the threshold's bucket, as the collector writes it. */
  readonly le: string;
  readonly where: readonly LabelMatch[];
}

export interface ResolvedObjective {
  readonly key: string;
  readonly title: string;
  readonly description?: string;
  /** Percent (`99.5`). */
  readonly target: number;
  /** `1 - target / 100`: the share of events allowed to be bad. */
  readonly errorBudget: number;
  readonly window: string;
  readonly windowSeconds: number;
  readonly runbookUrl?: string;
  readonly sli: ResolvedAvailabilitySli | ResolvedLatencySli;
}

export interface ResolvedAlert {
  readonly name: string;
  readonly metric: ResolvedMetric;
  readonly measure: AlertMeasure;
  readonly where: readonly LabelMatch[];
  /** Labels kept apart besides `job`. */
  readonly by: readonly string[];
  readonly comparison: ">" | "<";
  readonly threshold: number;
  readonly window: string;
  readonly windowSeconds: number;
  readonly for: string;
  readonly forSeconds: number;
  readonly severity: AlertSeverity;
  readonly summary: string;
  readonly description?: string;
  readonly runbookUrl?: string;
  /** Of `errorRatio`: the failing part (attribute values and paired error counters). */
  readonly failures?: {
    readonly values: readonly LabelMatch[];
    readonly counters: readonly { readonly metric: ResolvedMetric; readonly series: string }[];
  };
  /** Of `value`: how series combine. */
  readonly aggregation?: "sum" | "avg" | "min" | "max";
}

export interface ResolvedAlerting {
  readonly objectives: readonly ResolvedObjective[];
  readonly alerts: readonly ResolvedAlert[];
}

/** A catalogue with its objectives and alerts: every generator that takes a catalogue takes it. */
export type AlertingCatalogue<M extends Specs = Specs> = Catalogue<M> & {
  readonly alerting: ResolvedAlerting;
};

/** The default compliance window of an objective. */
export const DEFAULT_OBJECTIVE_WINDOW = "30d";
/** The default range of a plain alert's rate. */
export const DEFAULT_ALERT_WINDOW = "5m";
/**
 * The fastest burn rate alerted on (SRE workbook: 2% of a 30-day budget in one hour). A target whose
 * budget times this is 1 or more can never trigger it: the error ratio cannot exceed 1.
 */
export const FASTEST_BURN_RATE = 14.4;
/** The shortest objective window: the slow ticket looks back 3 days, the pages 1 and 6 hours. */
export const MIN_OBJECTIVE_WINDOW_SECONDS = 86_400;

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const DURATION = /^([1-9][0-9]*|0)(s|m|h|d|w)$/;
const OBJECTIVE_KEY = /^[A-Za-z][A-Za-z0-9_-]*$/;
const ALERT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const URL = /^https?:\/\/[^\s"'<>]+$/;

/** Seconds of a one-unit Prometheus duration (`30d` → 2592000), or undefined when it is not one. */
export function durationSeconds(d: string): number | undefined {
  const m = DURATION.exec(d);
  return m ? Number(m[1]) * (UNIT_SECONDS[m[2] as string] as number) : undefined;
}

/**
 * A number as the collector writes an `le` label (Go's strconv.FormatFloat(v, 'f', -1, 64)): the
 * shortest decimal, never an exponent (`1e-7` → `0.0000001`, `1` → `1`).
 */
export function goFloatString(n: number): string {
  const s = String(n);
  const e = s.indexOf("e");
  if (e < 0) return s;
  const neg = s.startsWith("-");
  const mantissa = s.slice(neg ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const [int = "", frac = ""] = mantissa.split(".");
  const digits = int + frac;
  const point = int.length + exp;
  const out =
    point <= 0
      ? `0.${"0".repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + "0".repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (neg ? "-" : "") + out;
}

/** "tasksAvailability" → "Tasks availability"; "log-streams_ok" → "Log streams ok". */
function titleOfKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[\s_-]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function metricSpecOf(catalogue: Catalogue, key: string): MetricSpec | undefined {
  const specs = catalogue.metrics as Specs;
  return Object.hasOwn(specs, key) ? specs[key] : undefined;
}

function describeKeys(catalogue: Catalogue, kinds: readonly MetricKind[]): string {
  const keys = catalogue.list.filter((m) => kinds.includes(m.kind)).map((m) => m.key);
  return keys.length === 0 ? `(the catalogue has no ${kinds.join(" or ")})` : keys.join(", ");
}

/** The metric named by `key`, of one of `kinds`, or a problem naming the keys that would do. */
function metricOf(
  catalogue: Catalogue,
  who: string,
  field: string,
  key: unknown,
  kinds: readonly MetricKind[],
  problems: string[],
): ResolvedMetric | undefined {
  const m = typeof key === "string" && Object.hasOwn(catalogue.byKey, key) ? catalogue.byKey[key] : undefined;
  if (m === undefined) {
    problems.push(
      `${who}: ${field} ${JSON.stringify(key)} is not a metric key of catalogue "${catalogue.name}". ` +
        `Fix: use one of its ${kinds.join(" or ")} keys: ${describeKeys(catalogue, kinds)}.`,
    );
    return undefined;
  }
  if (!kinds.includes(m.kind)) {
    problems.push(
      `${who}: ${field} "${m.key}" is a ${m.kind}, but this needs a ${kinds.join(" or ")}. ` +
        `Fix: use one of ${describeKeys(catalogue, kinds)}.`,
    );
    return undefined;
  }
  return m;
}

/** Resolves an attribute filter against the metric's attributes (keys and declared values). */
function matchesOf(
  who: string,
  field: string,
  m: ResolvedMetric,
  filter: unknown,
  problems: string[],
): LabelMatch[] {
  if (filter === undefined) return [];
  if (filter === null || typeof filter !== "object" || Array.isArray(filter)) {
    problems.push(
      `${who}: ${field} must be an object of attribute key → values, got ${JSON.stringify(filter)}.`,
    );
    return [];
  }
  const out: LabelMatch[] = [];
  for (const [key, values] of Object.entries(filter as Record<string, unknown>)) {
    const attr = m.attributes.find((a) => a.key === key);
    if (attr === undefined) {
      problems.push(
        `${who}: ${field} names attribute "${key}", which metric "${m.name}" (key ${m.key}) does not declare. ` +
          `Fix: use one of ${m.attributes.length === 0 ? "(it has no attributes)" : m.attributes.map((a) => a.key).join(", ")}.`,
      );
      continue;
    }
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== "string")) {
      problems.push(
        `${who}: ${field}["${key}"] must be a non-empty list of values, got ${JSON.stringify(values)}.`,
      );
      continue;
    }
    const unknown =
      attr.values === undefined ? [] : values.filter((v) => !attr.values?.includes(v as string));
    if (unknown.length > 0) {
      problems.push(
        `${who}: ${field}["${key}"] has ${unknown.map((v) => JSON.stringify(v)).join(", ")}, not a declared value ` +
          `of attribute "${key}" of metric "${m.name}". Fix: use one of ${(attr.values ?? []).join(", ")}.`,
      );
      continue;
    }
    out.push({ key, label: attr.label, values: [...(values as string[])] });
  }
  return out;
}

function checkText(who: string, field: string, value: unknown, required: boolean, problems: string[]): void {
  if (value === undefined && !required) return;
  if (typeof value !== "string" || value.trim() === "") {
    problems.push(`${who}: ${field} must be a non-empty string${required ? "" : " (or left out)"}.`);
  }
}

function checkUrl(who: string, value: unknown, problems: string[]): void {
  if (value === undefined) return;
  if (typeof value !== "string" || !URL.test(value)) {
    problems.push(
      `${who}: runbookUrl ${JSON.stringify(value)} is not an http(s) URL. Fix: link the runbook page, e.g. "https://wiki.example.com/runbooks/tasks".`,
    );
  }
}

function durationOf(who: string, field: string, value: unknown, problems: string[]): number | undefined {
  const s = typeof value === "string" ? durationSeconds(value) : undefined;
  if (s === undefined) {
    problems.push(
      `${who}: ${field} ${JSON.stringify(value)} is not a duration. Fix: a whole number and one unit of s, m, h, d, w ("5m", "30d").`,
    );
  }
  return s;
}

/** Seconds as a one-unit Prometheus duration, in the largest unit up to days that fits (`2592000` → `30d`). */
export function formatDuration(s: number): string {
  if (s === 0) return "0s";
  // Days at most: rule labels and dashboards then spell a window one way ("28d", never "4w").
  for (const [unit, n] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
  ] as const) {
    if (s % n === 0) return `${s / n}${unit}`;
  }
  return `${s}s`;
}

/** Every counter declared `failuresOf` the metric `key`. */
function pairedErrorCounters(catalogue: Catalogue, key: string): ResolvedMetric[] {
  return catalogue.list.filter(
    (m) => KINDS[m.kind].failures && metricSpecOf(catalogue, m.key)?.failuresOf === key,
  );
}

/** The declared `failure` values of a metric's attributes. */
function declaredFailures(catalogue: Catalogue, m: ResolvedMetric): LabelMatch[] {
  const attrs = metricSpecOf(catalogue, m.key)?.attributes ?? {};
  return Object.entries(attrs)
    .filter(([, a]) => a.failure !== undefined && a.failure.length > 0)
    .map(([key, a]) => ({
      key,
      label: m.attributes.find((x) => x.key === key)?.label ?? key,
      values: [...(a.failure as readonly string[])],
    }));
}

function eventSeries(m: ResolvedMetric): string {
  return countSeries(m.prometheusName, m.kind);
}

function resolveObjective(
  catalogue: Catalogue,
  key: string,
  spec: ObjectiveSpec<Specs>,
  problems: string[],
): ResolvedObjective | undefined {
  const who = `objective "${key}"`;
  const before = problems.length;
  if (!OBJECTIVE_KEY.test(key)) {
    problems.push(
      `${who}: the key must start with a letter and hold only letters, digits, "_" and "-" (it becomes a label value and a dashboard uid). Fix: rename it, e.g. "tasksAvailability".`,
    );
  }
  if (spec === null || typeof spec !== "object") {
    problems.push(`${who}: expected an object with sli, metric and target, got ${JSON.stringify(spec)}.`);
    return undefined;
  }
  checkText(who, "title", spec.title, false, problems);
  checkText(who, "description", spec.description, false, problems);
  checkUrl(who, spec.runbookUrl, problems);

  const target = spec.target;
  let errorBudget = Number.NaN;
  if (typeof target !== "number" || !Number.isFinite(target) || target <= 0 || target >= 100) {
    problems.push(
      `${who}: target ${JSON.stringify(target)} must be a percentage above 0 and below 100. Fix: e.g. target: 99.5.`,
    );
  } else {
    // Rounded so that 99.9 gives 0.001, not 0.0010000000000000009 (it is written into the rules).
    errorBudget = Number((1 - target / 100).toPrecision(12));
    if (errorBudget * FASTEST_BURN_RATE >= 1) {
      const least = Math.ceil((1 - 1 / FASTEST_BURN_RATE) * 10_000) / 100;
      problems.push(
        `${who}: target ${target}% leaves an error budget of ${Number((errorBudget * 100).toPrecision(6))}%; the fast page ` +
          `(${FASTEST_BURN_RATE}x burn rate) would need an error ratio of ${Number((errorBudget * FASTEST_BURN_RATE).toPrecision(4))}, ` +
          `above 1, and could never fire. Fix: a target of at least ${least}.`,
      );
    }
  }
  const window = spec.window ?? DEFAULT_OBJECTIVE_WINDOW;
  const windowSeconds = durationOf(who, "window", window, problems);
  if (windowSeconds !== undefined && windowSeconds < MIN_OBJECTIVE_WINDOW_SECONDS) {
    problems.push(
      `${who}: window "${window}" is shorter than 1d; the burn-rate alerts look back up to 3d and budget a 30-day window ` +
        `best. Fix: a window of days or weeks ("30d", "4w").`,
    );
  }

  let sli: ResolvedObjective["sli"] | undefined;
  if (spec.sli === "availability") {
    const m = metricOf(
      catalogue,
      who,
      "metric",
      spec.metric,
      kindsWhere((k) => k.countsEvents),
      problems,
    );
    if (m !== undefined) {
      const where = matchesOf(who, "where", m, spec.where, problems);
      const beforeFailure = problems.length;
      const explicit =
        spec.failure !== undefined ? matchesOf(who, "failure", m, spec.failure, problems) : undefined;
      const explicitOk = problems.length === beforeFailure;
      if (spec.errors !== undefined && spec.failure !== undefined) {
        problems.push(
          `${who}: give either errors (a counter of failures) or failure (attribute values), not both. Fix: drop one.`,
        );
      } else if (spec.errors !== undefined) {
        const e = metricOf(
          catalogue,
          who,
          "errors",
          spec.errors,
          kindsWhere((k) => k.failures),
          problems,
        );
        if (e !== undefined) {
          if (e.key === m.key) {
            problems.push(`${who}: errors "${e.key}" is the metric itself. Fix: name its failure counter.`);
          }
          const missing = where.filter((w) => !e.attributes.some((a) => a.key === w.key));
          if (missing.length > 0) {
            problems.push(
              `${who}: where filters ${missing.map((w) => `"${w.key}"`).join(", ")}, which the errors counter "${e.name}" ` +
                `does not have, so good and bad events would be counted differently. Fix: drop the filter or pick a matching counter.`,
            );
          }
          sli = {
            kind: "availability",
            metric: m,
            totalSeries: eventSeries(m),
            where,
            failure: { kind: "counter", metric: e, series: e.seriesNames[0] as string },
          };
        }
      } else {
        const failures = explicit ?? declaredFailures(catalogue, m);
        if (!explicitOk) {
          // Already reported: an unknown attribute or value in failure.
        } else if (failures.length === 0) {
          const paired = pairedErrorCounters(catalogue, m.key);
          problems.push(
            `${who}: metric "${m.name}" (key ${m.key}) names no failure: none of its attributes declares \`failure\` values. ` +
              `Fix: ${paired.length > 0 ? `errors: "${(paired[0] as ResolvedMetric).key}" (its paired error counter), or ` : ""}` +
              `failure: { "<attribute>": ["<value>"] }, or declare \`failure\` on the attribute in the catalogue.`,
          );
        } else if (failures.length > 1) {
          problems.push(
            `${who}: failure is read from ${failures.length} attributes (${failures.map((f) => f.key).join(", ")}); an event ` +
              `failing in both would count twice. Fix: failure: { "${(failures[0] as LabelMatch).key}": [...] } with one attribute.`,
          );
        } else if (failures.length === 1) {
          const f = failures[0] as LabelMatch;
          const clash = where.find((w) => w.key === f.key);
          if (clash !== undefined) {
            problems.push(
              `${who}: where and failure both select attribute "${f.key}": the failures would be ` +
                `${f.values.some((v) => clash.values.includes(v)) ? "partly filtered away" : "filtered away entirely"}. Fix: filter on another attribute.`,
            );
          }
          sli = {
            kind: "availability",
            metric: m,
            totalSeries: eventSeries(m),
            where,
            failure: { kind: "values", match: f },
          };
        }
      }
    }
  } else if (spec.sli === "latency") {
    const m = metricOf(
      catalogue,
      who,
      "metric",
      spec.metric,
      kindsWhere((k) => k.buckets),
      problems,
    );
    if (m !== undefined) {
      const where = matchesOf(who, "where", m, spec.where, problems);
      const buckets = m.buckets ?? [];
      const t = spec.threshold;
      if (typeof t !== "number" || !buckets.includes(t)) {
        const below = buckets.filter((b) => typeof t === "number" && b < t).at(-1);
        const above = buckets.find((b) => typeof t === "number" && b > t);
        const nearest = [below, above].filter((b): b is number => b !== undefined);
        problems.push(
          `${who}: threshold ${JSON.stringify(t)} is not a bucket boundary of histogram "${m.name}" (key ${m.key}); ` +
            `only a boundary can be selected with le. ${nearest.length > 0 ? `The nearest are ${nearest.join(" and ")}. ` : ""}` +
            `Fix: use one of ${buckets.join(", ")}${typeof t === "number" && Number.isFinite(t) ? `, or add ${t} to its buckets` : ""}.`,
        );
      } else {
        sli = {
          kind: "latency",
          metric: m,
          bucketSeries: `${m.prometheusName}_bucket`,
          countSeries: `${m.prometheusName}_count`,
          threshold: t,
          le: goFloatString(t),
          where,
        };
      }
    }
  } else {
    problems.push(
      `${who}: sli ${JSON.stringify((spec as { sli?: unknown }).sli)} is not "availability" or "latency". Fix: pick one.`,
    );
  }
  if (problems.length > before || sli === undefined || windowSeconds === undefined) return undefined;
  return {
    key,
    title: spec.title?.trim() ?? titleOfKey(key),
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    target: target as number,
    errorBudget,
    window: formatDuration(windowSeconds),
    windowSeconds,
    ...(spec.runbookUrl !== undefined ? { runbookUrl: spec.runbookUrl } : {}),
    sli,
  };
}

/** What an alert may measure of a metric, from what a rate of its kind means (the first is the default). */
function measuresOf(kind: MetricKind): readonly AlertMeasure[] {
  switch (KINDS[kind].rate) {
    case "series":
      return ["rate", "increase", "errorRatio"];
    case "count":
      return ["rate", "errorRatio", "p50", "p90", "p95", "p99"];
    case "none":
      return ["value"];
  }
}

function resolveAlert(
  catalogue: Catalogue,
  name: string,
  spec: AlertSpec<Specs>,
  problems: string[],
): ResolvedAlert | undefined {
  const who = `alert "${name}"`;
  const before = problems.length;
  if (!ALERT_NAME.test(name)) {
    problems.push(
      `${who}: the name must start with a letter and hold only letters, digits and "_" (it is the alertname). Fix: e.g. "TaskQueueStuck".`,
    );
  }
  if (spec === null || typeof spec !== "object") {
    problems.push(`${who}: expected an object with metric, above or below, for, severity and summary.`);
    return undefined;
  }
  checkText(who, "summary", spec.summary, true, problems);
  checkText(who, "description", spec.description, false, problems);
  checkUrl(who, spec.runbookUrl, problems);
  if (!ALERT_SEVERITIES.includes(spec.severity)) {
    problems.push(
      `${who}: severity ${JSON.stringify(spec.severity)} is not "page" or "ticket". Fix: pick one.`,
    );
  }
  const forSeconds = durationOf(who, "for", spec.for, problems);
  const window = spec.window ?? DEFAULT_ALERT_WINDOW;
  const windowSeconds = durationOf(who, "window", window, problems);
  if (windowSeconds === 0) problems.push(`${who}: window "${window}" is empty. Fix: e.g. "5m".`);

  const hasAbove = spec.above !== undefined;
  const hasBelow = spec.below !== undefined;
  const threshold = hasAbove ? spec.above : spec.below;
  if (hasAbove === hasBelow) {
    problems.push(`${who}: give exactly one of above and below (the threshold). Fix: e.g. above: 0.05.`);
  } else if (typeof threshold !== "number" || !Number.isFinite(threshold)) {
    problems.push(
      `${who}: ${hasAbove ? "above" : "below"} must be a finite number, got ${JSON.stringify(threshold)}.`,
    );
  }

  const m = metricOf(catalogue, who, "metric", spec.metric, METRIC_KINDS, problems);
  if (m === undefined) return undefined;
  const allowed = measuresOf(m.kind);
  const measure = (spec.measure ?? allowed[0]) as AlertMeasure;
  const measureOk = allowed.includes(measure);
  if (!measureOk) {
    problems.push(
      `${who}: measure ${JSON.stringify(spec.measure)} does not apply to ${m.kind} "${m.name}". Fix: use one of ${allowed.join(", ")}.`,
    );
  }
  const where = matchesOf(who, "where", m, spec.where, problems);
  const by: string[] = [];
  for (const key of (spec.by ?? []) as readonly string[]) {
    const a = m.attributes.find((x) => x.key === key);
    if (a === undefined) {
      problems.push(
        `${who}: by names attribute "${key}", which metric "${m.name}" does not declare. Fix: use one of ${m.attributes.map((x) => x.key).join(", ") || "(none)"}.`,
      );
    } else by.push(a.label);
  }
  let failures: ResolvedAlert["failures"];
  if (measure === "errorRatio" && measureOk) {
    const values = declaredFailures(catalogue, m);
    const counters = pairedErrorCounters(catalogue, m.key).map((e) => ({
      metric: e,
      series: e.seriesNames[0] as string,
    }));
    if (values.length === 0 && counters.length === 0) {
      problems.push(
        `${who}: measure errorRatio needs failures, but metric "${m.name}" declares no \`failure\` values and no counter ` +
          `has failuresOf "${m.key}". Fix: declare them in the catalogue, or alert on another measure.`,
      );
    }
    const narrower = [...where.map((w) => w.key), ...(spec.by ?? [])].filter((k) =>
      counters.some((c) => !c.metric.attributes.some((a) => a.key === k)),
    );
    if (narrower.length > 0) {
      problems.push(
        `${who}: where/by use ${narrower.map((k) => `"${k}"`).join(", ")}, which its error counters do not have. Fix: drop it.`,
      );
    }
    failures = { values, counters };
  }
  let aggregation: ResolvedAlert["aggregation"];
  if (measure === "value") {
    const s = metricSpecOf(catalogue, m.key);
    aggregation = s?.aggregation ?? KINDS[m.kind].defaultAggregation ?? "sum";
    // Summing or averaging across a partition (memory type, CPU state) mixes different quantities.
    const partitions = Object.entries(s?.attributes ?? {}).filter(([, a]) => a.partition === true);
    for (const [key] of partitions) {
      const label = m.attributes.find((a) => a.key === key)?.label ?? key;
      const pinned = where.some((w) => w.key === key && w.values.length === 1);
      if (!by.includes(label) && !pinned) {
        problems.push(
          `${who}: the value of "${m.name}" would combine the values of its partition "${key}". Fix: by: ["${key}"] or where: { "${key}": ["<one value>"] }.`,
        );
      }
    }
  }
  if (problems.length > before || forSeconds === undefined || windowSeconds === undefined) return undefined;
  return {
    name,
    metric: m,
    measure,
    where,
    by,
    comparison: hasAbove ? ">" : "<",
    threshold: threshold as number,
    window: formatDuration(windowSeconds),
    windowSeconds,
    for: formatDuration(forSeconds),
    forSeconds,
    severity: spec.severity,
    summary: spec.summary,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...(spec.runbookUrl !== undefined ? { runbookUrl: spec.runbookUrl } : {}),
    ...(failures !== undefined ? { failures } : {}),
    ...(aggregation !== undefined ? { aggregation } : {}),
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/**
 * Adds service-level objectives and alert rules to a catalogue made by defineMetrics. Returns the
 * catalogue with `alerting` (a new object; the original is unchanged), which renderFiles turns into
 * vmalert rules, an Alertmanager config and one SLO dashboard per objective.
 * @throws DefinitionError listing every bad objective and alert, each with the fix.
 */
export function defineAlerting<M extends Specs>(
  catalogue: Catalogue<M>,
  spec: AlertingSpec<M>,
): AlertingCatalogue<M> {
  if (catalogue === null || typeof catalogue !== "object" || !Array.isArray((catalogue as Catalogue).list)) {
    throw new TypeError(
      "defineAlerting: the first argument is not a catalogue. Fix: pass the result of defineMetrics(…).",
    );
  }
  if ((catalogue as Partial<AlertingCatalogue>).alerting !== undefined) {
    throw new DefinitionError(catalogue.name, [
      "defineAlerting was already applied to this catalogue. Fix: declare all objectives and alerts in one call.",
    ]);
  }
  const problems: string[] = [];
  const objectives: ResolvedObjective[] = [];
  const alerts: ResolvedAlert[] = [];
  for (const [key, o] of Object.entries(spec.objectives ?? {})) {
    const r = resolveObjective(catalogue, key, o as ObjectiveSpec<Specs>, problems);
    if (r !== undefined) objectives.push(r);
  }
  for (const [name, a] of Object.entries(spec.alerts ?? {})) {
    const r = resolveAlert(catalogue, name, a as AlertSpec<Specs>, problems);
    if (r !== undefined) alerts.push(r);
  }
  if (problems.length > 0) throw new DefinitionError(catalogue.name, problems);
  // Catalogue fields first (same object shape), then the alerting part.
  return deepFreeze({ ...catalogue, alerting: { objectives, alerts } });
}

/** True when the catalogue carries objectives or alerts (made by {@link defineAlerting}). */
export function hasAlerting(catalogue: Catalogue): catalogue is AlertingCatalogue {
  const a = (catalogue as Partial<AlertingCatalogue>).alerting;
  return a !== undefined && a !== null && Array.isArray(a.objectives) && Array.isArray(a.alerts);
}
