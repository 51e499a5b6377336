// The plain SDK path: real sdk-metrics instruments behind the same checks as the fast path. Used for
// metrics the fast path cannot pre-resolve (open `maxValues` attributes, very many attribute sets) and
// for everything when `fastPath: false`.
import type { Attributes, Meter } from "@opentelemetry/api";
import { ValueType } from "@opentelemetry/api";
import type { ViewOptions } from "@opentelemetry/sdk-metrics";
import { InstrumentType } from "@opentelemetry/sdk-metrics";
import type { ResolvedMetric } from "../definitions";
import { attributeProblem } from "./attributes";
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

/** The SDK instrument type a metric is created as (system-health metrics are observable). */
export function sdkInstrumentType(metric: ResolvedMetric): InstrumentType {
  if (metric.key === "memoryUsage" || metric.key === "cpuUsage") return InstrumentType.OBSERVABLE_GAUGE;
  if (metric.key === "uptime") {
    return metric.kind === "counter" ? InstrumentType.OBSERVABLE_COUNTER : InstrumentType.OBSERVABLE_GAUGE;
  }
  return {
    counter: InstrumentType.COUNTER,
    upDownCounter: InstrumentType.UP_DOWN_COUNTER,
    gauge: InstrumentType.GAUGE,
    histogram: InstrumentType.HISTOGRAM,
  }[metric.kind];
}

/** One View per metric, carrying the definition's cardinality limit to the SDK. */
export function cardinalityView(metric: ResolvedMetric, meterName: string): ViewOptions {
  return {
    instrumentName: metric.name,
    meterName,
    aggregationCardinalityLimit: metric.cardinalityLimit,
  };
}

export class SdkInstrument {
  private readonly sdk: Recorder;
  private readonly nonNegative: boolean;
  /** Declared keys → their listed values, or null for open (`maxValues`) attributes. */
  private readonly allowed: Map<string, ReadonlySet<unknown> | null>;

  constructor(
    readonly metric: ResolvedMetric,
    meter: Meter,
    private readonly reporter: Reporter,
  ) {
    const options = instrumentOptions(metric);
    switch (metric.kind) {
      case "counter":
        this.sdk = meter.createCounter(metric.name, options);
        break;
      case "upDownCounter":
        this.sdk = meter.createUpDownCounter(metric.name, options);
        break;
      case "gauge":
        this.sdk = meter.createGauge(metric.name, options);
        break;
      case "histogram":
        this.sdk = meter.createHistogram(metric.name, options);
        break;
    }
    this.nonNegative = metric.kind === "counter" || metric.kind === "histogram";
    this.allowed = new Map(
      metric.attributes.map((a) => [a.key, a.values !== undefined ? new Set(a.values) : null]),
    );
  }

  private check(value: number, attributes: Attributes | undefined): boolean {
    if (typeof value !== "number" || value - value !== 0 || (this.nonNegative && value < 0)) {
      const rule = this.nonNegative ? "a finite number ≥ 0" : "a finite number";
      this.reporter.drop(`${this.metric.name}: value ${show(value)} is not ${rule}`);
      return false;
    }
    if (attributes != null) {
      // Hot path: lookups in tables built once; the message is only built for a bad set.
      for (const key in attributes) {
        const value = attributes[key];
        if (value === undefined) continue;
        const allowed = this.allowed.get(key);
        if (allowed === undefined || (allowed === null ? typeof value !== "string" : !allowed.has(value))) {
          this.reporter.drop(
            attributeProblem(this.metric, attributes) ?? `${this.metric.name}: bad attributes`,
          );
          return false;
        }
      }
    }
    return true;
  }

  add(value: number, attributes?: Attributes): void {
    try {
      if (this.check(value, attributes)) this.sdk.add!(value, attributes ?? undefined);
    } catch (e) {
      this.reporter.error(`${this.metric.name}.add`, e);
    }
  }

  record(value: number, attributes?: Attributes): void {
    try {
      if (this.check(value, attributes)) this.sdk.record!(value, attributes ?? undefined);
    } catch (e) {
      this.reporter.error(`${this.metric.name}.record`, e);
    }
  }
}
