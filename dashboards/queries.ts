// PromQL for the panels, built only from a metric's resolved series names, attribute labels and
// meaning (definitions/semantics.ts), so a dashboard never names a series the pipeline does not
// write and never combines series in a way the catalogue says is meaningless.
import type { ResolvedMetric } from "../definitions";
import { kindFacts, kindPhrases, kindsWhere, type KindFacts } from "../definitions/kinds";
import type { MetricMeaning } from "../definitions/semantics";

/** Label matchers every selector of a dashboard carries (`job=~"$job"` …), in order. */
export interface LabelScope {
  readonly matchers: readonly string[];
}

/** Grafana's rate window: at least four scrape intervals, so rate() always has two samples. */
export const RATE_INTERVAL = "$__rate_interval";

/** The latency quantiles of RED rows and histogram panels. */
export const HISTOGRAM_QUANTILES: readonly number[] = [0.5, 0.95, 0.99];

/** Label values to keep (`=~"a|b"`) or drop (`!~`), by label. */
export interface Filter {
  readonly label: string;
  readonly values: readonly string[];
  readonly negate?: boolean;
}

/** `name{m1,m2,filters}`, or the bare name when there are no matchers. */
export function selector(series: string, scope: LabelScope, filters: readonly Filter[] = []): string {
  const matchers = [
    ...scope.matchers,
    ...filters.map(
      (f) => `${f.label}${f.negate === true ? "!~" : "=~"}"${f.values.map(escapeRegex).join("|")}"`,
    ),
  ];
  return matchers.length === 0 ? series : `${series}{${matchers.join(",")}}`;
}

function escapeRegex(v: string): string {
  return v.replace(/[\\.+*?()|[\]{}^$"]/g, (c) => (c === '"' ? '\\"' : `\\\\${c}`));
}

function aggregate(op: string, labels: readonly string[], inner: string): string {
  return labels.length === 0 ? `${op}(${inner})` : `${op} by (${labels.join(", ")}) (${inner})`;
}

/** Refuses a metric whose kind lacks what `what` needs; the kinds that have it are read from the table. */
function expectKind(m: ResolvedMetric, has: (facts: KindFacts) => boolean, what: string): void {
  if (!has(kindFacts(m.kind))) {
    throw new Error(
      `dashboards: ${what} needs ${kindPhrases(kindsWhere(has))}, but metric "${m.name}" is ${kindFacts(m.kind).phrase}.`,
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
  expectKind(m, (k) => k.buckets, "a histogram panel");
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
  return kindFacts(m.kind).buckets ? histogramSeries(m).count : (m.seriesNames[0] as string);
}

/** The series counted by a rate: a counter's, or a histogram's `_count`. */
function eventSeries(m: ResolvedMetric): string {
  expectKind(m, (k) => k.rate !== "none", "a rate");
  return presenceSeries(m);
}

/**
 * Partition labels of `meaning` that `by` neither keeps nor `filters` pins: aggregating across
 * them would add up figures that are not parts of one total.
 */
function summedPartitions(
  meaning: MetricMeaning,
  by: readonly string[],
  filters: readonly Filter[],
): string[] {
  return meaning.partitions
    .map((p) => p.label)
    .filter(
      (l) =>
        !by.includes(l) && !filters.some((f) => f.label === l && f.negate !== true && f.values.length === 1),
    );
}

function refusePartitionSum(
  meaning: MetricMeaning,
  by: readonly string[],
  filters: readonly Filter[],
  what: string,
): void {
  const summed = summedPartitions(meaning, by, filters);
  if (summed.length > 0) {
    throw new Error(
      `dashboards: ${what} of "${meaning.metric.name}" would sum across its partition ${summed.join(", ")}. ` +
        `Keep the label or filter it to one value.`,
    );
  }
}

/** Per-second rate of a counter (or a histogram's observations), summed by `by`. */
export function rateOf(
  meaning: MetricMeaning,
  scope: LabelScope,
  by: readonly string[] = [],
  filters: readonly Filter[] = [],
): string {
  const m = meaning.metric;
  // A partition whose values add up to a whole (CPU seconds by state: `inUse`) may be rated in
  // total, which is the capacity; one of distinct quantities (each disk's busy time) may not.
  const distinct = meaning.partitions.filter((p) => p.inUse === undefined);
  refusePartitionSum({ ...meaning, partitions: distinct }, by, filters, "a rate");
  return aggregate("sum", by, `rate(${selector(eventSeries(m), scope, filters)}[${RATE_INTERVAL}])`);
}

/**
 * The rate of a counter that only exists after its first event, falling back to 0 with the labels
 * of `partner`'s series (its requests counter) rather than a label-less `vector(0)`: a bad
 * `$instance` then still shows "No data", not a healthy 0.
 */
export function rateOrZero(
  meaning: MetricMeaning,
  partner: MetricMeaning | undefined,
  scope: LabelScope,
  by: readonly string[] = [],
  filters: readonly Filter[] = [],
): string {
  const expr = rateOf(meaning, scope, by, filters);
  if (!meaning.metric.zeroWhenAbsent || partner === undefined) return expr;
  const partnerBy = by.filter(
    (l) => partner.metric.attributes.some((a) => a.label === l) || l === "instance" || l === "job",
  );
  if (partnerBy.length !== by.length) return expr;
  return `(${expr} or ${rateOf(partner, scope, by)} * 0)`;
}

/** The marker of a zero fallback: `(<query> or <partner query> * 0)`. */
export const ZERO_FALLBACK = " * 0)";

/**
 * `expr` with every zero fallback `(X or Y * 0)` replaced by X: what the series themselves answer.
 * The end-to-end test uses it to tell real data from the fallback.
 */
export function withoutZeroFallbacks(expr: string): string {
  for (let start = expr.indexOf("("); start >= 0; start = expr.indexOf("(", start + 1)) {
    let depth = 0;
    let or = -1;
    let end = -1;
    for (let i = start; i < expr.length; i++) {
      const ch = expr[i];
      if (ch === "(") depth++;
      else if (ch === ")" && --depth === 0) {
        end = i;
        break;
      } else if (depth === 1 && or < 0 && expr.startsWith(" or ", i)) or = i;
    }
    if (end > 0 && or > 0 && expr.slice(0, end + 1).endsWith(ZERO_FALLBACK)) {
      return withoutZeroFallbacks(expr.slice(0, start) + expr.slice(start + 1, or) + expr.slice(end + 1));
    }
  }
  return expr;
}

/** Current value of a gauge or up-down counter, combined by its declared aggregation. */
export function valueOf(
  meaning: MetricMeaning,
  scope: LabelScope,
  by: readonly string[] = [],
  filters: readonly Filter[] = [],
): string {
  const m = meaning.metric;
  expectKind(m, (k) => k.shows === "value", "a current-value panel");
  refusePartitionSum(meaning, by, filters, "a value");
  const op = meaning.aggregation ?? "sum";
  return aggregate(op, by, selector(m.seriesNames[0] as string, scope, filters));
}

/**
 * The share of a partition's `inUse` values in its whole, per whole (the metric's other attributes
 * plus `per`, e.g. instance and mount point): CPU utilisation, filesystem fullness.
 */
export function shareOf(meaning: MetricMeaning, scope: LabelScope, per: readonly string[]): string {
  const p = meaning.partitions.find((x) => x.inUse !== undefined);
  if (p === undefined)
    throw new Error(`dashboards: "${meaning.metric.name}" has no partition with inUse values.`);
  const keys = [...per, ...attributeLabels(meaning.metric).filter((l) => l !== p.label && !per.includes(l))];
  const used: Filter = { label: p.label, values: p.inUse as readonly string[] };
  const m = meaning.metric;
  if (kindFacts(m.kind).rate === "series") {
    const r = (f: readonly Filter[]) =>
      aggregate("sum", keys, `rate(${selector(m.seriesNames[0] as string, scope, f)}[${RATE_INTERVAL}])`);
    return `${r([used])} / ${r([])}`;
  }
  const v = (f: readonly Filter[]) => aggregate("sum", keys, selector(m.seriesNames[0] as string, scope, f));
  return `${v([used])} / ${v([])}`;
}

/** The q-quantile of a histogram from its bucket rates, per `by`. */
export function quantileOf(
  meaning: MetricMeaning,
  scope: LabelScope,
  q: number,
  by: readonly string[] = [],
  filters: readonly Filter[] = [],
): string {
  const { bucket } = histogramSeries(meaning.metric);
  return `histogram_quantile(${q}, ${aggregate("sum", ["le", ...by], `rate(${selector(bucket, scope, filters)}[${RATE_INTERVAL}])`)})`;
}

/** Per-second rate of each bucket (a heatmap's input). */
export function bucketRates(meaning: MetricMeaning, scope: LabelScope): string {
  const { bucket } = histogramSeries(meaning.metric);
  return aggregate("sum", ["le"], `rate(${selector(bucket, scope)}[${RATE_INTERVAL}])`);
}

/** Mean observed value: rate of `_sum` over rate of `_count`. */
export function meanOf(meaning: MetricMeaning, scope: LabelScope, by: readonly string[] = []): string {
  const { sum, count } = histogramSeries(meaning.metric);
  const rate = (s: string): string => aggregate("sum", by, `rate(${selector(s, scope)}[${RATE_INTERVAL}])`);
  return `${rate(sum)} / ${rate(count)}`;
}

/** The failing part of a requests metric: its paired failure counters and its failure values. */
export function failureRate(
  requests: MetricMeaning,
  errors: readonly MetricMeaning[],
  scope: LabelScope,
  by: readonly string[] = [],
): string | undefined {
  const parts = errors.map((e) => rateOrZero(e, requests, scope, by));
  for (const f of requests.failures)
    parts.push(rateOf(requests, scope, by, [{ label: f.label, values: f.values }]));
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(" + ")})`;
}

/** Failed / all, per `by`: the error ratio of a RED row. */
export function errorRatio(
  requests: MetricMeaning,
  errors: readonly MetricMeaning[],
  scope: LabelScope,
  by: readonly string[] = [],
): string | undefined {
  const failed = failureRate(requests, errors, scope, by);
  if (failed === undefined) return undefined;
  return `${failed} / ${rateOf(requests, scope, by)}`;
}

/** Seconds since the youngest instance started (a restart shows as a drop). */
export function youngestUptime(meaning: MetricMeaning, scope: LabelScope): string {
  return `min(${selector(meaning.metric.seriesNames[0] as string, scope)})`;
}

/** Live instances: those whose uptime series is current. */
export function liveInstances(meaning: MetricMeaning, scope: LabelScope): string {
  return `count(${selector(meaning.metric.seriesNames[0] as string, scope)})`;
}

/**
 * A restart annotation's query: instances whose uptime is below `seconds` (just started). A fresh
 * instance id per process means a restart is a new series starting low, not a counter reset.
 */
export function recentStarts(meaning: MetricMeaning, scope: LabelScope, seconds: number): string {
  return `min by (job, instance) (${selector(meaning.metric.seriesNames[0] as string, scope)}) < ${seconds}`;
}
