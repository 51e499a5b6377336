// The plain SDK path: real sdk-metrics instruments behind the same checks and bounds as the fast path.
// Used for metrics with too many attribute sets for the fast path's dense cells, and for everything
// when `fastPath: false`.
import type { Attributes, Meter } from "@opentelemetry/api";
import { ValueType } from "@opentelemetry/api";
import { KINDS } from "../definitions";
import type { ResolvedMetric } from "../definitions";
import { AttributeIndex, BEYOND_MAX_VALUES, describeRejected } from "./attributes";
import {
  limitMessage,
  MAX_SUM,
  maxValuesMessage,
  OVERFLOW_ATTRIBUTES,
  snapshotAttributes,
  sumRangeMessage,
} from "./fast";
import type { Reporter } from "./report";
import { show } from "./report";

interface Recorder {
  add?(value: number, attributes?: Attributes): void;
  record?(value: number, attributes?: Attributes): void;
}

/** Options the SDK instrument is created with (shared with the tests' plain-SDK reference). */
export function instrumentOptions(metric: ResolvedMetric) {
  return {
    description: metric.description,
    unit: metric.unit,
    valueType: ValueType.DOUBLE,
    ...(metric.buckets !== undefined ? { advice: { explicitBucketBoundaries: [...metric.buckets] } } : {}),
  };
}

/**
 * The plain SDK path keeps the same lifetime bounds as the fast path, ahead of the SDK: sdk-metrics 2.x
 * applies its limit per collection interval (and at `limit - 1`), so with cumulative temporality it
 * would admit new attribute sets at every collection. Here the first `limit` sets (each open value up
 * to `maxValues`) are passed on as themselves, for the life of the process, and the rest as the
 * overflow set; the SDK then never sees more than `limit + 1` sets. Sums are tracked per set so that
 * a recording that would take one out of range is refused before it reaches the SDK.
 */
export class SdkInstrument {
  private readonly sdk: Recorder;
  private readonly nonNegative: boolean;
  private readonly summed: boolean;
  private readonly index: AttributeIndex;
  /** Attribute set (cell index) → its series number; at most `limit` entries. */
  private readonly series = new Map<number, number>();
  /** Each series' attributes as passed to the SDK: canonical, frozen, one object per set. */
  private readonly seriesAttributes: Attributes[] = [];
  /** Each series' running sum (counters, up-down counters, histogram sums). */
  private readonly sums: number[] = [];
  private overflowSeries = -1;

  constructor(
    readonly metric: ResolvedMetric,
    meter: Meter,
    private readonly reporter: Reporter,
  ) {
    const options = instrumentOptions(metric);
    const facts = KINDS[metric.kind];
    switch (facts.sdkInstrument) {
      case "COUNTER":
        this.sdk = meter.createCounter(metric.name, options);
        break;
      case "UP_DOWN_COUNTER":
        this.sdk = meter.createUpDownCounter(metric.name, options);
        break;
      case "GAUGE":
        this.sdk = meter.createGauge(metric.name, options);
        break;
      case "HISTOGRAM":
        this.sdk = meter.createHistogram(metric.name, options);
        break;
    }
    this.nonNegative = facts.nonNegative;
    this.summed = facts.additive;
    this.index = new AttributeIndex(metric);
  }

  /** The series `value` goes to, or -1 when the recording is dropped (reported). */
  private seriesFor(value: number, attributes: Attributes | undefined): number {
    if (typeof value !== "number" || value - value !== 0 || (this.nonNegative && value < 0)) {
      const rule = this.nonNegative ? "a finite number ≥ 0" : "a finite number";
      this.reporter.drop(`${this.metric.name}: value ${show(value)} is not ${rule}`);
      return -1;
    }
    // Checked before the set is looked up, so that a refused recording claims no series.
    if (this.summed && (value > MAX_SUM || value < -MAX_SUM)) {
      this.reporter.drop(sumRangeMessage(this.metric));
      return -1;
    }
    const cell = attributes == null ? 0 : this.index.resolve(attributes);
    let s: number | undefined;
    if (cell >= 0) {
      s = this.series.get(cell);
      if (s === undefined) {
        if (this.series.size < this.metric.cardinalityLimit) {
          s = this.newSeries(this.index.attributesAt(cell));
          this.series.set(cell, s);
        } else {
          this.reporter.warn(limitMessage(this.metric));
          s = this.overflow();
        }
      }
    } else if (cell === BEYOND_MAX_VALUES) {
      this.reporter.warn(maxValuesMessage(this.metric));
      s = this.overflow();
    } else {
      this.reporter.drop(describeRejected(this.metric, attributes as Attributes));
      return -1;
    }
    if (this.summed) {
      const sum = this.sums[s]! + value;
      if (sum > MAX_SUM || sum < -MAX_SUM) {
        this.reporter.drop(sumRangeMessage(this.metric));
        return -1;
      }
      this.sums[s] = sum;
    }
    return s;
  }

  private newSeries(attributes: Attributes): number {
    this.sums.push(0);
    return this.seriesAttributes.push(attributes) - 1;
  }

  private overflow(): number {
    if (this.overflowSeries < 0) this.overflowSeries = this.newSeries(OVERFLOW_ATTRIBUTES);
    return this.overflowSeries;
  }

  add(value: number, attributes?: Attributes): void {
    try {
      const s = this.seriesFor(value, attributes);
      if (s >= 0) this.sdk.add!(value, this.seriesAttributes[s]);
    } catch (e) {
      this.reporter.error(`${this.metric.name}.add`, e);
    }
  }

  record(value: number, attributes?: Attributes): void {
    try {
      const s = this.seriesFor(value, attributes);
      if (s >= 0) this.sdk.record!(value, this.seriesAttributes[s]);
    } catch (e) {
      this.reporter.error(`${this.metric.name}.record`, e);
    }
  }

  /**
   * A handle for one attribute set. On this path it keeps a copy of the attributes (taken at `bind`,
   * as on the fast path) and makes the unbound call: the SDK's own work dominates the cost here, and
   * going through `add`/`record` keeps checks, limits and reports identical by construction.
   */
  bind(attributes?: Attributes): SdkBound {
    return new SdkBound(this, snapshotAttributes(attributes));
  }
}

/** A plain-SDK-path bound handle (see {@link SdkInstrument.bind}); `add`/`record` as its instrument's. */
export class SdkBound {
  constructor(
    private readonly instrument: SdkInstrument,
    private readonly attributes: Attributes | undefined,
  ) {}

  add(value: number): void {
    this.instrument.add(value, this.attributes);
  }

  record(value: number): void {
    this.instrument.record(value, this.attributes);
  }
}
