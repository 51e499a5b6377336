// Every generated file of the stack, as data: the Pulumi stack uploads them into the containers,
// `npm run render` writes them to disk, the e2e test starts the real peers with them.
import {
  collectorConfig,
  collectorConfigYaml,
  DEFAULT_SCRAPE_OPTIONS,
  resolveCollectorOptions,
  victoriaMetricsScrapeConfig,
  type CollectorOptions,
  type ScrapeOptions,
} from "../collector";
import {
  buildDashboards,
  dashboardProviderYaml,
  datasourcesYaml,
  DEFAULT_DASHBOARD_OPTIONS,
  DEFAULT_GRAFANA_PROVISIONING,
  serializeDashboard,
  type DashboardOptions,
  type GrafanaProvisioningOptions,
} from "../dashboards";
import {
  alertmanagerYaml,
  ruleFileYaml,
  ruleGroups,
  type AlertingOptions,
  type AlertmanagerOptions,
} from "../alerts";
import { hasAlerting, isCatalogue, type Catalogue } from "../definitions";
import { dashboardsMarkdown, metricsJson, metricsMarkdown } from "./documents";

/** One generated file: a relative POSIX path and its full content. */
export interface RenderedFile {
  readonly path: string;
  readonly content: string;
}

/**
 * Settings of the generated files. Every part is optional; the defaults are the local stack's
 * container names and ports (otel-collector, jaeger, victoriametrics, grafana on one Docker network).
 */
export interface RenderOptions {
  readonly collector?: Partial<CollectorOptions>;
  readonly dashboards?: Partial<DashboardOptions>;
  readonly grafana?: Partial<GrafanaProvisioningOptions>;
  /**
   * VictoriaMetrics' scrape of the collector's own metrics. Defaults: target
   * `otel-collector:<collector.telemetryPort>`, job = `dashboards.otelcolJob`, interval 15s.
   */
  readonly scrape?: Partial<ScrapeOptions>;
  /**
   * Rules and Alertmanager config, written only for a catalogue made with defineAlerting.
   * `windowScale` (default 1) scales every rule window, `for`, interval and Alertmanager timer: for
   * tests only (alerts/README.md). `alertmanager.webhookUrl` unset: a null receiver.
   */
  readonly alerting?: Partial<AlertingOptions> & {
    readonly alertmanager?: Partial<Omit<AlertmanagerOptions, "windowScale">>;
  };
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

/** The stack's collector container as VictoriaMetrics reaches it (its network alias). */
const COLLECTOR_HOST = "otel-collector";

function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Settings that two generators must agree on. Each defaults to the other's value; set differently,
 * the stack would be inconsistent (empty host dashboards, a pipeline dashboard filtering on a job
 * nobody scrapes, dashboards in a folder the provider does not use), so that is an error.
 */
function reconcile(options: RenderOptions): {
  collector: CollectorOptions;
  dashboards: Partial<DashboardOptions>;
  grafana: Partial<GrafanaProvisioningOptions>;
  scrape: ScrapeOptions;
} {
  const dashboards = defined(options.dashboards);
  // hostmetrics: whichever side is set decides for both.
  const collector = resolveCollectorOptions({
    ...(dashboards.hostmetrics !== undefined ? { hostmetrics: dashboards.hostmetrics } : {}),
    ...defined(options.collector),
  });
  const grafana = defined(options.grafana);
  const scrape = defined(options.scrape);
  const problems: string[] = [];

  const collectorHostmetrics = defined(options.collector).hostmetrics;
  if (collectorHostmetrics !== undefined && dashboards.hostmetrics !== undefined) {
    if (collectorHostmetrics !== dashboards.hostmetrics) {
      problems.push(
        `collector.hostmetrics is ${collectorHostmetrics} but dashboards.hostmetrics is ${dashboards.hostmetrics}: ` +
          `the host dashboards ${dashboards.hostmetrics ? "would stay empty" : "would be missing"}. Fix: set both the same.`,
      );
    }
  }
  const hostmetrics = collector.hostmetrics;

  if (
    scrape.jobName !== undefined &&
    dashboards.otelcolJob !== undefined &&
    scrape.jobName !== dashboards.otelcolJob
  ) {
    problems.push(
      `scrape.jobName "${scrape.jobName}" differs from dashboards.otelcolJob "${dashboards.otelcolJob}": the ` +
        `pipeline dashboard would find no collector metrics. Fix: set both the same (or only one).`,
    );
  }
  const job = scrape.jobName ?? dashboards.otelcolJob ?? DEFAULT_DASHBOARD_OPTIONS.otelcolJob;

  if (
    grafana.folder !== undefined &&
    dashboards.folder !== undefined &&
    grafana.folder !== dashboards.folder
  ) {
    problems.push(
      `grafana.folder "${grafana.folder}" differs from dashboards.folder "${dashboards.folder}". ` +
        `Fix: set both the same (or only one).`,
    );
  }
  const folder = grafana.folder ?? dashboards.folder ?? DEFAULT_GRAFANA_PROVISIONING.folder;

  if (problems.length > 0) throw new Error(`Invalid render options:\n  - ${problems.join("\n  - ")}`);
  return {
    collector,
    // The pipeline dashboard draws the memory_limiter's limits from the collector's memory limit.
    dashboards: {
      ...dashboards,
      hostmetrics,
      otelcolJob: job,
      folder,
      collectorMemoryLimitMib: dashboards.collectorMemoryLimitMib ?? collector.memoryLimitMib,
    },
    grafana: { ...grafana, folder },
    scrape: {
      collectorTarget: scrape.collectorTarget ?? `${COLLECTOR_HOST}:${collector.telemetryPort}`,
      jobName: job,
      scrapeInterval: scrape.scrapeInterval ?? DEFAULT_SCRAPE_OPTIONS.scrapeInterval,
    },
  };
}

const SAFE_UID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Every generated file for `catalogue`, sorted by path. Pure and deterministic: the same catalogue
 * and options give the same paths and bytes.
 * - `collector/config.yaml`: the OpenTelemetry Collector config;
 * - `victoriametrics/scrape.yaml`: VictoriaMetrics' `-promscrape.config` (the collector's own metrics);
 * - `grafana/provisioning/datasources/datasources.yaml`, `grafana/provisioning/dashboards/dashboards.yaml`;
 * - `grafana/dashboards/<uid>.json`: one bare dashboard model per dashboard;
 * - `metrics.json`, `METRICS.md`: the catalogue, for tools and for review;
 * - `DASHBOARDS.md`: every dashboard's rows and panels (titles, widths, units, queries), for review.
 * @throws for bad options (naming each) or a value that is not a catalogue.
 */
export function renderFiles(catalogue: Catalogue, options: RenderOptions = {}): RenderedFile[] {
  if (!isCatalogue(catalogue)) {
    throw new TypeError(
      "renderFiles: the first argument is not a catalogue. Fix: pass the result of defineMetrics(…).",
    );
  }
  const o = reconcile(options);
  const dashboards = buildDashboards(catalogue, o.dashboards);
  const files: RenderedFile[] = [
    {
      path: RENDERED_PATHS.collectorConfig,
      content: collectorConfigYaml(collectorConfig(catalogue, o.collector)),
    },
    { path: RENDERED_PATHS.scrapeConfig, content: victoriaMetricsScrapeConfig(o.scrape) },
    { path: RENDERED_PATHS.datasources, content: datasourcesYaml(o.grafana) },
    { path: RENDERED_PATHS.dashboardProvider, content: dashboardProviderYaml(o.grafana) },
    { path: RENDERED_PATHS.metricsJson, content: metricsJson(catalogue) },
    { path: RENDERED_PATHS.metricsMarkdown, content: metricsMarkdown(catalogue) },
    { path: RENDERED_PATHS.dashboardsMarkdown, content: dashboardsMarkdown(dashboards) },
  ];
  if (hasAlerting(catalogue)) {
    const { alertmanager, ...alerting } = options.alerting ?? {};
    files.push(
      { path: RENDERED_PATHS.vmalertRules, content: ruleFileYaml(ruleGroups(catalogue, alerting), alerting) },
      {
        path: RENDERED_PATHS.alertmanagerConfig,
        content: alertmanagerYaml({ ...alertmanager, windowScale: alerting.windowScale ?? 1 }),
      },
    );
  }
  const seen = new Set<string>();
  for (const d of dashboards) {
    if (!SAFE_UID.test(d.uid)) {
      throw new Error(`Dashboard "${d.title}" has uid "${d.uid}", which is not usable as a file name.`);
    }
    if (seen.has(d.uid)) throw new Error(`Two dashboards have the uid "${d.uid}".`);
    seen.add(d.uid);
    files.push({ path: `${RENDERED_PATHS.dashboardsDir}/${d.uid}.json`, content: serializeDashboard(d) });
  }
  // Plain code-unit order, not locale order: the same on every machine.
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
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
