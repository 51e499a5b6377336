// The metric-level summary of a change, for the top of a pull request's preview comment: what a
// reviewer wants before the raw `pulumi preview --diff` (metrics, dashboards, panels, collector config).
import type { RenderedFile } from "./files";

interface MetricEntry {
  readonly key: string;
  readonly prometheusName: string;
  readonly [field: string]: unknown;
}

export interface ChangeSummary {
  readonly metrics: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    /** Prometheus name → the fields that changed. */
    readonly changed: readonly { readonly name: string; readonly fields: readonly string[] }[];
  };
  readonly dashboards: { readonly added: readonly string[]; readonly removed: readonly string[] };
  /** `dashboard: panel title` */
  readonly panels: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly collectorConfigChanged: boolean;
  readonly scrapeConfigChanged: boolean;
  readonly grafanaProvisioningChanged: boolean;
}

function byPath(files: readonly RenderedFile[]): Map<string, string> {
  return new Map(files.map((f) => [f.path, f.content]));
}

function metricsOf(files: Map<string, string>): Map<string, MetricEntry> {
  const text = files.get("metrics.json");
  if (text === undefined) return new Map();
  const doc = JSON.parse(text) as { metrics?: MetricEntry[] };
  return new Map((doc.metrics ?? []).map((m) => [m.prometheusName, m]));
}

interface PanelLike {
  title?: string;
  type?: string;
  panels?: PanelLike[];
}

/** Dashboard title → its panel titles (rows included, with their collapsed panels). */
function dashboardsOf(files: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [p, content] of files) {
    if (!p.startsWith("grafana/dashboards/") || !p.endsWith(".json")) continue;
    const model = JSON.parse(content) as { title?: string; panels?: PanelLike[] };
    // Grafana's flat layout: a row panel starts a section; a collapsed row holds its panels itself.
    const titles: string[] = [];
    let row = "";
    const add = (panel: PanelLike): void => {
      const t = panel.title ?? "(untitled)";
      titles.push(row ? `${row} / ${t}` : t);
    };
    for (const panel of model.panels ?? []) {
      if (panel.type === "row") {
        row = panel.title ?? "";
        (panel.panels ?? []).forEach(add);
      } else add(panel);
    }
    out.set(model.title ?? p, titles);
  }
  return out;
}

function minus<T>(a: Iterable<T>, b: { has(x: T): boolean }): T[] {
  return [...a].filter((x) => !b.has(x));
}

const sorted = (xs: string[]): string[] => xs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Compares two renders (e.g. of a PR's base and head). Pure; the same inputs give the same summary. */
export function summarizeChange(base: readonly RenderedFile[], head: readonly RenderedFile[]): ChangeSummary {
  const b = byPath(base);
  const h = byPath(head);
  const bm = metricsOf(b);
  const hm = metricsOf(h);
  const changed: { name: string; fields: string[] }[] = [];
  for (const [name, m] of hm) {
    const old = bm.get(name);
    if (old === undefined) continue;
    const fields = sorted(
      [...new Set([...Object.keys(old), ...Object.keys(m)])].filter(
        (f) => JSON.stringify(old[f]) !== JSON.stringify(m[f]),
      ),
    );
    if (fields.length > 0) changed.push({ name, fields });
  }
  const bd = dashboardsOf(b);
  const hd = dashboardsOf(h);
  const panels = (from: Map<string, string[]>, to: Map<string, string[]>): string[] =>
    sorted(
      [...to].flatMap(([d, titles]) => {
        const before = new Set(from.get(d) ?? []);
        return from.has(d) ? titles.filter((t) => !before.has(t)).map((t) => `${d}: ${t}`) : [];
      }),
    );
  const grafanaProvisioning = (files: Map<string, string>): string =>
    [...files]
      .filter(([p]) => p.startsWith("grafana/provisioning/"))
      .map(([p, c]) => `${p}\n${c}`)
      .sort()
      .join("\n");
  return {
    metrics: {
      added: sorted(minus(hm.keys(), bm)),
      removed: sorted(minus(bm.keys(), hm)),
      changed: changed.sort((x, y) => (x.name < y.name ? -1 : 1)),
    },
    dashboards: { added: sorted(minus(hd.keys(), bd)), removed: sorted(minus(bd.keys(), hd)) },
    panels: { added: panels(bd, hd), removed: panels(hd, bd) },
    collectorConfigChanged: b.get("collector/config.yaml") !== h.get("collector/config.yaml"),
    scrapeConfigChanged: b.get("victoriametrics/scrape.yaml") !== h.get("victoriametrics/scrape.yaml"),
    grafanaProvisioningChanged: grafanaProvisioning(b) !== grafanaProvisioning(h),
  };
}

function list(title: string, items: readonly string[]): string[] {
  if (items.length === 0) return [];
  return [`**${title}** (${items.length}):`, ...items.map((i) => `- \`${i}\``), ""];
}

/** The summary as Markdown, for the PR comment. */
export function summaryMarkdown(s: ChangeSummary): string {
  const lines: string[] = ["### What this change does to the observability stack", ""];
  const counts =
    `Metrics: +${s.metrics.added.length} −${s.metrics.removed.length} ~${s.metrics.changed.length} · ` +
    `dashboards: +${s.dashboards.added.length} −${s.dashboards.removed.length} · ` +
    `panels: +${s.panels.added.length} −${s.panels.removed.length} · ` +
    `collector config: ${s.collectorConfigChanged ? "**changed**" : "unchanged"}` +
    (s.scrapeConfigChanged ? " · VictoriaMetrics scrape config: **changed**" : "") +
    (s.grafanaProvisioningChanged ? " · Grafana provisioning: **changed**" : "");
  lines.push(counts, "");
  lines.push(...list("Metrics added", s.metrics.added));
  lines.push(...list("Metrics removed", s.metrics.removed));
  lines.push(
    ...list(
      "Metrics changed",
      s.metrics.changed.map((c) => `${c.name}: ${c.fields.join(", ")}`),
    ),
  );
  lines.push(...list("Dashboards added", s.dashboards.added));
  lines.push(...list("Dashboards removed", s.dashboards.removed));
  lines.push(...list("Panels added", s.panels.added));
  lines.push(...list("Panels removed", s.panels.removed));
  return `${lines.join("\n").trimEnd()}\n`;
}
