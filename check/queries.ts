// The dashboard queries `check` runs: those of the catalogue's own dashboards (its overview and one
// per group), as render writes them, with `$job` set to the checked job. The host and pipeline
// dashboards read other jobs (hostmetrics, otelcol) and are not about the catalogue. Pure.
import { buildDashboards, dashboardUid, DEFAULT_VARIABLE_VALUES, substituteVariables } from "../dashboards";
import type { Catalogue } from "../definitions";
import type { QueryRef } from "./model";

/** Every target of the catalogue's dashboards, in dashboard and panel order. */
export function catalogueQueries(catalogue: Catalogue): QueryRef[] {
  const uids = new Set([
    dashboardUid(catalogue.name, "overview"),
    ...catalogue.groups.map((g) => dashboardUid(catalogue.name, g.key)),
  ]);
  const out: QueryRef[] = [];
  for (const d of buildDashboards(catalogue, { hostmetrics: false })) {
    if (!uids.has(d.uid)) continue;
    for (const p of d.panels)
      for (const expr of p.exprs) out.push({ dashboard: d.uid, panel: p.title, expr });
  }
  return out;
}

/** `v` as a regex that matches only itself, inside a PromQL double-quoted string. */
export function promRegexLiteral(v: string): string {
  return v.replace(/[\\.+*?()|[\]{}^$"]/g, (c) => (c === '"' ? '\\"' : `\\\\${c}`));
}

/** The rate window `check` gives `$__rate_interval` (Grafana's default variable values). */
export const CHECK_RATE_INTERVAL = DEFAULT_VARIABLE_VALUES.__rate_interval as string;

/** The query as the store gets it for `job`: every series of every instance of that job. */
export function queryForJob(expr: string, job: string): string {
  return substituteVariables(expr, { job: promRegexLiteral(job), __rate_interval: CHECK_RATE_INTERVAL });
}

/** The names in `expr` that are series of the catalogue (the metrics a query needs), sorted. */
export function referencedSeries(expr: string, seriesNames: ReadonlySet<string>): string[] {
  // Identifiers outside label matchers' strings; a string never holds a series name we look for
  // without also being a matcher value, so strings are dropped first.
  const bare = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const found = new Set((bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []).filter((t) => seriesNames.has(t)));
  return [...found].sort();
}

/** `label=~"a|b"` / `label="a"` matchers of `expr` other than job and instance: the filters a panel adds. */
export function valueFilters(expr: string): { label: string; values: string[] }[] {
  const out: { label: string; values: string[] }[] = [];
  for (const m of expr.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|=)\s*"((?:[^"\\]|\\.)*)"/g)) {
    const label = m[1] as string;
    if (label === "job" || label === "instance" || label === "__name__") continue;
    const raw = (m[3] as string).replace(/\\\\(.)/g, "$1").replace(/\\"/g, '"');
    const values = m[2] === "=~" ? raw.split("|") : [raw];
    // Only plain alternatives are values; a pattern (`.*`) is not a value that can be missing.
    if (values.every((v) => /^[^.*+?()[\]{}^$\\]*$/.test(v))) out.push({ label, values });
  }
  return out;
}
