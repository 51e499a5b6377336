import * as pulumi from "@pulumi/pulumi";
import type { Catalogue } from "../definitions";
import { artifactFiles, renderArtifacts } from "../render";
import type { RenderedFile, StackArtifacts } from "../render";
import { Collector, HOST_ROOT_MOUNT } from "./collector";
import { ExistingGrafana } from "./existing-grafana";
import { Grafana } from "./grafana";
import type { GrafanaFile } from "./grafana";
import { Jaeger } from "./jaeger";
import { ObservabilityNetwork } from "./network";
import type { StackSettings } from "./settings";
import { hostEndpoints } from "./settings";
import { VictoriaMetrics } from "./victoriametrics";

export interface ObservabilityStackArgs {
  readonly catalogue: Catalogue;
  readonly settings: StackSettings;
  /** Admin password of the Grafana container (secret). Required unless settings.existingGrafana. */
  readonly grafanaAdminPassword?: pulumi.Output<string>;
  /** Key of VictoriaMetrics' admin and debug endpoints (secret). */
  readonly victoriaMetricsAdminKey: pulumi.Output<string>;
  /** API token of an existing Grafana (secret). Required when settings.existingGrafana. */
  readonly grafanaToken?: pulumi.Output<string>;
}

/**
 * The artifacts the stack runs, rendered from the catalogue for these settings: one render, read by
 * every component (and, for an existing Grafana, with the datasource URLs that Grafana reaches).
 */
export function stackArtifacts(catalogue: Catalogue, s: StackSettings): StackArtifacts {
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
  });
}

/** {@link stackArtifacts} as the files `npm run render` would write for these settings. */
export function stackFiles(catalogue: Catalogue, s: StackSettings): RenderedFile[] {
  return artifactFiles(stackArtifacts(catalogue, s));
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

/** Jaeger, the Collector, VictoriaMetrics and Grafana (or an existing Grafana) on one private network. */
export class ObservabilityStack extends pulumi.ComponentResource {
  readonly network: ObservabilityNetwork;
  readonly jaeger: Jaeger;
  readonly collector: Collector;
  readonly victoriametrics: VictoriaMetrics;
  readonly grafana?: Grafana;
  readonly existingGrafana?: ExistingGrafana;
  readonly endpoints: ReturnType<typeof hostEndpoints>;
  /** Memory limits (MiB): each container's, the budgeted total (collector + VM + Grafana) and Jaeger's. */
  readonly memory: {
    collector: number;
    victoriametrics: number;
    grafana: number;
    jaeger: number;
    budgetedTotal: number;
  };

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
    const p = s.namePrefix;
    const artifacts = stackArtifacts(args.catalogue, s);
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

    this.endpoints = hostEndpoints(s);
    this.memory = s.memoryBudget;
    this.registerOutputs({ endpoints: this.endpoints, memory: this.memory });
  }
}
