import * as pulumi from "@pulumi/pulumi";
import type { Catalogue } from "../definitions";
import { hasAlerting } from "../definitions";
import { artifactFiles, renderArtifacts } from "../render";
import type { RenderedFile, StackArtifacts } from "../render";
import { DOCKER_TOPOLOGY, httpUrl } from "../topology";
import { Alertmanager } from "./alertmanager";
import type { AlertingMemoryReport, AlertingSettings } from "./alerting-settings";
import {
  alertingEndpoints,
  alertingMemory,
  checkAlertingCatalogue,
  evaluationIntervalSeconds,
} from "./alerting-settings";
import { Collector, HOST_ROOT_MOUNT } from "./collector";
import { ExistingGrafana } from "./existing-grafana";
import { Grafana } from "./grafana";
import type { GrafanaFile } from "./grafana";
import { Jaeger } from "./jaeger";
import { ObservabilityNetwork } from "./network";
import type { StackSettings } from "./settings";
import { hostEndpoints } from "./settings";
import { VictoriaMetrics } from "./victoriametrics";
import { Vmalert } from "./vmalert";

export interface ObservabilityStackArgs {
  readonly catalogue: Catalogue;
  readonly settings: StackSettings;
  /** Admin password of the Grafana container (secret). Required unless settings.existingGrafana. */
  readonly grafanaAdminPassword?: pulumi.Output<string>;
  /** Key of VictoriaMetrics' admin and debug endpoints (secret). */
  readonly victoriaMetricsAdminKey: pulumi.Output<string>;
  /** API token of an existing Grafana (secret). Required when settings.existingGrafana. */
  readonly grafanaToken?: pulumi.Output<string>;
  /**
   * vmalert and Alertmanager beside the stack (resolveAlerting's result); needs a catalogue made with
   * defineAlerting.
   * @default undefined (neither runs, and VictoriaMetrics has no -vmalert.proxyURL)
   */
  readonly alerting?: AlertingSettings;
}

/** The vmalert rule file's name in its container (render writes it as vmalert/rules.yaml). */
export const VMALERT_RULE_FILE = "rules.yaml";

/**
 * The artifacts the stack runs, rendered from the catalogue for these settings: one render, read by
 * every component (and, for an existing Grafana, with the datasource URLs that Grafana reaches).
 */
export function stackArtifacts(
  catalogue: Catalogue,
  s: StackSettings,
  alerting?: AlertingSettings,
): StackArtifacts {
  const eg = s.existingGrafana;
  return renderArtifacts(catalogue, {
    collector: {
      memoryLimitMib: s.memoryMb.collector,
      hostmetrics: s.hostmetrics,
      debug: s.debugExporter,
      // The container sees the host's root read-only at HOST_ROOT_MOUNT (see Collector), so the host
      // dashboard shows the host: its CPUs, memory and filesystems, not the container's.
      hostRootPath: s.hostmetrics ? HOST_ROOT_MOUNT : "",
    },
    dashboards: { hostmetrics: s.hostmetrics, jaegerUiUrl: s.jaegerUiUrl },
    ...(eg ? { grafana: { victoriaMetricsUrl: eg.victoriaMetricsUrl, jaegerUrl: eg.jaegerUrl } } : {}),
    // Only when alerting is on: off, an alerting catalogue renders as `npm run render` does by default.
    ...(alerting
      ? {
          alerting: {
            evaluationIntervalSeconds: evaluationIntervalSeconds(alerting),
            alertmanager: alerting.webhookUrl === undefined ? {} : { webhookUrl: alerting.webhookUrl },
          },
        }
      : {}),
  });
}

/** {@link stackArtifacts} as the files `npm run render` would write for these settings. */
export function stackFiles(
  catalogue: Catalogue,
  s: StackSettings,
  alerting?: AlertingSettings,
): RenderedFile[] {
  return artifactFiles(stackArtifacts(catalogue, s, alerting));
}

/** Where the Grafana container keeps the catalogue's documents. */
export const CATALOGUE_DOCS_PATH = "/etc/grafana/catalogue";

/** Where the provisioning files go in the Grafana container (its image's default provisioning path). */
const GRAFANA_PROVISIONING_PATH = "/etc/grafana/provisioning";

/** The Grafana container's generated files, at their paths in the container. */
function grafanaFiles(a: StackArtifacts): GrafanaFile[] {
  const g = a.grafana;
  return [
    { path: `${GRAFANA_PROVISIONING_PATH}/datasources/datasources.yaml`, content: g.datasourcesYaml },
    { path: `${GRAFANA_PROVISIONING_PATH}/dashboards/dashboards.yaml`, content: g.dashboardProviderYaml },
    ...g.dashboards.map((d) => ({ path: `${g.dashboardsPath}/${d.uid}.json`, content: d.json })),
    // The catalogue's documents travel with the dashboards they explain, so a PR preview shows a
    // definitions change in them too.
    { path: `${CATALOGUE_DOCS_PATH}/DASHBOARDS.md`, content: a.documents.dashboardsMarkdown },
    { path: `${CATALOGUE_DOCS_PATH}/METRICS.md`, content: a.documents.metricsMarkdown },
    { path: `${CATALOGUE_DOCS_PATH}/metrics.json`, content: a.documents.metricsJson },
  ];
}

/**
 * Jaeger, the Collector, VictoriaMetrics and Grafana (or an existing Grafana) on one private network;
 * with `alerting`, vmalert and Alertmanager too.
 */
export class ObservabilityStack extends pulumi.ComponentResource {
  readonly network: ObservabilityNetwork;
  readonly jaeger: Jaeger;
  readonly collector: Collector;
  readonly victoriametrics: VictoriaMetrics;
  readonly grafana?: Grafana;
  readonly existingGrafana?: ExistingGrafana;
  /** Only with alerting. */
  readonly vmalert?: Vmalert;
  /** Only with alerting. */
  readonly alertmanager?: Alertmanager;
  readonly endpoints: ReturnType<typeof hostEndpoints>;
  /** vmalert's and Alertmanager's host URLs; only with alerting. */
  readonly alertingEndpoints?: ReturnType<typeof alertingEndpoints>;
  /** Memory limits (MiB): each container's, the budgeted total (collector + VM + Grafana) and Jaeger's. */
  readonly memory: {
    collector: number;
    victoriametrics: number;
    grafana: number;
    jaeger: number;
    budgetedTotal: number;
  };
  /** vmalert's and Alertmanager's memory limits (MiB) and their sum, outside the budget; only with alerting. */
  readonly alertingMemory?: AlertingMemoryReport;

  constructor(name: string, args: ObservabilityStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:ObservabilityStack", name, {}, opts);
    const s = args.settings;
    // Check inputs before creating any child, so a bad config creates nothing.
    if (s.existingGrafana !== undefined && args.grafanaToken === undefined) {
      throw new Error(
        "Config observability-stack:existingGrafana is set but observability-stack:grafanaToken is not. " +
          "Fix: pulumi config set --secret observability-stack:grafanaToken <service-account token>.",
      );
    }
    if (s.existingGrafana === undefined && args.grafanaAdminPassword === undefined) {
      throw new Error(
        "ObservabilityStack: grafanaAdminPassword is required when no existing Grafana is configured",
      );
    }
    const al = args.alerting;
    checkAlertingCatalogue(al ?? false, al, {
      name: args.catalogue.name,
      hasAlerting: hasAlerting(args.catalogue),
    });
    const p = s.namePrefix;
    const artifacts = stackArtifacts(args.catalogue, s, al);
    this.network = new ObservabilityNetwork(
      `${name}-network`,
      { name: `${p}-${s.networkName}` },
      { parent: this },
    );
    const networkName = this.network.name;

    this.jaeger = new Jaeger(
      `${name}-jaeger`,
      {
        image: s.images.jaeger,
        containerName: `${p}-jaeger`,
        networkName,
        bindAddress: s.bindAddress,
        uiPort: s.ports.jaegerUi,
        memoryMb: s.memoryMb.jaeger,
        cpus: s.cpus.jaeger,
      },
      { parent: this },
    );
    this.victoriametrics = new VictoriaMetrics(
      `${name}-victoriametrics`,
      {
        image: s.images.victoriametrics,
        containerName: `${p}-victoriametrics`,
        volumeName: `${p}-victoriametrics-data`,
        retainData: !s.deleteDataOnDestroy,
        secretsVolumeName: `${p}-victoriametrics-secrets`,
        adminKey: args.victoriaMetricsAdminKey,
        networkName,
        bindAddress: s.bindAddress,
        port: s.ports.victoriametrics,
        memoryMb: s.memoryMb.victoriametrics,
        retention: s.retention,
        cpus: s.cpus.victoriametrics,
        scrapeConfig: artifacts.victoriametrics.scrapeConfigYaml,
        ...(al ? { vmalertProxyUrl: httpUrl(DOCKER_TOPOLOGY, "vmalert", "http") } : {}),
      },
      { parent: this },
    );
    this.collector = new Collector(
      `${name}-collector`,
      {
        image: s.images.collector,
        containerName: `${p}-otel-collector`,
        networkName,
        bindAddress: s.bindAddress,
        config: artifacts.collector.configYaml,
        ports: {
          otlpGrpc: s.ports.otlpGrpc,
          otlpHttp: s.ports.otlpHttp,
          metrics: s.ports.collectorMetrics,
          health: s.ports.collectorHealth,
        },
        memoryMb: s.memoryMb.collector,
        mountHostRoot: s.hostmetrics,
        cpus: s.cpus.collector,
      },
      // Start after its exporters' targets, so the first batches are not refused.
      { parent: this, dependsOn: [this.jaeger, this.victoriametrics] },
    );

    if (s.existingGrafana !== undefined) {
      this.existingGrafana = new ExistingGrafana(
        `${name}-grafana`,
        {
          url: s.existingGrafana.url,
          token: args.grafanaToken as pulumi.Output<string>,
          folderTitle: artifacts.grafana.folder,
          folderUid: `${args.catalogue.name}-observability`,
          datasources: artifacts.grafana.datasources.map((d) => ({
            name: d.name,
            type: d.type,
            uid: d.uid,
            url: d.url,
            isDefault: d.isDefault,
            jsonData: d.jsonData,
          })),
          dashboards: artifacts.grafana.dashboards.map((d) => ({ uid: d.uid, json: d.json })),
        },
        { parent: this },
      );
    } else {
      this.grafana = new Grafana(
        `${name}-grafana`,
        {
          image: s.images.grafana,
          containerName: `${p}-grafana`,
          volumeName: `${p}-grafana-data`,
          secretsVolumeName: `${p}-grafana-secrets`,
          retainData: !s.deleteDataOnDestroy,
          networkName,
          bindAddress: s.bindAddress,
          port: s.ports.grafana,
          memoryMb: s.memoryMb.grafana,
          cpus: s.cpus.grafana,
          files: grafanaFiles(artifacts),
          adminPassword: args.grafanaAdminPassword as pulumi.Output<string>,
        },
        { parent: this, dependsOn: [this.victoriametrics, this.jaeger] },
      );
    }

    if (al !== undefined && artifacts.alerting !== undefined) {
      const urls = alertingEndpoints(al, s.bindAddress);
      this.alertmanager = new Alertmanager(
        `${name}-alertmanager`,
        {
          image: al.images.alertmanager,
          containerName: `${p}-alertmanager`,
          volumeName: `${p}-alertmanager-data`,
          retainData: !s.deleteDataOnDestroy,
          networkName,
          bindAddress: s.bindAddress,
          port: al.ports.alertmanager,
          memoryMb: al.memoryMb.alertmanager,
          config: artifacts.alerting.alertmanagerYaml,
          externalUrl: urls.alertmanagerUrl,
        },
        { parent: this },
      );
      this.vmalert = new Vmalert(
        `${name}-vmalert`,
        {
          image: al.images.vmalert,
          containerName: `${p}-vmalert`,
          networkName,
          bindAddress: s.bindAddress,
          port: al.ports.vmalert,
          memoryMb: al.memoryMb.vmalert,
          ruleFiles: [{ name: VMALERT_RULE_FILE, content: artifacts.alerting.rulesYaml }],
          victoriaMetricsUrl: httpUrl(DOCKER_TOPOLOGY, "victoriametrics", "http"),
          alertmanagerUrl: httpUrl(DOCKER_TOPOLOGY, "alertmanager", "http"),
          evaluationInterval: al.evaluationInterval,
          externalUrl: urls.vmalertUrl,
        },
        // At start-up it restores the alerts' state from VictoriaMetrics and then notifies Alertmanager.
        { parent: this, dependsOn: [this.victoriametrics, this.alertmanager] },
      );
      this.alertingEndpoints = urls;
      this.alertingMemory = alertingMemory(al);
    }

    this.endpoints = hostEndpoints(s);
    this.memory = s.memoryBudget;
    this.registerOutputs({
      endpoints: this.endpoints,
      memory: this.memory,
      ...(this.alertingEndpoints ? { alertingEndpoints: this.alertingEndpoints } : {}),
      ...(this.alertingMemory ? { alertingMemory: this.alertingMemory } : {}),
    });
  }
}
