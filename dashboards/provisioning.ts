// Grafana provisioning: the datasources (VictoriaMetrics as a Prometheus datasource, Jaeger) and
// the file provider that loads the generated dashboards. The datasource objects stay plain so the
// Pulumi stack can hand the same fields to grafana.oss.DataSource.
import { stringify } from "yaml";
import { DOCKER_TOPOLOGY, httpUrl } from "../topology";

export interface GrafanaProvisioningOptions {
  /** VictoriaMetrics as Grafana's server reaches it. */
  victoriaMetricsUrl: string;
  /** Jaeger's query service as Grafana's server reaches it. */
  jaegerUrl: string;
  /** Where the dashboard files are, inside the Grafana container. */
  dashboardsPath: string;
  /** Grafana folder for the dashboards. */
  folder: string;
  /**
   * The apps' metric export interval (OTEL_METRIC_EXPORT_INTERVAL) as a Prometheus duration: the
   * datasource's timeInterval, the floor of $__rate_interval (which spans at least four of them).
   * @default "15s" (the stack's appEnv sets OTEL_METRIC_EXPORT_INTERVAL=15000)
   */
  timeInterval: string;
}

export const DEFAULT_GRAFANA_PROVISIONING: Readonly<GrafanaProvisioningOptions> = Object.freeze({
  victoriaMetricsUrl: httpUrl(DOCKER_TOPOLOGY, "victoriametrics", "http"),
  jaegerUrl: httpUrl(DOCKER_TOPOLOGY, "jaeger", "query"),
  dashboardsPath: "/etc/grafana/dashboards",
  folder: "Observability",
  timeInterval: "15s",
});

export const VICTORIAMETRICS_DATASOURCE_UID = "victoriametrics";
export const JAEGER_DATASOURCE_UID = "jaeger";

export interface DatasourceDefinition {
  readonly name: string;
  readonly type: "prometheus" | "jaeger";
  readonly uid: string;
  readonly url: string;
  readonly access: "proxy";
  readonly isDefault: boolean;
  readonly jsonData: Readonly<Record<string, string | boolean | number>>;
}

function checkUrl(setting: string, url: string): void {
  if (!/^https?:\/\/[^\s]+$/.test(url)) {
    throw new Error(
      `Grafana provisioning: ${setting} "${url}" is not an http(s) URL. Fix: give e.g. "${DEFAULT_GRAFANA_PROVISIONING.victoriaMetricsUrl}".`,
    );
  }
}

function resolve(options: Partial<GrafanaProvisioningOptions>): GrafanaProvisioningOptions {
  const o = { ...DEFAULT_GRAFANA_PROVISIONING, ...options };
  checkUrl("victoriaMetricsUrl", o.victoriaMetricsUrl);
  checkUrl("jaegerUrl", o.jaegerUrl);
  if (!o.dashboardsPath.startsWith("/")) {
    throw new Error(
      `Grafana provisioning: dashboardsPath "${o.dashboardsPath}" must be an absolute path in the Grafana container.`,
    );
  }
  if (!/^[1-9][0-9]*(ms|s|m|h)$/.test(o.timeInterval)) {
    throw new Error(
      `Grafana provisioning: timeInterval "${o.timeInterval}" is not a duration. Fix: give the apps' export interval, e.g. "15s".`,
    );
  }
  if (o.folder.trim() === "") {
    throw new Error(`Grafana provisioning: folder is empty. Fix: give a folder title, e.g. "Observability".`);
  }
  return o;
}

/** The two datasources, VictoriaMetrics (the default) first. */
export function datasources(options: Partial<GrafanaProvisioningOptions> = {}): DatasourceDefinition[] {
  const o = resolve(options);
  return [
    {
      name: "VictoriaMetrics",
      type: "prometheus",
      uid: VICTORIAMETRICS_DATASOURCE_UID,
      url: o.victoriaMetricsUrl,
      access: "proxy",
      isDefault: true,
      // POST keeps long dashboard queries out of URLs; timeInterval is the export interval, the
      // floor of $__rate_interval: if it were shorter, a rate window could hold one sample.
      jsonData: { httpMethod: "POST", timeInterval: o.timeInterval },
    },
    {
      name: "Jaeger",
      type: "jaeger",
      uid: JAEGER_DATASOURCE_UID,
      url: o.jaegerUrl,
      access: "proxy",
      isDefault: false,
      jsonData: {},
    },
  ];
}

// Grafana expands $VAR / ${VAR} in provisioning files: a literal `$` must be written `$$`.
function escapeDollars(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/\$/g, "$$$$");
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)]));
  }
  return value;
}

function toYaml(doc: unknown): string {
  return stringify(escapeDollars(doc), { sortMapEntries: true, lineWidth: 0 });
}

/** `provisioning/datasources/*.yaml` content. */
export function datasourcesYaml(options: Partial<GrafanaProvisioningOptions> = {}): string {
  return toYaml({ apiVersion: 1, datasources: datasources(options) });
}

/** `provisioning/dashboards/*.yaml` content: one file provider for the generated dashboards. */
export function dashboardProviderYaml(options: Partial<GrafanaProvisioningOptions> = {}): string {
  const o = resolve(options);
  return toYaml({
    apiVersion: 1,
    providers: [
      {
        name: "observability-stack",
        folder: o.folder,
        type: "file",
        // The files are the source of truth: no deleting or saving from the UI.
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: o.dashboardsPath, foldersFromFilesStructure: false },
      },
    ],
  });
}
