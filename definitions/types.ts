/** The four OTel instrument kinds a definition can declare. */
export type MetricKind = "counter" | "upDownCounter" | "gauge" | "histogram";

export const METRIC_KINDS: readonly MetricKind[] = ["counter", "upDownCounter", "gauge", "histogram"];

/**
 * An attribute of a metric. Either its allowed `values` are listed (preferred: instruments then only
 * accept those literals), or a `maxValues` bound is declared for open but bounded sets.
 */
export interface AttributeSpec {
  readonly description?: string;
  readonly values?: readonly string[];
  readonly maxValues?: number;
}

/** How the series name in VictoriaMetrics is derived from the definition's name. */
export type NamingMode =
  /** OTLP through the collector's prometheusremotewrite exporter (the default). */
  | "otlp"
  /** The name already is the Prometheus series base name (metrics scraped in Prometheus format). */
  | "prometheus";

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
}

export interface ResolvedGroup {
  readonly key: string;
  readonly title: string;
  readonly description?: string;
  readonly metrics: readonly ResolvedMetric[];
}

/** Values an attribute accepts: its declared literals, or any string for `maxValues` attributes. */
type AttributeValue<S> = S extends { readonly values: readonly (infer V extends string)[] } ? V : string;

/**
 * The attributes a metric's instrument accepts: only the declared keys, each with its declared values.
 * A metric without attributes accepts no key at all.
 */
export type AttributesOf<S> = S extends {
  readonly attributes: infer A extends Readonly<Record<string, AttributeSpec>>;
}
  ? { readonly [K in keyof A]?: AttributeValue<A[K]> }
  : { readonly [key: string]: never };

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
