// Puts the fast-path data into whatever reader the app uses. The MeterProvider hands each reader the
// SDK's own MetricProducer; this wrapper hands the wrapped reader a producer that returns the SDK's
// data plus the fast-path scope, merged into the SDK scope of the same name. Any reader works this way
// (periodic OTLP export, an in-memory test reader, a pull exporter) without knowing about the fast path.
import type { InstrumentationScope } from "@opentelemetry/core";
import type {
  AggregationOption,
  CollectionResult,
  IMetricReader,
  InstrumentType,
  MetricCollectOptions,
  MetricProducer,
  ScopeMetrics,
} from "@opentelemetry/sdk-metrics";
import type { AggregationTemporality } from "@opentelemetry/sdk-metrics";

function sameScope(a: InstrumentationScope, b: InstrumentationScope): boolean {
  return a.name === b.name && a.version === b.version && a.schemaUrl === b.schemaUrl;
}

/** SDK scopes plus `extra`, an extra scope's metrics appended to the SDK scope it equals. */
export function mergeScopes(sdk: readonly ScopeMetrics[], extra: readonly ScopeMetrics[]): ScopeMetrics[] {
  const out = sdk.map((s) => ({ scope: s.scope, metrics: [...s.metrics] }));
  for (const e of extra) {
    const same = out.find((s) => sameScope(s.scope, e.scope));
    if (same !== undefined) same.metrics.push(...e.metrics);
    else out.push({ scope: e.scope, metrics: [...e.metrics] });
  }
  return out;
}

export class MergingReader implements IMetricReader {
  /**
   * @param cardinalityLimit the SDK's limit for every instrument, in place of the inner reader's: the
   *   module bounds attribute sets itself, per metric, before the SDK sees them (see sdkpath.ts).
   */
  constructor(
    readonly inner: IMetricReader,
    private readonly extra: MetricProducer,
    private readonly cardinalityLimit: number,
  ) {}

  setMetricProducer(sdk: MetricProducer): void {
    const extra = this.extra;
    this.inner.setMetricProducer({
      async collect(options?: MetricCollectOptions): Promise<CollectionResult> {
        const [a, b] = await Promise.all([sdk.collect(options), extra.collect(options)]);
        return {
          resourceMetrics: {
            resource: a.resourceMetrics.resource,
            scopeMetrics: mergeScopes(a.resourceMetrics.scopeMetrics, b.resourceMetrics.scopeMetrics),
          },
          errors: [...a.errors, ...b.errors],
        };
      },
    });
  }

  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.inner.selectAggregation(instrumentType);
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.inner.selectAggregationTemporality(instrumentType);
  }

  selectCardinalityLimit(): number {
    return this.cardinalityLimit;
  }

  collect(options?: MetricCollectOptions): Promise<CollectionResult> {
    return this.inner.collect(options);
  }

  shutdown(options?: { timeoutMillis?: number }): Promise<void> {
    return this.inner.shutdown(options);
  }

  forceFlush(options?: { timeoutMillis?: number }): Promise<void> {
    return this.inner.forceFlush(options);
  }
}
