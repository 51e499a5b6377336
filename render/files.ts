// The artifacts of render/artifacts.ts laid out as files: what `npm run render` (cli/render.ts) writes
// to disk and the e2e tests start the real peers with. The only place that names their paths.
import { isCatalogue, type Catalogue } from "../definitions";
import { renderArtifacts, type RenderOptions, type StackArtifacts } from "./artifacts";

/** One generated file: a relative POSIX path and its full content. */
export interface RenderedFile {
  readonly path: string;
  readonly content: string;
}

/** Where each file goes, relative to the output folder. */
export const RENDERED_PATHS = Object.freeze({
  collectorConfig: "collector/config.yaml",
  scrapeConfig: "victoriametrics/scrape.yaml",
  datasources: "grafana/provisioning/datasources/datasources.yaml",
  dashboardProvider: "grafana/provisioning/dashboards/dashboards.yaml",
  dashboardsDir: "grafana/dashboards",
  metricsJson: "metrics.json",
  metricsMarkdown: "METRICS.md",
  dashboardsMarkdown: "DASHBOARDS.md",
  vmalertRules: "vmalert/rules.yaml",
  alertmanagerConfig: "alertmanager/alertmanager.yml",
});

/** The artifacts as files, sorted by path (plain code-unit order: the same on every machine). */
export function artifactFiles(a: StackArtifacts): RenderedFile[] {
  const files: RenderedFile[] = [
    { path: RENDERED_PATHS.collectorConfig, content: a.collector.configYaml },
    { path: RENDERED_PATHS.scrapeConfig, content: a.victoriametrics.scrapeConfigYaml },
    { path: RENDERED_PATHS.datasources, content: a.grafana.datasourcesYaml },
    { path: RENDERED_PATHS.dashboardProvider, content: a.grafana.dashboardProviderYaml },
    { path: RENDERED_PATHS.metricsJson, content: a.documents.metricsJson },
    { path: RENDERED_PATHS.metricsMarkdown, content: a.documents.metricsMarkdown },
    { path: RENDERED_PATHS.dashboardsMarkdown, content: a.documents.dashboardsMarkdown },
    ...(a.alerting
      ? [
          { path: RENDERED_PATHS.vmalertRules, content: a.alerting.rulesYaml },
          { path: RENDERED_PATHS.alertmanagerConfig, content: a.alerting.alertmanagerYaml },
        ]
      : []),
    ...a.grafana.dashboards.map((d) => ({
      path: `${RENDERED_PATHS.dashboardsDir}/${d.uid}.json`,
      content: d.json,
    })),
  ];
  return files.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

/**
 * Every generated file for `catalogue`, sorted by path: {@link renderArtifacts} laid out by
 * {@link artifactFiles}. Pure and deterministic.
 * - `collector/config.yaml`: the OpenTelemetry Collector config;
 * - `victoriametrics/scrape.yaml`: VictoriaMetrics' `-promscrape.config` (the collector's own metrics);
 * - `grafana/provisioning/datasources/datasources.yaml`, `grafana/provisioning/dashboards/dashboards.yaml`;
 * - `grafana/dashboards/<uid>.json`: one bare dashboard model per dashboard;
 * - `metrics.json`, `METRICS.md`: the catalogue, for tools and for review;
 * - `DASHBOARDS.md`: every dashboard's rows and panels (titles, widths, units, queries), for review;
 * - `vmalert/rules.yaml`, `alertmanager/alertmanager.yml`: only for a catalogue made with defineAlerting.
 * @throws for bad options (naming each) or a value that is not a catalogue.
 */
export function renderFiles(catalogue: Catalogue, options: RenderOptions = {}): RenderedFile[] {
  if (!isCatalogue(catalogue)) {
    throw new TypeError(
      "renderFiles: the first argument is not a catalogue. Fix: pass the result of defineMetrics(…).",
    );
  }
  return artifactFiles(renderArtifacts(catalogue, options));
}

/** Counts for a render summary, read back from the files themselves. */
export interface RenderStats {
  readonly files: number;
  readonly metrics: number;
  readonly dashboards: number;
  /** Panels of all dashboards (rows not counted; panels inside collapsed rows are). */
  readonly panels: number;
}

function countPanels(panels: unknown): number {
  if (!Array.isArray(panels)) return 0;
  let n = 0;
  for (const p of panels as { type?: unknown; panels?: unknown }[]) {
    if (p.type !== "row") n += 1;
    n += countPanels(p.panels);
  }
  return n;
}

/** Files, metrics (of the catalogue), dashboards and panels in a {@link renderFiles} result. */
export function renderStats(files: readonly RenderedFile[]): RenderStats {
  const metricsFile = files.find((f) => f.path === RENDERED_PATHS.metricsJson);
  const metrics = metricsFile
    ? (JSON.parse(metricsFile.content) as { metrics: unknown[] }).metrics.length
    : 0;
  const dashboards = files.filter(
    (f) => f.path.startsWith(`${RENDERED_PATHS.dashboardsDir}/`) && f.path.endsWith(".json"),
  );
  const panels = dashboards.reduce(
    (sum, f) => sum + countPanels((JSON.parse(f.content) as { panels?: unknown }).panels),
    0,
  );
  return { files: files.length, metrics, dashboards: dashboards.length, panels };
}
