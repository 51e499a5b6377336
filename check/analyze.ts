// The catalogue against a snapshot of the store (gather.ts): which metrics are missing, which series
// the catalogue does not know, which labels and values it does not declare, which dashboard queries
// answer nothing and why. Pure: same catalogue and snapshot, same findings, in the same order.
import { KINDS } from "../definitions";
import type { Catalogue, ResolvedMetric } from "../definitions";
import { closestMetric } from "./closest";
import type { JobSnapshot, QueryAnswer, Snapshot } from "./gather";
import { FINDING_KINDS, type Finding, type QueryRef } from "./model";
import { referencedSeries, valueFilters } from "./queries";
import type { Labels } from "./store";

/**
 * Labels the pipeline puts on every series, not the app: `job`/`instance` (service.name and
 * service.instance.id), `le` (histogram buckets), `quantile` (summaries), `__name__`. Labels starting
 * with `otel_scope_` (the instrumentation scope: name, version, schema URL, its attributes) are added by
 * the collector's remote write exporter too.
 */
export const PIPELINE_LABELS: readonly string[] = ["__name__", "instance", "job", "le", "quantile"];
export const PIPELINE_LABEL_PREFIX = "otel_scope_";

/**
 * Series the pipeline writes for a job that no catalogue defines: the resource (`target_info`), and
 * what a scraper adds to a scraped job (`up`, `scrape_*`).
 */
function isPipelineSeries(name: string): boolean {
  return name === "target_info" || name === "up" || name.startsWith("scrape_");
}

/** Values shown in a finding; more are summarised by their count in the message. */
export const MAX_VALUES_SHOWN = 20;

const HISTOGRAM_PARTS = ["_bucket", "_count", "_sum"];

interface MetricState {
  readonly metric: ResolvedMetric;
  /** Its series names that the job has. */
  readonly present: readonly string[];
  readonly missing: readonly string[];
}

function sorted<T>(xs: Iterable<T>): T[] {
  return [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function quoteList(xs: readonly string[]): string {
  const shown = xs.slice(0, MAX_VALUES_SHOWN).map((x) => JSON.stringify(x));
  return xs.length > MAX_VALUES_SHOWN
    ? `${shown.join(", ")} and ${xs.length - MAX_VALUES_SHOWN} more`
    : shown.join(", ");
}

function sortRefs(refs: readonly QueryRef[]): QueryRef[] {
  return [...refs].sort(
    (a, b) => cmp(a.dashboard, b.dashboard) || cmp(a.panel, b.panel) || cmp(a.expr, b.expr),
  );
}

/** Unknown series names grouped so a histogram's three series make one finding. */
function groupUnknown(names: readonly string[]): string[][] {
  const set = new Set(names);
  const groups: string[][] = [];
  const done = new Set<string>();
  for (const n of sorted(names)) {
    if (done.has(n)) continue;
    const part = HISTOGRAM_PARTS.find((p) => n.endsWith(p));
    if (part !== undefined) {
      const base = n.slice(0, -part.length);
      const members = HISTOGRAM_PARTS.map((p) => base + p).filter((m) => set.has(m));
      if (members.length >= 2) {
        members.forEach((m) => done.add(m));
        groups.push(members);
        continue;
      }
    }
    done.add(n);
    groups.push([n]);
  }
  return groups;
}

/** The findings of one job. */
function analyzeJob(catalogue: Catalogue, snap: JobSnapshot, windowText: string): Finding[] {
  const job = snap.job;
  const byName = new Map<string, Labels[]>();
  for (const s of snap.series) {
    const name = s.__name__ ?? "";
    const list = byName.get(name);
    if (list === undefined) byName.set(name, [s]);
    else list.push(s);
  }
  // Resource attributes reach series labels only when a collector converts them (the
  // resource_to_telemetry_conversion option); the job's target_info says which they are.
  const resourceLabels = new Set<string>();
  for (const s of byName.get("target_info") ?? []) for (const l of Object.keys(s)) resourceLabels.add(l);

  const catalogueSeries = new Set(catalogue.list.flatMap((m) => m.seriesNames));
  const states = catalogue.list.map((m): MetricState => ({
    metric: m,
    present: m.seriesNames.filter((n) => byName.has(n)),
    missing: m.seriesNames.filter((n) => !byName.has(n)),
  }));
  const stateOf = new Map<string, MetricState>();
  for (const st of states) for (const n of st.metric.seriesNames) stateOf.set(n, st);

  const findings: Finding[] = [];
  /** Per catalogue metric, the finding that explains why its series are missing. */
  const absence = new Map<ResolvedMetric, Finding & { queries: QueryRef[] }>();

  // Series the catalogue does not define, and what they probably are.
  const unknown = [...byName.keys()].filter((n) => !catalogueSeries.has(n) && !isPipelineSeries(n));
  const claimed = new Set<ResolvedMetric>();
  for (const group of groupUnknown(unknown)) {
    let closest: ReturnType<typeof closestMetric>;
    for (const n of group) {
      closest = closestMetric(n, catalogue.list);
      if (closest !== undefined) break;
    }
    const shown = group.length > 1 ? `${group.join(", ")}` : (group[0] as string);
    if (closest !== undefined) {
      const m = closest.metric;
      const st = states.find((s) => s.metric === m) as MetricState;
      const expected = sorted(m.seriesNames);
      if (st.present.length === 0 && !claimed.has(m)) {
        claimed.add(m);
        const f = {
          kind: "name-mismatch" as const,
          severity: "error" as const,
          job,
          metric: m.name,
          series: group,
          expected,
          closest: { metric: m.name, expected, reason: closest.reason },
          queries: [] as QueryRef[],
          message:
            `${m.name} has none of its series (${expected.join(", ")}), but job ${job} writes ${shown}: ` +
            `${closest.reason}. Fix: send it as the catalogue defines it (METRICS.md), or change the catalogue.`,
        };
        absence.set(m, f);
        findings.push(f);
        continue;
      }
      findings.push({
        kind: "unknown-series",
        severity: "error",
        job,
        series: group,
        closest: { metric: m.name, expected, reason: closest.reason },
        message:
          `job ${job} writes ${shown}, which the catalogue does not define; it looks like ${m.name} ` +
          `(${closest.reason})${st.present.length > 0 ? `, whose own series are written too` : ""}. ` +
          `Fix: send only the catalogue's name, or add the metric to the catalogue.`,
      });
      continue;
    }
    findings.push({
      kind: "unknown-series",
      severity: "error",
      job,
      series: group,
      message:
        `job ${job} writes ${shown}, which the catalogue does not define and no catalogue metric resembles. ` +
        `Fix: add it to the catalogue (so dashboards show it), or stop sending it.`,
    });
  }

  for (const st of states) {
    const m = st.metric;
    if (absence.has(m)) continue;
    if (st.present.length === 0) {
      const counter = KINDS[m.kind].monotonic;
      const f = {
        kind: "metric-absent" as const,
        severity: counter ? ("warning" as const) : ("error" as const),
        job,
        metric: m.name,
        expected: sorted(m.seriesNames),
        queries: [] as QueryRef[],
        message: counter
          ? `${m.name} (${m.seriesNames.join(", ")}) has no series for job ${job} in ${windowText}: a counter ` +
            `that was never incremented has none (the SDK exports it after its first add), so this may only ` +
            `mean the event did not happen; if it did, the app does not record it under this name.`
          : `${m.name} (${m.seriesNames.join(", ")}) has no series for job ${job} in ${windowText}. ` +
            `Fix: record it in the app (${m.observedBy !== undefined ? `the module observes it itself, from ${m.observedBy}: is the app on this package's instrumentation?` : `see METRICS.md for its name, unit and kind`}).`,
      };
      absence.set(m, f);
      findings.push(f);
      continue;
    }
    if (st.missing.length > 0) {
      const f = {
        kind: "series-absent" as const,
        severity: "error" as const,
        job,
        metric: m.name,
        series: sorted(st.present),
        expected: sorted(st.missing),
        queries: [] as QueryRef[],
        message:
          `${m.name} has ${st.present.join(", ")} but not ${st.missing.join(", ")} for job ${job}. ` +
          `Fix: send it as one OTLP histogram (the collector writes all three series), not as separate metrics.`,
      };
      absence.set(m, f);
      findings.push(f);
    }
    findings.push(
      ...labelFindings(
        catalogue,
        m,
        st.present.flatMap((n) => byName.get(n) ?? []),
        resourceLabels,
        job,
      ),
    );
  }

  findings.push(...queryFindings(snap.queries, catalogueSeries, stateOf, absence, byName, job, windowText));
  return findings;
}

function labelFindings(
  catalogue: Catalogue,
  m: ResolvedMetric,
  series: readonly Labels[],
  resourceLabels: ReadonlySet<string>,
  job: string,
): Finding[] {
  const out: Finding[] = [];
  const declared = new Map(m.attributes.map((a) => [a.label, a]));
  const seen = new Map<string, Set<string>>();
  for (const s of series) {
    for (const [label, value] of Object.entries(s)) {
      let values = seen.get(label);
      if (values === undefined) seen.set(label, (values = new Set()));
      values.add(value);
    }
  }
  for (const label of sorted(seen.keys())) {
    if (declared.has(label) || PIPELINE_LABELS.includes(label) || label.startsWith(PIPELINE_LABEL_PREFIX))
      continue;
    if (resourceLabels.has(label)) continue;
    const values = sorted(seen.get(label) as Set<string>);
    const overflow = label === "otel_metric_overflow";
    out.push({
      kind: "label-undeclared",
      severity: "error",
      job,
      metric: m.name,
      label,
      values: values.slice(0, MAX_VALUES_SHOWN),
      message: overflow
        ? `${m.name} has series with otel_metric_overflow="true" for job ${job}: the SDK's cardinality limit ` +
          `was reached and new attribute sets were merged. Fix: find the attribute with too many values; ` +
          `declare it with values or maxValues.`
        : `${m.name} carries the label ${label} (values ${quoteList(values)}) for job ${job}, which the ` +
          `catalogue does not declare. Fix: declare the attribute "${label}" on ${m.name}, or stop sending it.`,
    });
  }
  const spec = catalogue.metrics[m.key];
  for (const a of m.attributes) {
    const values = sorted(seen.get(a.label) ?? []);
    if (values.length === 0) {
      const optional = spec?.attributes?.[a.key]?.optional === true;
      out.push({
        kind: "attribute-absent",
        severity: optional ? "warning" : "error",
        job,
        metric: m.name,
        label: a.label,
        message: optional
          ? `${m.name} never carries its optional attribute ${a.key} (label ${a.label}) for job ${job}: no recording gave it.`
          : `${m.name} never carries its attribute ${a.key} (label ${a.label}) for job ${job}, which every ` +
            `recording must give. Fix: record it with ${a.key}, or declare it optional.`,
      });
      continue;
    }
    if (a.values !== undefined) {
      const undeclared = values.filter((v) => !(a.values as readonly string[]).includes(v));
      if (undeclared.length > 0) {
        out.push({
          kind: "label-value-undeclared",
          severity: "error",
          job,
          metric: m.name,
          label: a.label,
          values: undeclared.slice(0, MAX_VALUES_SHOWN),
          message:
            `${m.name} has ${a.label}=${quoteList(undeclared)} for job ${job}, not among the declared values ` +
            `${quoteList(a.values)} of ${a.key}. Fix: add the value to the catalogue, or send a declared one.`,
        });
      }
    } else if (values.length > a.cardinality) {
      out.push({
        kind: "label-values-over-limit",
        severity: "error",
        job,
        metric: m.name,
        label: a.label,
        values: values.slice(0, MAX_VALUES_SHOWN),
        message:
          `${m.name} has ${values.length} values of ${a.label} for job ${job}, more than the maxValues ` +
          `${a.cardinality} of ${a.key} (${quoteList(values)}). Fix: raise maxValues, or bound the values the app sends.`,
      });
    }
  }
  return out;
}

function queryFindings(
  answers: readonly QueryAnswer[],
  catalogueSeries: ReadonlySet<string>,
  stateOf: ReadonlyMap<string, MetricState>,
  absence: ReadonlyMap<ResolvedMetric, { queries: QueryRef[] }>,
  byName: ReadonlyMap<string, readonly Labels[]>,
  job: string,
  windowText: string,
): Finding[] {
  const out: Finding[] = [];
  for (const q of answers) {
    const needs = referencedSeries(q.expr, catalogueSeries);
    const metrics = sorted(new Set(needs.map((n) => (stateOf.get(n) as MetricState).metric.name)));
    if (q.error !== undefined) {
      out.push({
        kind: "query-failed",
        severity: "error",
        job,
        ...(needs.length > 0 && { series: needs }),
        queries: sortRefs(q.refs),
        message: `the store refused a dashboard query for job ${job}: ${q.error}. Query: ${q.expr}`,
      });
      continue;
    }
    if ((q.series ?? 0) > 0) continue;
    const missing = needs.filter((n) => !byName.has(n));
    const explained = missing.map((n) => absence.get((stateOf.get(n) as MetricState).metric));
    if (missing.length > 0 && explained.every((f) => f !== undefined)) {
      // The metric's own finding says why; list the panel there rather than once more.
      for (const f of new Set(explained)) f?.queries.push(...q.refs);
      continue;
    }
    // Its series exist: a filter on a value that never occurred, or too few samples for the window.
    const absentValues = valueFilters(q.expr).filter((flt) =>
      needs.every((n) => !(byName.get(n) ?? []).some((s) => flt.values.includes(s[flt.label] ?? "\u0000"))),
    );
    const filters = absentValues.map((f) => `${f.label}=~${JSON.stringify(f.values.join("|"))}`).join(", ");
    out.push({
      kind: "query-empty",
      severity: absentValues.length > 0 ? "warning" : "error",
      job,
      ...(needs.length > 0 && { series: needs }),
      queries: sortRefs(q.refs),
      message:
        absentValues.length > 0
          ? `a dashboard query of ${metrics.join(", ")} returns nothing for job ${job}: no series has ${filters} ` +
            `in ${windowText} (no such event happened, or it is sent with another value).`
          : `a dashboard query of ${metrics.length > 0 ? metrics.join(", ") : "no catalogue metric"} returns ` +
            `nothing for job ${job} in ${windowText}, although its series exist (too few samples for its rate ` +
            `window?). Query: ${q.expr}`,
    });
  }
  return out;
}

function findingKey(f: Finding): string[] {
  return [
    f.job,
    f.metric === undefined ? "1" : "0",
    f.metric ?? "",
    String(FINDING_KINDS.indexOf(f.kind)).padStart(2, "0"),
    (f.series ?? []).join(","),
    f.label ?? "",
    (f.queries ?? []).map((q) => `${q.dashboard}\u0000${q.panel}\u0000${q.expr}`).join("\u0001"),
    f.message,
  ];
}

/** Findings in their stable order: by job, catalogue metric (others last), kind, series, label. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const keyed = findings.map((f) => ({ f, k: findingKey(f) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < a.k.length; i++) {
      const c = cmp(a.k[i] as string, b.k[i] as string);
      if (c !== 0) return c;
    }
    return 0;
  });
  return keyed.map(({ f }) => f);
}

/** Every finding of every job of `snapshot`, sorted; `windowText` is how messages name the window. */
export function analyze(catalogue: Catalogue, snapshot: Snapshot, windowText: string): Finding[] {
  const all = snapshot.jobs.flatMap((j) => analyzeJob(catalogue, j, windowText));
  return sortFindings(
    all.map((f) => {
      if (f.queries === undefined) return f;
      if (f.queries.length === 0) {
        // An absence finding no empty query pointed at: no `queries` field at all.
        const { queries: _none, ...rest } = f;
        return rest;
      }
      return { ...f, queries: sortRefs(f.queries) };
    }),
  );
}
