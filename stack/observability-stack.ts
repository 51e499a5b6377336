import * as pulumi from "@pulumi/pulumi";
import {
  buildDashboards,
  DEFAULT_GRAFANA_PROVISIONING,
  datasources,
  serializeDashboard,
} from "../dashboards";
import type { Catalogue } from "../definitions";
import { renderFiles } from "../render";
import type { RenderedFile } from "../render";
import { Collector, HOST_ROOT_MOUNT } from "./collector";
import { ExistingGrafana } from "./existing-grafana";
import { Grafana } from "./grafana";
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

/** The files the stack puts into its containers, rendered from the catalogue for these settings. */
export function stackFiles(catalogue: Catalogue, s: StackSettings): RenderedFile[] {
  return renderFiles(catalogue, {
    collector: {
      memoryLimitMib: s.memoryMb.collector,
      hostmetrics: s.hostmetrics,
      debug: s.debugExporter,
      // The container sees the host's root read-only at HOST_ROOT_MOUNT (see Collector), so the host
      // dashboard shows the host: its CPUs, memory and filesystems, not the container's.
      hostRootPath: s.hostmetrics ? HOST_ROOT_MOUNT : "",
    },
    dashboards: { hostmetrics: s.hostmetrics, jaegerUiUrl: s.jaegerUiUrl },
  });
}

/** Where the Grafana container keeps the catalogue's documents. */
export const CATALOGUE_DOCS_PATH = "/etc/grafana/catalogue";

function fileAt(files: readonly RenderedFile[], path: string): string {
  const f = files.find((x) => x.path === path);
  if (f === undefined)
    throw new Error(`render output has no ${path}; files: ${files.map((x) => x.path).join(", ")}`);
  return f.content;
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
    const files = stackFiles(args.catalogue, s);
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
        scrapeConfig: fileAt(files, "victoriametrics/scrape.yaml"),
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
        config: fileAt(files, "collector/config.yaml"),
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
      const eg = s.existingGrafana;
      const dashboards = buildDashboards(args.catalogue, {
        hostmetrics: s.hostmetrics,
        jaegerUiUrl: s.jaegerUiUrl,
      });
      this.existingGrafana = new ExistingGrafana(
        `${name}-grafana`,
        {
          url: eg.url,
          token: args.grafanaToken as pulumi.Output<string>,
          folderTitle: DEFAULT_GRAFANA_PROVISIONING.folder,
          folderUid: `${args.catalogue.name}-observability`,
          datasources: datasources({
            ...DEFAULT_GRAFANA_PROVISIONING,
            victoriaMetricsUrl: eg.victoriaMetricsUrl,
            jaegerUrl: eg.jaegerUrl,
          }).map((d) => ({
            name: d.name,
            type: d.type,
            uid: d.uid,
            url: d.url,
            isDefault: d.isDefault === true,
            jsonData: d.jsonData ?? {},
          })),
          dashboards: dashboards.map((d) => ({ uid: d.uid, json: serializeDashboard(d) })),
        },
        { parent: this },
      );
    } else {
      const grafanaFiles = files
        .filter((f) => f.path.startsWith("grafana/") || !f.path.includes("/"))
        .map((f) => ({
          path: f.path.startsWith("grafana/dashboards/")
            ? `${DEFAULT_GRAFANA_PROVISIONING.dashboardsPath}/${f.path.slice("grafana/dashboards/".length)}`
            : f.path.startsWith("grafana/")
              ? `/etc/grafana/${f.path.slice("grafana/".length)}`
              : // The catalogue's documents (METRICS.md, metrics.json) travel with the dashboards they
                // explain, so a PR preview shows a definitions change in them too.
                `${CATALOGUE_DOCS_PATH}/${f.path}`,
          content: f.content,
        }));
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
          files: grafanaFiles,
          adminPassword: args.grafanaAdminPassword as pulumi.Output<string>,
        },
        { parent: this, dependsOn: [this.victoriametrics, this.jaeger] },
      );
    }

    this.endpoints = hostEndpoints(s);
    const grafanaMb = s.existingGrafana ? 0 : s.memoryMb.grafana;
    this.memory = {
      collector: s.memoryMb.collector,
      victoriametrics: s.memoryMb.victoriametrics,
      grafana: grafanaMb,
      jaeger: s.memoryMb.jaeger,
      budgetedTotal: s.memoryMb.collector + s.memoryMb.victoriametrics + grafanaMb,
    };
    this.registerOutputs({ endpoints: this.endpoints, memory: this.memory });
  }
}
