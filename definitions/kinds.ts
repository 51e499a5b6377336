// The one table of what each metric kind is. Naming, validation, semantics, dashboards and the
// instrumentation read a kind's facts here instead of switching on its name, so a new kind in the
// `MetricKind` union fails to compile in this table (and in exhaustive switches on `shows`/`rate`),
// not silently somewhere else. A source scan (kinds.test.ts) keeps kind literals out of the others.
import type { Aggregation, MetricKind, SystemSource } from "./types";

/** Every fact the generators need about one metric kind. */
export interface KindFacts {
  /** The kind in a sentence: "a counter", "an up-down counter". */
  readonly phrase: string;
  /**
   * The OpenTelemetry SDK instrument type (`InstrumentType` of @opentelemetry/sdk-metrics, as its
   * string value: definitions/ does not import the SDK).
   */
  readonly sdkInstrument: "COUNTER" | "UP_DOWN_COUNTER" | "GAUGE" | "HISTOGRAM";
  /** Its points are an OTel Sum that only grows (a counter): `_total`, rated, reset at restart. */
  readonly monotonic: boolean;
  /** The SDK refuses negative values (counters and histograms drop them). */
  readonly nonNegative: boolean;
  /** Values of one series add up across recordings (sums and histograms; a gauge keeps the last). */
  readonly additive: boolean;
  /** Observations fall into buckets: `buckets` are required, and the series are `_bucket/_sum/_count`. */
  readonly buckets: boolean;
  /** Suffixes of the series after the Prometheus base name. */
  readonly seriesSuffixes: readonly string[];
  /** The suffix of the one series that shows the metric exists and that a rate counts. */
  readonly countSuffix: string;
  /** The exporter appends `_total` to its base name (a name ending in "total" is refused). */
  readonly totalSuffix: boolean;
  /** With unit "1" it is a ratio in [0, 1]: named `_ratio`, shown in percent. */
  readonly dimensionlessIsRatio: boolean;
  /**
   * What a rate means: "series" the rate of its own series, "count" the rate of its `_count`
   * (observations per second), "none" a rate is meaningless (a current value).
   */
  readonly rate: "series" | "count" | "none";
  /** The panels a metric of this kind gets: per-second rates, current values, or a distribution. */
  readonly shows: "rate" | "value" | "distribution";
  /**
   * The stat of the group's headline row: "value" its current value, "utilisation" only the share
   * of an in-use partition (CPU seconds by state), "none" no stat (a histogram's are in RED rows).
   */
  readonly headline: "value" | "utilisation" | "none";
  /** How its series combine across instances by default; undefined: it is rated, not combined. */
  readonly defaultAggregation: Aggregation | undefined;
  /** It counts events, so attribute values may mark failed ones (`failure`). */
  readonly countsEvents: boolean;
  /** It may be marked as a service's `requests`. */
  readonly requests: boolean;
  /** It may be a requests' `duration` (the latency panels read its buckets). */
  readonly duration: boolean;
  /** It may be a requests' `saturation` (in flight, queue length). */
  readonly saturation: boolean;
  /** It may count the failures of another metric (`failuresOf`). */
  readonly failures: boolean;
  /** It may be a metric's `failuresOf` target (the requests whose failures are counted). */
  readonly failuresTarget: boolean;
  /** It may be an `uptime` in seconds. */
  readonly uptime: boolean;
  /** It may be a busy-seconds counter (`utilisation`). */
  readonly utilisation: boolean;
  /** An attribute of it may be a `partition` (a histogram's observations always add up). */
  readonly partition: boolean;
  /** The system sources (`observedBy`) a metric of this kind may be observed from. */
  readonly observableFrom: readonly SystemSource[];
}

export const KINDS = {
  counter: {
    phrase: "a counter",
    sdkInstrument: "COUNTER",
    monotonic: true,
    nonNegative: true,
    additive: true,
    buckets: false,
    seriesSuffixes: [""],
    countSuffix: "",
    totalSuffix: true,
    dimensionlessIsRatio: false,
    rate: "series",
    shows: "rate",
    headline: "utilisation",
    defaultAggregation: undefined,
    countsEvents: true,
    requests: true,
    duration: false,
    saturation: false,
    failures: true,
    failuresTarget: true,
    uptime: true,
    utilisation: true,
    partition: true,
    observableFrom: ["process.uptime"],
  },
  upDownCounter: {
    phrase: "an up-down counter",
    sdkInstrument: "UP_DOWN_COUNTER",
    monotonic: false,
    nonNegative: false,
    additive: true,
    buckets: false,
    seriesSuffixes: [""],
    countSuffix: "",
    totalSuffix: false,
    dimensionlessIsRatio: false,
    rate: "none",
    shows: "value",
    headline: "value",
    defaultAggregation: "sum",
    countsEvents: false,
    requests: false,
    duration: false,
    saturation: true,
    failures: false,
    failuresTarget: false,
    uptime: false,
    utilisation: false,
    partition: true,
    observableFrom: [],
  },
  gauge: {
    phrase: "a gauge",
    sdkInstrument: "GAUGE",
    monotonic: false,
    nonNegative: false,
    additive: false,
    buckets: false,
    seriesSuffixes: [""],
    countSuffix: "",
    totalSuffix: false,
    dimensionlessIsRatio: true,
    rate: "none",
    shows: "value",
    headline: "value",
    defaultAggregation: "avg",
    countsEvents: false,
    requests: false,
    duration: false,
    saturation: true,
    failures: false,
    failuresTarget: false,
    uptime: true,
    utilisation: false,
    partition: true,
    observableFrom: ["process.memory", "process.cpu", "process.uptime"],
  },
  histogram: {
    phrase: "a histogram",
    sdkInstrument: "HISTOGRAM",
    monotonic: true,
    nonNegative: true,
    additive: true,
    buckets: true,
    seriesSuffixes: ["_bucket", "_sum", "_count"],
    countSuffix: "_count",
    totalSuffix: false,
    dimensionlessIsRatio: false,
    rate: "count",
    shows: "distribution",
    headline: "none",
    defaultAggregation: undefined,
    countsEvents: true,
    requests: true,
    duration: true,
    saturation: false,
    failures: false,
    failuresTarget: true,
    uptime: false,
    utilisation: false,
    partition: false,
    observableFrom: [],
  },
} as const satisfies Readonly<Record<MetricKind, KindFacts>>;

/** Every kind, in the table's order. */
export const METRIC_KINDS: readonly MetricKind[] = Object.keys(KINDS) as MetricKind[];

/** The facts of `kind` (typed as {@link KindFacts}, so callers do not narrow on one kind's literals). */
export function kindFacts(kind: MetricKind): KindFacts {
  return KINDS[kind];
}

/** The kinds for which `test` holds, in the table's order. */
export function kindsWhere(test: (facts: KindFacts) => boolean): MetricKind[] {
  return METRIC_KINDS.filter((k) => test(KINDS[k]));
}

/** "a counter or a histogram": the kinds in a sentence. */
export function kindPhrases(kinds: readonly MetricKind[]): string {
  return kinds.map((k) => KINDS[k].phrase).join(" or ");
}

/** The concrete series of a metric whose Prometheus base name is `base`. */
/** The one series that shows a metric exists and whose rate counts its events (a histogram's `_count`). */
export function countSeries(base: string, kind: MetricKind): string {
  return `${base}${KINDS[kind].countSuffix}`;
}

export function kindSeries(base: string, kind: MetricKind): string[] {
  return KINDS[kind].seriesSuffixes.map((s) => `${base}${s}`);
}
