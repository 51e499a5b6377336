// Reading generated dashboards back: their queries and template variables, for tests and for the
// end-to-end check that runs every query against the real VictoriaMetrics.
import type { GeneratedDashboard } from "./build";

interface PanelLike {
  type?: string;
  panels?: PanelLike[];
  targets?: { expr?: unknown }[];
}

function panelsOf(model: Record<string, unknown>): PanelLike[] {
  const out: PanelLike[] = [];
  const walk = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const p of list as PanelLike[]) {
      out.push(p);
      // A collapsed row keeps its panels inside it.
      walk(p.panels);
    }
  };
  walk(model.panels);
  return out;
}

/**
 * Every PromQL expression of every panel target, in panel order, exactly as Grafana gets it.
 * Takes a generated dashboard or `{ model: JSON.parse(file) }` of a provisioned file.
 */
export function dashboardQueries(d: Pick<GeneratedDashboard, "model">): string[] {
  const out: string[] = [];
  for (const p of panelsOf(d.model)) {
    for (const t of p.targets ?? []) {
      if (typeof t.expr === "string") out.push(t.expr);
    }
  }
  return out;
}

export interface TemplateVariable {
  readonly name: string;
  readonly type: string;
  /** The variable's query (`label_values(…)`) or, for the datasource variable, the plugin type. */
  readonly query: string;
}

/** The dashboard's template variables, in order. */
export function templateVariables(d: Pick<GeneratedDashboard, "model">): TemplateVariable[] {
  const templating = d.model.templating as { list?: { name: string; type: string; query?: unknown }[] };
  return (templating?.list ?? []).map((v) => ({
    name: v.name,
    type: v.type,
    query: typeof v.query === "string" ? v.query : JSON.stringify(v.query ?? ""),
  }));
}

/**
 * Values that make a dashboard query runnable outside Grafana: Grafana's rate window, and "All" for
 * the label variables (their allValue `.*`). Override any of them with `values`.
 */
export const DEFAULT_VARIABLE_VALUES: Readonly<Record<string, string>> = Object.freeze({
  __rate_interval: "5m",
  __interval: "1m",
  __range: "1h",
  job: ".*",
  instance: ".*",
  host: ".*",
});

/**
 * Replaces `$name` and `${name}` in a query by `values[name]` (default {@link DEFAULT_VARIABLE_VALUES}).
 * Throws, naming it, when the query uses a variable with no value, so nothing half-substituted runs.
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>> = {}): string {
  const all = { ...DEFAULT_VARIABLE_VALUES, ...values };
  return expr.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (whole, braced: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare) as string;
      const v = all[name];
      if (v === undefined) {
        throw new Error(
          `substituteVariables: no value for "${whole}" in query ${expr}. Fix: pass it in values.`,
        );
      }
      return v;
    },
  );
}
