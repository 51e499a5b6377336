/**
 * The four OTel instrument kinds a definition can declare. A new kind here needs its row in
 * `KINDS` (definitions/kinds.ts), which holds every per-kind fact.
 */
export type MetricKind = "counter" | "upDownCounter" | "gauge" | "histogram";

// Kept importable from here (its old home); the list is the kinds table's keys.
export { METRIC_KINDS } from "./kinds";

/**
 * An attribute of a metric. Either its allowed `values` are listed (preferred: instruments then only
 * accept those literals), or a `maxValues` bound is declared for open but bounded sets.
 */
export interface AttributeSpec {
  readonly description?: string;
  readonly values?: readonly string[];
  readonly maxValues?: number;
  /**
   * The values split one whole, or are different quantities (memory type, CPU state): series are
   * never summed across this attribute; dashboards show it split, or filtered to `inUse`/`headline`.
   * @default false (values are parts of one total: summing across them is meaningful)
   */
  readonly partition?: boolean;
  /**
   * Of a `partition` whose values add up to a whole (memory state, CPU state): the values that count
   * as used. Dashboards show their sum ("memory used") and their share of the whole (utilisation).
   * @default undefined (no utilisation is shown)
   */
  readonly inUse?: readonly string[];
  /**
   * Of a `partition` whose values are different quantities (`memory.type` rss, heap_used …): the one
   * value a stat shows. Without `inUse` or `headline` a partitioned metric gets no stat, only a split graph.
   * @default undefined
   */
  readonly headline?: string;
  /**
   * Values that mean the event failed (`task.status` `failed`): the error ratio counts them.
   * @default undefined (no value means failure)
   */
  readonly failure?: readonly string[];
  /**
   * A recording may leave this attribute out (its series then has no such label). Without it, every
   * `add`/`record` of the metric must give the attribute: leaving it out does not compile.
   * @default false (required)
   */
  readonly optional?: boolean;
}

/** How the series of a gauge or up-down counter combine into one number across instances. */
export type Aggregation = "sum" | "avg" | "min" | "max";

export const AGGREGATIONS: readonly Aggregation[] = ["sum", "avg", "min", "max"];

/**
 * Colour steps of a stat, in the unit the stat shows (a ratio as 0–1, a duration in the metric's
 * unit). Without thresholds a stat is drawn in one neutral colour (throughput has no "bad" value).
 */
export interface ThresholdSpec {
  /** Amber from this value on. */
  readonly warning?: number;
  /** Red from this value on. */
  readonly critical?: number;
  /**
   * Low is bad (free space, hit ratio): amber at or below `warning`, red at or below `critical`.
   * @default false
   */
  readonly below?: boolean;
}

/** Marks a counter or histogram as the requests (work items) of a service: its RED row. */
export interface RequestsSpec {
  /**
   * Key of the histogram of their durations (a histogram marked as requests is its own).
   * @default undefined (no latency panels)
   */
  readonly duration?: string;
  /**
   * Key of the gauge or up-down counter of their saturation (in flight, queue, busy workers).
   * @default undefined
   */
  readonly saturation?: string;
  /** @default { warning: 0.01, critical: 0.05 } */
  readonly errorRatio?: ThresholdSpec;
  /** Thresholds of the latency stats (p99), in the duration's unit. @default none (neutral) */
  readonly latency?: ThresholdSpec;
}

/** How the series name in VictoriaMetrics is derived from the definition's name. */
export type NamingMode =
  /** OTLP through the collector's prometheusremotewrite exporter (the default). */
  | "otlp"
  /** The name already is the Prometheus series base name (metrics scraped in Prometheus format). */
  | "prometheus";

/**
 * What the instrumentation module observes itself, from Node's `process`, at every collection:
 * - `process.memory`: a gauge in `By` with one attribute `memory.type` listing some of
 *   {@link PROCESS_MEMORY_TYPES} (the fields of `process.memoryUsage()`);
 * - `process.cpu`: a gauge in `%` (percent of one core) or `1` (fraction of one core), no attributes;
 * - `process.uptime`: a counter or gauge in `s`, no attributes (`process.uptime()`).
 */
export type SystemSource = "process.memory" | "process.cpu" | "process.uptime";

export const SYSTEM_SOURCES: readonly SystemSource[] = ["process.memory", "process.cpu", "process.uptime"];

/** `memory.type` values a `process.memory` metric may list: one per field of `process.memoryUsage()`. */
export const PROCESS_MEMORY_TYPES = ["rss", "heap_total", "heap_used", "external", "array_buffers"] as const;
export type ProcessMemoryType = (typeof PROCESS_MEMORY_TYPES)[number];

/** One metric, as written by a user in a catalogue. */
export interface MetricSpec {
  /** OTel-style name, dotted, with a namespace (`scotty.tasks.active`). No unit, no `total`. */
  readonly name: string;
  readonly kind: MetricKind;
  /** UCUM as OTel uses it: `s`, `ms`, `By`, `%`, `1`, `{connection}`. */
  readonly unit: string;
  readonly description: string;
  /** The key of the dashboard group (in the catalogue's `groups`) this metric is shown in. */
  readonly group: string;
  readonly attributes?: Readonly<Record<string, AttributeSpec>>;
  /** Histogram bucket boundaries (required for histograms, in the metric's unit). */
  readonly buckets?: readonly number[];
  /** Upper bound of distinct attribute sets (series) for this metric; defaults to the catalogue's. */
  readonly cardinalityLimit?: number;
  readonly naming?: NamingMode;
  /**
   * The series only exists after its first event (the collector creates its send-failed counters at
   * the first failure): dashboards then show 0 instead of "No data".
   */
  readonly zeroWhenAbsent?: boolean;
  /**
   * A short human title for panels ("Log streams opened").
   * @default the name without its namespace, words capitalised once ("scotty.log_streams.active" →
   * "Log streams active")
   */
  readonly title?: string;
  /**
   * How a gauge's or up-down counter's series combine across instances (and across attributes that
   * are not a `partition`). A ratio or percent gauge can never be summed.
   * @default "sum" for up-down counters, "avg" for gauges
   */
  readonly aggregation?: Aggregation;
  /** This counter or histogram counts a service's requests: the group gets a RED row. @default undefined */
  readonly requests?: RequestsSpec;
  /**
   * Key of the counter (or histogram) whose failures this counter counts: the error ratio is
   * rate(this) / rate(that). @default undefined
   */
  readonly failuresOf?: string;
  /** Colour steps of this metric's stat. @default none: one neutral colour */
  readonly thresholds?: ThresholdSpec;
  /**
   * Seconds since the process started: never rated; dashboards show the youngest instance's uptime,
   * live instances and a restart annotation at each counter reset. @default false
   */
  readonly uptime?: boolean;
  /**
   * A counter of the busy seconds of one resource (a disk's io_time): its rate is a busy fraction,
   * shown in percent. Other seconds counters rate to seconds per second, a concurrency or queue
   * length (weighted_io_time), shown as a plain number. @default false
   */
  readonly utilisation?: boolean;
  /**
   * The instrumentation module observes this metric itself (see {@link SystemSource}); the app does
   * not record it, and its instrument has no `add`/`record`. The metric's kind, unit and attributes
   * must fit the source (checked by `defineMetrics`). Any key may carry it; no key is special.
   * @default undefined (the app records the metric)
   */
  readonly observedBy?: SystemSource;
}

export interface GroupSpec {
  readonly title: string;
  readonly description?: string;
}

export interface CatalogueSpec<M extends Readonly<Record<string, MetricSpec>>> {
  /** Catalogue name (the service, or `hostmetrics`…): prefixes dashboard uids and titles. */
  readonly name: string;
  readonly title?: string;
  readonly groups: Readonly<Record<string, GroupSpec>>;
  readonly metrics: M;
  /** Default per-metric cardinality limit (OTel SDK default: 2000). */
  readonly defaultCardinalityLimit?: number;
  /** Budget for the sum of all metrics' possible series. */
  readonly seriesBudget?: number;
}

/** An attribute after resolution: its Prometheus label and the count of values it may take. */
export interface ResolvedAttribute {
  readonly key: string;
  readonly label: string;
  readonly description?: string;
  /** Declared values, sorted as declared; undefined for `maxValues` attributes. */
  readonly values?: readonly string[];
  /** Number of distinct values: `values.length` or `maxValues`. */
  readonly cardinality: number;
}

/** A validated metric with everything the generators need, derived once. */
export interface ResolvedMetric {
  /** The property key of the metric in the catalogue (`logStreamsActive`). */
  readonly key: string;
  readonly name: string;
  readonly kind: MetricKind;
  readonly unit: string;
  readonly description: string;
  readonly group: string;
  readonly attributes: readonly ResolvedAttribute[];
  readonly buckets?: readonly number[];
  readonly cardinalityLimit: number;
  /** Product of the attributes' value counts. */
  readonly maxSeries: number;
  readonly naming: NamingMode;
  readonly zeroWhenAbsent: boolean;
  /** Series base name in VictoriaMetrics. */
  readonly prometheusName: string;
  /** Concrete series names (`_bucket`/`_sum`/`_count` for histograms). */
  readonly seriesNames: readonly string[];
  /** Observed by the instrumentation module, not recorded by the app. */
  readonly observedBy?: SystemSource;
}

export interface ResolvedGroup {
  readonly key: string;
  readonly title: string;
  readonly description?: string;
  readonly metrics: readonly ResolvedMetric[];
}

/** Values an attribute accepts: its declared literals, or any string for `maxValues` attributes. */
type AttributeValue<S> = S extends { readonly values: readonly (infer V extends string)[] } ? V : string;

/** The metric's declared attributes, or never when it declares none. */
type DeclaredAttributes<S> = S extends {
  readonly attributes: infer A extends Readonly<Record<string, AttributeSpec>>;
}
  ? A
  : never;

/** Keys of the attributes declared `optional: true` in `A`. */
type OptionalKeys<A> = { [K in keyof A]: A[K] extends { readonly optional: true } ? K : never }[keyof A];

/** The metric's name as a literal (so that type errors can name the metric). */
type MetricName<S> = S extends { readonly name: infer N extends string } ? N : string;

/**
 * The attributes one call of metric `_Name` takes. `_Name` is only there to be read: a type error then
 * says `… is missing the following properties from type 'AttributesOfMetric<"shop.orders", …>':
 * "payment.method"`.
 */
export type AttributesOfMetric<_Name extends string, Shape> = { readonly [K in keyof Shape]: Shape[K] };

/**
 * What a metric without attributes accepts: nothing but `{}`. A key gives a type error naming it:
 * `'region' does not exist in type 'NoAttributesDeclaredBy<"shop.carts.active">'`.
 */
export type NoAttributesDeclaredBy<Name extends string> = {
  readonly [P in `metric ${Name} declares no attributes`]?: never;
};

/**
 * The attributes a metric's instrument accepts: only the declared keys, each with its declared values;
 * every attribute not declared `optional` must be given.
 */
export type AttributesOf<S> = [DeclaredAttributes<S>] extends [never]
  ? NoAttributesDeclaredBy<MetricName<S>>
  : ShapeOf<
      MetricName<S>,
      DeclaredAttributes<S>,
      RequiredKeys<DeclaredAttributes<S>>,
      OptionalKeys<DeclaredAttributes<S>>
    >;

type RequiredKeys<A> = Exclude<keyof A, OptionalKeys<A>>;

// Written out per case, so that a type error shows one plain object type (no `& {}`).
type ShapeOf<N extends string, A, R extends keyof A, O extends keyof A> = [O] extends [never]
  ? AttributesOfMetric<N, { readonly [K in R]: AttributeValue<A[K]> }>
  : [R] extends [never]
    ? AttributesOfMetric<N, { readonly [K in O]?: AttributeValue<A[K]> }>
    : AttributesOfMetric<
        N,
        { readonly [K in R]: AttributeValue<A[K]> } & { readonly [K in O]?: AttributeValue<A[K]> }
      >;

/** True when a recording must pass attributes: the metric declares one that is not `optional`. */
export type RequiresAttributes<S> = [DeclaredAttributes<S>] extends [never]
  ? false
  : [RequiredKeys<DeclaredAttributes<S>>] extends [never]
    ? false
    : true;

/** A validated catalogue. `metrics` keeps the literal types of the spec for typed instruments. */
export interface Catalogue<
  M extends Readonly<Record<string, MetricSpec>> = Readonly<Record<string, MetricSpec>>,
> {
  readonly name: string;
  readonly title: string;
  readonly metrics: M;
  readonly seriesBudget: number;
  /** Every metric, resolved, in declaration order. */
  readonly list: readonly ResolvedMetric[];
  /** The groups, in declaration order, with their metrics. */
  readonly groups: readonly ResolvedGroup[];
  readonly byKey: Readonly<Record<keyof M & string, ResolvedMetric>>;
}
