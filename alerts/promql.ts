// PromQL for the rules, built only from the resolved objectives and alerts (definitions/alerting.ts):
// series names, labels and values the catalogue declares, never text a user typed.
import { countSeries } from "../definitions";
import type { LabelMatch, ResolvedAlert, ResolvedObjective } from "../definitions";

/** Label values in a `=~` matcher: regex-escaped, then string-escaped. */
function regexValue(v: string): string {
  return v.replace(/[\\.+*?()|[\]{}^$]/g, (c) => `\\${c}`).replace(/[\\"]/g, (c) => `\\${c}`);
}

/** A label matcher: `label="v"` for one plain value, `label=~"a|b"` for several. */
export function matcher(label: string, values: readonly string[]): string {
  if (values.length === 1 && /^[A-Za-z0-9_:./ -]*$/.test(values[0] as string))
    return `${label}="${values[0]}"`;
  return `${label}=~"${values.map(regexValue).join("|")}"`;
}

/** `series{m1,m2}`, or the bare name. */
export function selector(
  series: string,
  matches: readonly LabelMatch[],
  extra: readonly string[] = [],
): string {
  const all = [...extra, ...matches.map((m) => matcher(m.label, m.values))];
  return all.length === 0 ? series : `${series}{${all.join(",")}}`;
}

function by(labels: readonly string[]): string {
  return `by (${labels.join(", ")})`;
}

/** Labels an SLI keeps apart: one SLI per service (`job`, the OTel service.name). */
export const SLI_BY: readonly string[] = ["job"];

function sumRate(
  series: string,
  matches: readonly LabelMatch[],
  window: string,
  labels: readonly string[],
  extra: readonly string[] = [],
): string {
  return `sum ${by(labels)} (rate(${selector(series, matches, extra)}[${window}]))`;
}

/**
 * The objective's error ratio over `window`: bad events / all events, per job. A failure series
 * that does not exist yet (no failure so far) counts as 0 with the total's labels, so a healthy
 * service records 0, not nothing; no traffic at all records nothing (0/0 is no data, not "good").
 */
export function sliErrorRatio(objective: ResolvedObjective, window: string): string {
  const sli = objective.sli;
  if (sli.kind === "latency") {
    const good = sumRate(sli.bucketSeries, sli.where, window, SLI_BY, [`le="${sli.le}"`]);
    const total = sumRate(sli.countSeries, sli.where, window, SLI_BY);
    return `1 - (${good} / ${total})`;
  }
  const total = sumRate(sli.totalSeries, sli.where, window, SLI_BY);
  const bad =
    sli.failure.kind === "values"
      ? sumRate(sli.totalSeries, [...sli.where, sli.failure.match], window, SLI_BY)
      : sumRate(sli.failure.series, sli.where, window, SLI_BY);
  return `(${bad} or ${total} * 0) / ${total}`;
}

/** A number as PromQL writes it (no exponent for the thresholds people write). */
export function num(n: number): string {
  return Number.isInteger(n) || Math.abs(n) >= 1e-6 ? String(n) : n.toExponential();
}

const QUANTILES: Readonly<Record<string, number>> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };

/** The expression of a plain alert: its measure, per job and its `by` labels, compared. */
export function alertExpression(alert: ResolvedAlert, window: string): string {
  const labels = ["job", ...alert.by];
  const m = alert.metric;
  const series = countSeries(m.prometheusName, m.kind);
  let measure: string;
  switch (alert.measure) {
    case "rate":
      measure = sumRate(series, alert.where, window, labels);
      break;
    case "increase":
      measure = `sum ${by(labels)} (increase(${selector(series, alert.where)}[${window}]))`;
      break;
    case "errorRatio": {
      const total = sumRate(series, alert.where, window, labels);
      const f = alert.failures ?? { values: [], counters: [] };
      const parts = [
        ...f.values.map((v) => sumRate(series, [...alert.where, v], window, labels)),
        ...f.counters.map((c) => sumRate(c.series, alert.where, window, labels)),
      ].map((p) => `(${p} or ${total} * 0)`);
      measure = `(${parts.join(" + ")}) / ${total}`;
      break;
    }
    case "value":
      measure = `${alert.aggregation ?? "sum"} ${by(labels)} (${selector(m.seriesNames[0] as string, alert.where)})`;
      break;
    default: {
      const q = QUANTILES[alert.measure];
      if (q === undefined) throw new Error(`alert "${alert.name}": unknown measure ${alert.measure}.`);
      measure = `histogram_quantile(${q}, sum ${by(["le", ...labels])} (rate(${selector(`${m.prometheusName}_bucket`, alert.where)}[${window}])))`;
    }
  }
  return `${measure} ${alert.comparison} ${num(alert.threshold)}`;
}
