// The fast path. A metric's attributes are declared with their values (or a `maxValues` bound), so the
// attribute sets it can take are bounded when the catalogue is loaded, and usually few. Each set gets a pre-resolved cell
// (an index into plain number arrays); recording is a typed-array update, and a MetricProducer on the
// reader turns the cells into the same MetricData the SDK's own cumulative aggregation would produce.
// Why, and what it gives up, is in README.md ("Fast path").
import type { Attributes, HrTime } from "@opentelemetry/api";
import { ValueType } from "@opentelemetry/api";
import type { InstrumentationScope } from "@opentelemetry/core";
import { millisToHrTime } from "@opentelemetry/core";
import type { Resource } from "@opentelemetry/resources";
import type {
  CollectionResult,
  GaugeMetricData,
  HistogramMetricData,
  MetricData,
  MetricProducer,
  SumMetricData,
} from "@opentelemetry/sdk-metrics";
import { AggregationTemporality, DataPointType, InstrumentType } from "@opentelemetry/sdk-metrics";
import { KINDS } from "../definitions";
import type { ResolvedMetric } from "../definitions";
import { AttributeIndex, BEYOND_MAX_VALUES, describeRejected } from "./attributes";
import type { Reporter } from "./report";
import { show } from "./report";

/** Above this many attribute sets (absent attributes included) a metric takes the plain SDK path. */
export const MAX_FAST_PATH_CELLS = 4096;

/** The attribute set the SDK reports for recordings past the cardinality limit. */
export const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ "otel.metric.overflow": true });

/**
 * The attributes a bound handle keeps: a copy taken at `bind`, so that an app mutating its object later
 * changes nothing. Copied with `for…in`, the walk `AttributeIndex.resolve` does, so the copy resolves
 * exactly as the original would have; primitives and null (untyped code) are kept as they are. Never
 * throws: an object whose properties throw is kept itself, and fails (reported) at each recording, as
 * the unbound call does.
 */
export function snapshotAttributes(attributes: unknown): Attributes | undefined {
  if (attributes === null || typeof attributes !== "object") return attributes as Attributes | undefined;
  try {
    const copy: Record<string, unknown> = {};
    const source = attributes as Record<string, unknown>;
    for (const key in source) copy[key] = source[key];
    return Object.freeze(copy) as Attributes;
  } catch {
    return attributes as Attributes;
  }
}

/**
 * Sums (counters, up-down counters, histogram sums) are kept within ±MAX_SUM, a quarter of the double
 * range, on both paths. A recording that would go beyond is refused: OTLP/JSON sends Infinity as null
 * and the collector refuses the whole request. A quarter, not the whole range: the SDK path exports
 * the sum of per-interval sums, and an up-down counter's interval sum is the difference of two values
 * within ±MAX_SUM, so it stays finite too.
 */
export const MAX_SUM = Number.MAX_VALUE / 4;

/** The message for a refused recording that would take a sum out of range (one per metric). */
export function sumRangeMessage(metric: ResolvedMetric): string {
  return (
    `${metric.name}: recording refused: it would take a sum beyond ±${MAX_SUM.toPrecision(3)}, ` +
    `the finite range this module keeps sums in`
  );
}

/** The warning for the first attribute set past a metric's cardinality limit (one per metric). */
export function limitMessage(metric: ResolvedMetric): string {
  return (
    `${metric.name}: more distinct attribute sets than its cardinality limit of ${metric.cardinalityLimit}; ` +
    `recording further ones in the otel.metric.overflow series (fix the app, or raise cardinalityLimit)`
  );
}

/** The warning for values of an open attribute beyond its `maxValues` (one per metric). */
export function maxValuesMessage(metric: ResolvedMetric): string {
  return (
    `${metric.name}: an open attribute has more distinct values than its declared maxValues; ` +
    `recording them in the otel.metric.overflow series (fix the app, or raise maxValues)`
  );
}

/** True when the metric can use the fast path: its attribute sets (absent attributes included) are few. */
export function fastPathEligible(metric: ResolvedMetric): boolean {
  const cells = metric.attributes.reduce((n, a) => n * (a.cardinality + 1), 1);
  return cells <= MAX_FAST_PATH_CELLS;
}

/** The descriptor the SDK gives an instrument created with the same options (see sdk-metrics' InstrumentDescriptor). */
function descriptorOf(metric: ResolvedMetric, type: InstrumentType) {
  return {
    name: metric.name,
    type,
    description: metric.description,
    unit: metric.unit,
    valueType: ValueType.DOUBLE,
    advice: metric.buckets !== undefined ? { explicitBucketBoundaries: [...metric.buckets] } : {},
  };
}

/**
 * Cell bookkeeping shared by every kind: the dense attribute index, the series each attribute set
 * records into (numbered densely in first-recorded order, the order the SDK reports them in), their
 * start times, and the cardinality limit. As the OTel spec has it for cumulative aggregation, the
 * first `limit` attribute sets get their own series for the life of the process; recordings of
 * further sets go to one extra overflow series.
 */
abstract class FastStorage {
  readonly metric: ResolvedMetric;
  protected readonly index: AttributeIndex;
  protected readonly reporter: Reporter;
  /** The series each attribute set (cell) records into: -1 until first recorded. */
  protected readonly slot: Int32Array;
  /** Most series this metric can have: its attribute sets, capped by the limit (overflow included). */
  protected readonly maxSeriesCount: number;
  private readonly startTimes: HrTime[] = [];
  private readonly attributes: Attributes[] = [];
  private readonly limit: number;
  private regular = 0;
  private overflowSeries = -1;

  constructor(metric: ResolvedMetric, reporter: Reporter) {
    this.metric = metric;
    this.reporter = reporter;
    this.index = new AttributeIndex(metric);
    this.slot = new Int32Array(this.index.size).fill(-1);
    this.limit = metric.cardinalityLimit;
    this.maxSeriesCount = Math.min(this.index.size, this.limit) + 1;
  }

  /**
   * The series an attribute set records into, claimed at its first use; -1 (reported, not thrown) for
   * a set the definition does not allow. One place for every instrument's hot path.
   */
  seriesOf(attributes: Attributes | undefined): number {
    const cell = attributes == null ? 0 : this.index.resolve(attributes);
    if (cell >= 0) {
      const s = this.slot[cell]!;
      return s < 0 ? this.claim(cell) : s;
    }
    if (cell === BEYOND_MAX_VALUES) return this.beyondMaxValues();
    this.rejectAttributes(attributes as Attributes);
    return -1;
  }

  /** The first recording of an attribute set: give it a series of its own, or the overflow series. */
  protected claim(cell: number): number {
    let series: number;
    if (this.regular < this.limit) {
      series = this.newSeries(this.index.attributesAt(cell));
      this.regular++;
    } else {
      this.reporter.warn(limitMessage(this.metric));
      series = this.overflow();
    }
    this.slot[cell] = series;
    return series;
  }

  /** An open attribute took more values than its `maxValues`: count it, in the overflow series. */
  protected beyondMaxValues(): number {
    this.reporter.warn(maxValuesMessage(this.metric));
    return this.overflow();
  }

  private overflow(): number {
    if (this.overflowSeries < 0) this.overflowSeries = this.newSeries(OVERFLOW_ATTRIBUTES);
    return this.overflowSeries;
  }

  private newSeries(attributes: Attributes): number {
    const series = this.attributes.length;
    this.attributes.push(attributes);
    this.startTimes.push(millisToHrTime(Date.now()));
    this.initSeries(series);
    return series;
  }

  protected abstract initSeries(series: number): void;

  /** @internal An unexpected exception in a recording: reported, never rethrown. */
  reportError(method: string, e: unknown): void {
    this.reporter.error(`${this.metric.name}.${method}`, e);
  }

  protected rejectAttributes(attributes: Attributes): void {
    this.reporter.drop(describeRejected(this.metric, attributes));
  }

  protected rejectValue(value: unknown, rule: string): void {
    this.reporter.drop(`${this.metric.name}: value ${show(value)} is not ${rule}`);
  }

  protected refuseSum(): void {
    this.reporter.drop(sumRangeMessage(this.metric));
  }

  protected points<T>(endTime: HrTime, value: (series: number) => T) {
    return this.attributes.map((attributes, s) => ({
      attributes,
      startTime: this.startTimes[s]!,
      endTime,
      value: value(s),
    }));
  }

  get seriesCount(): number {
    return this.attributes.length;
  }

  abstract collect(endTime: HrTime): MetricData | undefined;
}

/** Counters and up-down counters: one running sum per series. */
export class FastSum extends FastStorage {
  private readonly sums: Float64Array;
  private readonly monotonic: boolean;
  /** The smallest value accepted: 0 for counters, -MAX_SUM for up-down counters. */
  readonly least: number;

  constructor(metric: ResolvedMetric, reporter: Reporter) {
    super(metric, reporter);
    this.monotonic = KINDS[metric.kind].monotonic;
    this.least = this.monotonic ? 0 : -MAX_SUM;
    this.sums = new Float64Array(this.maxSeriesCount);
  }

  protected initSeries(): void {}

  add(value: number, attributes?: Attributes): void {
    try {
      // One comparison chain rejects non-numbers, NaN, infinities, (for counters) negatives, and values
      // no sum could take; before the set is looked up, so that a refused recording claims no series.
      if (typeof value !== "number" || !(value <= MAX_SUM && value >= this.least)) {
        this.refuseValue(value);
        return;
      }
      const s = this.seriesOf(attributes);
      if (s >= 0) this.addAt(s, value);
    } catch (e) {
      this.reporter.error(`${this.metric.name}.add`, e);
    }
  }

  /** A handle for one attribute set: its `add` skips the attribute lookup (see {@link BoundSum}). */
  bind(attributes?: Attributes): BoundSum {
    return new BoundSum(this, snapshotAttributes(attributes));
  }

  /** @internal The checks of `add` for a value outside the accepted range, reported. */
  refuseValue(value: unknown): void {
    if (typeof value !== "number" || value - value !== 0 || (this.monotonic && value < 0)) {
      this.rejectValue(value, this.monotonic ? "a finite number ≥ 0" : "a finite number");
    } else this.refuseSum();
  }

  /** @internal Adds an accepted value to a series, unless the sum would leave ±MAX_SUM. */
  addAt(s: number, value: number): void {
    const sum = this.sums[s]! + value;
    if (sum > MAX_SUM || sum < -MAX_SUM) {
      this.refuseSum();
      return;
    }
    this.sums[s] = sum;
  }

  collect(endTime: HrTime): SumMetricData | undefined {
    if (this.seriesCount === 0) return undefined;
    return {
      descriptor: descriptorOf(this.metric, InstrumentType[KINDS[this.metric.kind].sdkInstrument]),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.SUM,
      dataPoints: this.points(endTime, (s) => this.sums[s]!),
      isMonotonic: this.monotonic,
    };
  }
}

/** Synchronous gauges: the last value per series. */
export class FastGauge extends FastStorage {
  private readonly values: Float64Array;

  constructor(metric: ResolvedMetric, reporter: Reporter) {
    super(metric, reporter);
    this.values = new Float64Array(this.maxSeriesCount);
  }

  protected initSeries(): void {}

  record(value: number, attributes?: Attributes): void {
    try {
      if (typeof value !== "number" || value - value !== 0) {
        this.rejectValue(value, "a finite number");
        return;
      }
      const s = this.seriesOf(attributes);
      if (s < 0) return;
      this.values[s] = value;
    } catch (e) {
      this.reporter.error(`${this.metric.name}.record`, e);
    }
  }

  /** A handle for one attribute set: its `record` skips the attribute lookup (see {@link BoundGauge}). */
  bind(attributes?: Attributes): BoundGauge {
    return new BoundGauge(this, snapshotAttributes(attributes));
  }

  /** @internal */
  refuseValue(value: unknown): void {
    this.rejectValue(value, "a finite number");
  }

  /** @internal */
  setAt(s: number, value: number): void {
    this.values[s] = value;
  }

  collect(endTime: HrTime): GaugeMetricData | undefined {
    if (this.seriesCount === 0) return undefined;
    return {
      descriptor: descriptorOf(this.metric, InstrumentType.GAUGE),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: this.points(endTime, (s) => this.values[s]!),
    };
  }
}

/**
 * Explicit-bucket histograms. Per series: bucket counts, count, sum, min and max, all in one
 * Float64Array row, so a recording touches one contiguous block of memory and allocates nothing.
 * Bucket i counts values in (bounds[i-1], bounds[i]] (upper bound inclusive, as in OTel).
 */
export class FastHistogram extends FastStorage {
  /** The boundaries, then +Infinity: a sentinel that ends the bucket search (see `recordAt`). */
  private readonly bounds: Float64Array;
  private readonly boundaries: number[];
  /** Row layout: [count, sum, min, max, bucket 0 … bucket n]. */
  private readonly width: number;
  private rows: Float64Array;

  constructor(metric: ResolvedMetric, reporter: Reporter) {
    super(metric, reporter);
    // Same normalisation as the SDK's ExplicitBucketHistogramAggregation: sorted, no infinities.
    this.boundaries = [...(metric.buckets ?? [])].sort((a, b) => a - b).filter((b) => Number.isFinite(b));
    this.bounds = Float64Array.from([...this.boundaries, Infinity]);
    this.width = 4 + this.boundaries.length + 1;
    // Rows grow as series appear: memory follows the series in use, not the possible attribute sets.
    this.rows = new Float64Array(0);
  }

  protected initSeries(series: number): void {
    const need = (series + 1) * this.width;
    if (this.rows.length < need) {
      const grown = new Float64Array(
        Math.min(Math.max(need, this.rows.length * 2), this.maxSeriesCount * this.width),
      );
      grown.set(this.rows);
      this.rows = grown;
    }
    const o = series * this.width;
    this.rows[o + 2] = Infinity;
    this.rows[o + 3] = -Infinity;
  }

  record(value: number, attributes?: Attributes): void {
    try {
      if (typeof value !== "number" || !(value >= 0 && value <= MAX_SUM)) {
        this.refuseValue(value);
        return;
      }
      const s = this.seriesOf(attributes);
      if (s >= 0) this.recordAt(s, value);
    } catch (e) {
      this.reporter.error(`${this.metric.name}.record`, e);
    }
  }

  /** A handle for one attribute set: its `record` skips the attribute lookup (see {@link BoundHistogram}). */
  bind(attributes?: Attributes): BoundHistogram {
    return new BoundHistogram(this, snapshotAttributes(attributes));
  }

  /** @internal */
  refuseValue(value: unknown): void {
    if (typeof value !== "number" || !(value >= 0) || value === Infinity) {
      this.rejectValue(value, "a finite number ≥ 0");
    } else this.refuseSum();
  }

  /** @internal Records an accepted value into a series' row, unless its sum would pass MAX_SUM. */
  recordAt(s: number, value: number): void {
    // Read at every call: the rows are reallocated as series appear.
    const rows = this.rows;
    const o = s * this.width;
    const sum = rows[o + 1]! + value;
    if (sum > MAX_SUM) {
      this.refuseSum();
      return;
    }
    rows[o]! += 1;
    rows[o + 1] = sum;
    if (value < rows[o + 2]!) rows[o + 2] = value;
    if (value > rows[o + 3]!) rows[o + 3] = value;
    // Linear scan: bucket lists are short (≤ ~20), where it beats a binary search. The value is finite
    // (checked by every caller), so the +Infinity sentinel stops the scan at the last (overflow) bucket
    // at the latest: one comparison per bucket instead of two.
    const bounds = this.bounds;
    let b = 0;
    while (bounds[b]! < value) b++;
    rows[o + 4 + b]! += 1;
  }

  collect(endTime: HrTime): HistogramMetricData | undefined {
    if (this.seriesCount === 0) return undefined;
    const rows = this.rows;
    const w = this.width;
    return {
      descriptor: descriptorOf(this.metric, InstrumentType.HISTOGRAM),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: this.points(endTime, (s) => {
        const o = s * w;
        return {
          count: rows[o]!,
          sum: rows[o + 1]!,
          min: rows[o + 2]!,
          max: rows[o + 3]!,
          buckets: { boundaries: this.boundaries, counts: Array.from(rows.subarray(o + 4, o + w)) },
        };
      }),
    };
  }
}

/**
 * Bound handles. A handle keeps its attribute set and, once it has recorded, the series that set
 * records into: later recordings go straight to that series. The series is claimed at the first
 * recording, not at `bind`, and through the same `seriesOf` as the unbound call, so the order of
 * series, the cardinality limit, `maxValues` and the overflow series come out exactly as they would
 * unbound. A series number never changes (a set keeps its series, or the overflow series, for the
 * life of the process), so caching it is safe across collections. A set that is refused (undeclared
 * keys or values) is not cached: every recording is then dropped and reported, as unbound.
 */
export class BoundSum {
  private s = -1;
  constructor(
    private readonly storage: FastSum,
    private readonly attributes: Attributes | undefined,
  ) {}

  add(value: number): void {
    const storage = this.storage;
    try {
      if (typeof value !== "number" || !(value <= MAX_SUM && value >= storage.least)) {
        storage.refuseValue(value);
        return;
      }
      let s = this.s;
      if (s < 0) {
        s = storage.seriesOf(this.attributes);
        if (s < 0) return;
        this.s = s;
      }
      storage.addAt(s, value);
    } catch (e) {
      storage.reportError("add", e);
    }
  }
}

/** A gauge's bound handle (see {@link BoundSum}). */
export class BoundGauge {
  private s = -1;
  constructor(
    private readonly storage: FastGauge,
    private readonly attributes: Attributes | undefined,
  ) {}

  record(value: number): void {
    const storage = this.storage;
    try {
      if (typeof value !== "number" || value - value !== 0) {
        storage.refuseValue(value);
        return;
      }
      let s = this.s;
      if (s < 0) {
        s = storage.seriesOf(this.attributes);
        if (s < 0) return;
        this.s = s;
      }
      storage.setAt(s, value);
    } catch (e) {
      storage.reportError("record", e);
    }
  }
}

/** A histogram's bound handle (see {@link BoundSum}). */
export class BoundHistogram {
  private s = -1;
  constructor(
    private readonly storage: FastHistogram,
    private readonly attributes: Attributes | undefined,
  ) {}

  record(value: number): void {
    const storage = this.storage;
    try {
      if (typeof value !== "number" || !(value >= 0 && value <= MAX_SUM)) {
        storage.refuseValue(value);
        return;
      }
      let s = this.s;
      if (s < 0) {
        s = storage.seriesOf(this.attributes);
        if (s < 0) return;
        this.s = s;
      }
      storage.recordAt(s, value);
    } catch (e) {
      storage.reportError("record", e);
    }
  }
}

export type FastInstrument = FastSum | FastGauge | FastHistogram;

export function createFastInstrument(metric: ResolvedMetric, reporter: Reporter): FastInstrument {
  switch (KINDS[metric.kind].sdkInstrument) {
    case "COUNTER":
    case "UP_DOWN_COUNTER":
      return new FastSum(metric, reporter);
    case "GAUGE":
      return new FastGauge(metric, reporter);
    case "HISTOGRAM":
      return new FastHistogram(metric, reporter);
  }
}

/**
 * Hands the fast-path cells to a reader at collection time, as one scope of cumulative MetricData.
 * Timestamps follow the SDK: a series starts at its first recording, and every point ends at the
 * collection time.
 */
export class FastPathProducer implements MetricProducer {
  constructor(
    private readonly scope: InstrumentationScope,
    private readonly resource: Resource,
    private readonly instruments: readonly FastInstrument[],
  ) {}

  async collect(): Promise<CollectionResult> {
    const endTime = millisToHrTime(Date.now());
    const metrics: MetricData[] = [];
    for (const instrument of this.instruments) {
      const data = instrument.collect(endTime);
      if (data !== undefined) metrics.push(data);
    }
    return {
      resourceMetrics: {
        resource: this.resource,
        scopeMetrics: metrics.length === 0 ? [] : [{ scope: this.scope, metrics }],
      },
      errors: [],
    };
  }
}
