// PromQL for the panels, built only from a ResolvedMetric's series names and attribute labels, so
// a dashboard can never name a series the pipeline does not write.
import type { ResolvedMetric } from "../definitions";

/** Label matchers every selector of a dashboard carries (`job=~"$job"` …), in order. */
export interface LabelScope {
  readonly matchers: readonly string[];
}

/** Grafana's rate window: at least four scrape intervals, so rate() always has two samples. */
export const RATE_INTERVAL = "$__rate_interval";

export const HISTOGRAM_QUANTILES: readonly number[] = [0.5, 0.9, 0.99];

/** `name{m1,m2}`, or the bare name when the scope has no matchers. */
export function selector(series: string, scope: LabelScope): string {
  return scope.matchers.length === 0 ? series : `${series}{${scope.matchers.join(",")}}`;
}

function sumBy(labels: readonly string[], inner: string): string {
  return labels.length === 0 ? `sum(${inner})` : `sum by (${labels.join(", ")}) (${inner})`;
}

function expectKind(m: ResolvedMetric, kinds: readonly string[], what: string): void {
  if (!kinds.includes(m.kind)) {
    throw new Error(
      `dashboards: ${what} needs a ${kinds.join(" or ")}, but metric "${m.name}" is a ${m.kind}.`,
    );
  }
}

/** The labels of a metric's attributes, in declaration order. */
export function attributeLabels(m: ResolvedMetric): string[] {
  return m.attributes.map((a) => a.label);
}

/** `{{a}} {{b}}` for a breakdown by labels; `fallback` when there are none. */
export function legendFor(labels: readonly string[], fallback: string): string {
  return labels.length === 0 ? fallback : labels.map((l) => `{{${l}}}`).join(" ");
}

/** The `_bucket`, `_sum` and `_count` series of a histogram, taken from its resolved series names. */
export function histogramSeries(m: ResolvedMetric): { bucket: string; sum: string; count: string } {
  expectKind(m, ["histogram"], "a histogram panel");
  const find = (suffix: string): string => {
    const s = m.seriesNames.find((n) => n === `${m.prometheusName}${suffix}`);
    if (s === undefined) {
      throw new Error(`dashboards: histogram "${m.name}" has no ${suffix} series in its seriesNames.`);
    }
    return s;
  };
  return { bucket: find("_bucket"), sum: find("_sum"), count: find("_count") };
}

/** The one series that shows a metric exists (a histogram's `_count`). */
export function presenceSeries(m: ResolvedMetric): string {
  return m.kind === "histogram" ? histogramSeries(m).count : (m.seriesNames[0] as string);
}

/** Per-second rate of a counter, summed by `labels`. */
/** Appended to queries of metrics that only exist after their first event, so panels show 0. */
export const ZERO_FALLBACK = "or vector(0)";

export function counterRate(m: ResolvedMetric, scope: LabelScope, labels: readonly string[] = []): string {
  expectKind(m, ["counter"], "a rate panel");
  const expr = sumBy(labels, `rate(${selector(m.seriesNames[0] as string, scope)}[${RATE_INTERVAL}])`);
  return m.zeroWhenAbsent ? `${expr} ${ZERO_FALLBACK}` : expr;
}

/** Current value of a gauge or up-down counter, summed by `labels`. */
export function currentValue(m: ResolvedMetric, scope: LabelScope, labels: readonly string[] = []): string {
  expectKind(m, ["gauge", "upDownCounter"], "a current-value panel");
  return sumBy(labels, selector(m.seriesNames[0] as string, scope));
}

/** The q-quantile of a histogram from its bucket rates, per `labels`. */
export function histogramQuantile(
  m: ResolvedMetric,
  scope: LabelScope,
  q: number,
  labels: readonly string[] = [],
): string {
  const { bucket } = histogramSeries(m);
  return `histogram_quantile(${q}, ${sumBy(["le", ...labels], `rate(${selector(bucket, scope)}[${RATE_INTERVAL}])`)})`;
}

/** Per-second rate of each bucket (a heatmap's input). */
export function histogramBucketRates(m: ResolvedMetric, scope: LabelScope): string {
  const { bucket } = histogramSeries(m);
  return sumBy(["le"], `rate(${selector(bucket, scope)}[${RATE_INTERVAL}])`);
}

/** Observations per second, from `_count`. */
export function histogramRate(m: ResolvedMetric, scope: LabelScope, labels: readonly string[] = []): string {
  const { count } = histogramSeries(m);
  return sumBy(labels, `rate(${selector(count, scope)}[${RATE_INTERVAL}])`);
}

/** Mean observed value: rate of `_sum` over rate of `_count`. */
export function histogramMean(m: ResolvedMetric, scope: LabelScope, labels: readonly string[] = []): string {
  const { sum, count } = histogramSeries(m);
  const rate = (s: string): string => sumBy(labels, `rate(${selector(s, scope)}[${RATE_INTERVAL}])`);
  return `${rate(sum)} / ${rate(count)}`;
}
