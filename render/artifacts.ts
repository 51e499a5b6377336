// Every generated artifact of the stack, as typed data: the Pulumi stack hands each to the component
// that runs it (no file paths), the CLI and the tests lay them out as files (render/files.ts).
import {
  collectorConfig,
  collectorConfigYaml,
  DEFAULT_SCRAPE_OPTIONS,
  resolveCollectorOptions,
  victoriaMetricsScrapeConfig,
  type CollectorConfig,
  type CollectorOptions,
  type ScrapeOptions,
} from "../collector";
import {
  buildDashboards,
  dashboardProviderYaml,
  datasources,
  datasourcesYaml,
  DEFAULT_DASHBOARD_OPTIONS,
  DEFAULT_GRAFANA_PROVISIONING,
  serializeDashboard,
  sloDashboards,
  type DashboardOptions,
  type DatasourceDefinition,
  type GeneratedDashboard,
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
import { DOCKER_TOPOLOGY } from "../topology";
import { dashboardsMarkdown, metricsJson, metricsMarkdown } from "./documents";

/**
 * Settings of the generated artifacts. Every part is optional; the defaults are the local stack's
 * (the services of topology/'s Docker target on one network).
 */
export interface RenderOptions {
  readonly collector?: Partial<CollectorOptions>;
  readonly dashboards?: Partial<DashboardOptions>;
  readonly grafana?: Partial<GrafanaProvisioningOptions>;
  /**
   * VictoriaMetrics' scrape of the collector's own metrics. Defaults: target
   * `<collector host>:<collector.telemetryPort>`, job = `dashboards.otelcolJob`, interval 15s.
   */
  readonly scrape?: Partial<ScrapeOptions>;
  /**
   * Rules and Alertmanager config, made only for a catalogue made with defineAlerting.
   * `windowScale` (default 1) scales every rule window, `for`, interval and Alertmanager timer: for
   * tests only (alerts/README.md). `alertmanager.webhookUrl` unset: a null receiver.
   */
  readonly alerting?: Partial<AlertingOptions> & {
    readonly alertmanager?: Partial<Omit<AlertmanagerOptions, "windowScale">>;
  };
}

/** One generated dashboard: its identity and its serialized (byte-stable) bare model. */
export interface DashboardArtifact {
  readonly uid: string;
  readonly title: string;
  /** The provisioned dashboard file's content (the bare model). */
  readonly json: string;
}

/** Everything the stack runs, generated from one catalogue with one set of options. */
export interface StackArtifacts {
  readonly catalogue: Catalogue;
  readonly collector: {
    /** The config as data, and as the YAML file the collector reads. */
    readonly config: CollectorConfig;
    readonly configYaml: string;
    /** The resolved options (memory limit, ports, …) the config was made with. */
    readonly options: CollectorOptions;
  };
  readonly victoriametrics: {
    /** `-promscrape.config` YAML: the scrape of the collector's own metrics. */
    readonly scrapeConfigYaml: string;
  };
  readonly grafana: {
    /** The folder title the dashboards go to. */
    readonly folder: string;
    /** Where the provisioned dashboard files are, inside the Grafana container. */
    readonly dashboardsPath: string;
    readonly datasources: readonly DatasourceDefinition[];
    readonly datasourcesYaml: string;
    readonly dashboardProviderYaml: string;
    /** Sorted by uid. */
    readonly dashboards: readonly DashboardArtifact[];
  };
  /** The catalogue's documents, for tools and review. */
  readonly documents: {
    readonly metricsJson: string;
    readonly metricsMarkdown: string;
    readonly dashboardsMarkdown: string;
  };
  /** Only for a catalogue made with defineAlerting. */
  readonly alerting?: {
    readonly rulesYaml: string;
    readonly alertmanagerYaml: string;
  };
}

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
      collectorTarget:
        scrape.collectorTarget ?? `${DOCKER_TOPOLOGY.hosts.collector}:${collector.telemetryPort}`,
      jobName: job,
      scrapeInterval: scrape.scrapeInterval ?? DEFAULT_SCRAPE_OPTIONS.scrapeInterval,
    },
  };
}

const SAFE_UID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function byUid(a: { uid: string }, b: { uid: string }): number {
  return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
}

/**
 * Every generated artifact for `catalogue`. Pure and deterministic: the same catalogue and options
 * give the same values and bytes.
 * @throws for bad options (naming each), a dashboard uid unfit for a file name or used twice, or a
 * value that is not a catalogue.
 */
export function renderArtifacts(catalogue: Catalogue, options: RenderOptions = {}): StackArtifacts {
  if (!isCatalogue(catalogue)) {
    throw new TypeError(
      "render: the first argument is not a catalogue. Fix: pass the result of defineMetrics(…).",
    );
  }
  const o = reconcile(options);
  const { alertmanager, ...alerting } = options.alerting ?? {};
  const generated: GeneratedDashboard[] = [
    ...buildDashboards(catalogue, o.dashboards),
    // One SLO dashboard per objective, at the rules' windowScale (their window labels).
    ...(hasAlerting(catalogue)
      ? sloDashboards(
          catalogue,
          defined({
            datasourceUid: o.dashboards.datasourceUid,
            folder: o.dashboards.folder,
            windowScale: alerting.windowScale,
          }),
        )
      : []),
  ];
  const seen = new Set<string>();
  for (const d of generated) {
    if (!SAFE_UID.test(d.uid)) {
      throw new Error(`Dashboard "${d.title}" has uid "${d.uid}", which is not usable as a file name.`);
    }
    if (seen.has(d.uid)) throw new Error(`Two dashboards have the uid "${d.uid}".`);
    seen.add(d.uid);
  }
  const config = collectorConfig(catalogue, o.collector);
  const provisioning = { ...DEFAULT_GRAFANA_PROVISIONING, ...o.grafana };
  return {
    catalogue,
    collector: { config, configYaml: collectorConfigYaml(config), options: o.collector },
    victoriametrics: { scrapeConfigYaml: victoriaMetricsScrapeConfig(o.scrape) },
    grafana: {
      folder: provisioning.folder,
      dashboardsPath: provisioning.dashboardsPath,
      datasources: datasources(o.grafana),
      datasourcesYaml: datasourcesYaml(o.grafana),
      dashboardProviderYaml: dashboardProviderYaml(o.grafana),
      dashboards: generated
        .map((d) => ({ uid: d.uid, title: d.title, json: serializeDashboard(d) }))
        .sort(byUid),
    },
    documents: {
      // The documents name the rules' windows as the rules are made (windowScale).
      metricsJson: metricsJson(catalogue, { alerting }),
      metricsMarkdown: metricsMarkdown(catalogue, { alerting }),
      dashboardsMarkdown: dashboardsMarkdown(generated),
    },
    ...(hasAlerting(catalogue)
      ? {
          alerting: {
            rulesYaml: ruleFileYaml(ruleGroups(catalogue, alerting), alerting),
            alertmanagerYaml: alertmanagerYaml({ ...alertmanager, windowScale: alerting.windowScale ?? 1 }),
          },
        }
      : {}),
  };
}
