import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerPort, DOCKER_TOPOLOGY, localUrl, SERVICE_PORTS } from "../topology";
import { ConfigFiles } from "./config-files";
import { DEFAULT_CPUS } from "./settings";
import {
  containerBasics,
  dataVolume,
  goMemLimit,
  hardening,
  pinnedImage,
  publish,
} from "./container-defaults";
import { SecretFiles } from "./secret-files";
import { VolumeOwner } from "./volume-owner";

export interface VictoriaMetricsArgs {
  readonly image: string;
  readonly containerName: string;
  readonly volumeName: string;
  /**
   * Keep the data volume (all metrics history) when the stack is destroyed.
   * @default true
   */
  readonly retainData?: boolean;
  readonly networkName: pulumi.Input<string>;
  readonly bindAddress: string;
  readonly port: number;
  readonly memoryMb: number;
  /** -retentionPeriod with a unit ("30d"). */
  readonly retention: string;
  /** Key that VictoriaMetrics' admin and debug endpoints require (secret). */
  readonly adminKey: pulumi.Output<string>;
  /** Volume that holds the admin-key file (mounted read-only). */
  readonly secretsVolumeName: string;
  /** Prometheus-format scrape config (victoriametrics/scrape.yaml of the render output). */
  readonly scrapeConfig: string;
  /**
   * CPU limit (Docker `--cpus`).
   * @default DEFAULT_CPUS.victoriametrics (stack/settings.ts)
   */
  readonly cpus?: number;
  /**
   * `uid:gid` VictoriaMetrics runs as (the image runs as root; VolumeOwner gives it the data volume).
   * @default VICTORIAMETRICS_USER
   */
  readonly user?: string;
  /**
   * vmalert as VictoriaMetrics reaches it (`-vmalert.proxyURL`): Grafana's VictoriaMetrics datasource
   * then shows vmalert's rules and alerts (`/api/v1/rules`, `/api/v1/alerts`). Set when alerting is on;
   * VictoriaMetrics then also scrapes itself (VM_SELF_SCRAPE_INTERVAL).
   * @default undefined (no proxy: those endpoints answer that vmalert is not configured)
   */
  readonly vmalertProxyUrl?: string;
}

/** The image has no user of its own (it runs as root); each service of the stack has a uid of its own. */
export const VICTORIAMETRICS_USER = "10003:10003";
/** Root-owned secret files of this mode are read through the supplementary group 0. */
export const VM_SECRET_MODE = "0440";
export const VM_DATA_PATH = "/victoria-metrics-data";
/** Beside the secrets folder, not above it: a mount point inside a read-only volume cannot be made. */
export const VM_CONFIG_DIR = "/etc/victoriametrics/config";
export const VM_SCRAPE_CONFIG_PATH = `${VM_CONFIG_DIR}/scrape.yaml`;
export const VM_SECRETS_DIR = "/etc/victoriametrics/secrets";
export const VM_ADMIN_KEY_FILE = `${VM_SECRETS_DIR}/admin_key`;

/**
 * The endpoints that can delete or expose data, or change the running server, each behind the admin
 * key: delete_series, snapshots, force merge, rollup-cache reset, the scrape config and its reload,
 * flags and pprof. (Writes, imports and queries have no key of their own; the loopback binding guards
 * them: see README, "Security".)
 */
export const VM_AUTH_KEY_FLAGS = [
  "deleteAuthKey",
  "snapshotAuthKey",
  "forceMergeAuthKey",
  "search.resetCacheAuthKey",
  "configAuthKey",
  "reloadAuthKey",
  "flagsAuthKey",
  "pprofAuthKey",
] as const;

/**
 * How often VictoriaMetrics scrapes itself when alerting is on: the built-in vm_* alert rules
 * (alerts/builtin.ts) read its own metrics (job "victoria-metrics"). Only then: it costs about
 * 20 MiB of VictoriaMetrics' memory (e2e: peak 98 -> 118-123 MiB anonymous).
 */
export const VM_SELF_SCRAPE_INTERVAL = "15s";

/** The flags the stack runs VictoriaMetrics with (the end-to-end test runs the real binary with them). */
export function victoriaMetricsFlags(a: {
  retention: string;
  memoryMb: number;
  dataPath: string;
  scrapeConfigPath: string;
  listen: string;
  /** A file holding the admin key (VictoriaMetrics reads `file://` flag values). */
  adminKeyFile?: string;
  /** `-vmalert.proxyURL`, only when given. */
  vmalertProxyUrl?: string;
}): string[] {
  const keys =
    a.adminKeyFile === undefined ? [] : VM_AUTH_KEY_FLAGS.map((f) => `-${f}=file://${a.adminKeyFile}`);
  return [
    `-storageDataPath=${a.dataPath}`,
    `-retentionPeriod=${a.retention}`,
    // Caps caches only; the container memory limit caps the rest.
    `-memory.allowedBytes=${Math.floor(a.memoryMb / 2)}MiB`,
    `-promscrape.config=${a.scrapeConfigPath}`,
    `-httpListenAddr=${a.listen}`,
    // With alerting on: vmalert's rules and alerts through VictoriaMetrics' API (Grafana's datasource),
    // and VictoriaMetrics' own metrics for the built-in vm_* rules.
    ...(a.vmalertProxyUrl === undefined
      ? []
      : [`-vmalert.proxyURL=${a.vmalertProxyUrl}`, `-selfScrapeInterval=${VM_SELF_SCRAPE_INTERVAL}`]),
    ...keys,
  ];
}

/** VictoriaMetrics single node: remote-write target of the collector, Prometheus datasource of Grafana. */
export class VictoriaMetrics extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly image: docker.RemoteImage;
  readonly volume: docker.Volume;
  readonly secrets: SecretFiles;
  readonly config: ConfigFiles;
  readonly dataOwner: VolumeOwner;

  constructor(name: string, args: VictoriaMetricsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:VictoriaMetrics", name, {}, opts);
    const user = args.user ?? VICTORIAMETRICS_USER;
    this.image = pinnedImage(name, args.image, this);
    // A named volume outlives container replacement, so data survives config changes.
    this.volume = dataVolume(`${name}-data`, args.volumeName, args.retainData ?? true, this);
    this.dataOwner = new VolumeOwner(
      `${name}-data-owner`,
      {
        containerName: `${args.containerName}-data-owner`,
        image: this.image,
        volumeName: this.volume.name,
        owner: user,
      },
      { parent: this },
    );
    this.secrets = new SecretFiles(
      `${name}-secrets`,
      {
        volumeName: args.secretsVolumeName,
        containerName: `${args.containerName}-secrets`,
        image: this.image,
        permissions: VM_SECRET_MODE,
        files: [{ name: "admin_key", content: args.adminKey }],
      },
      { parent: this },
    );
    this.config = new ConfigFiles(
      `${name}-config`,
      {
        volumePrefix: args.containerName,
        containerName: `${args.containerName}-config`,
        image: this.image,
        folders: [{ key: "config", path: VM_CONFIG_DIR }],
        files: [{ path: VM_SCRAPE_CONFIG_PATH, content: args.scrapeConfig }],
      },
      { parent: this },
    );
    this.container = new docker.Container(
      name,
      {
        name: args.containerName,
        image: this.image.imageId,
        command: victoriaMetricsFlags({
          retention: args.retention,
          memoryMb: args.memoryMb,
          dataPath: VM_DATA_PATH,
          scrapeConfigPath: VM_SCRAPE_CONFIG_PATH,
          listen: `:${containerPort("victoriametrics", "http")}`,
          adminKeyFile: VM_ADMIN_KEY_FILE,
          ...(args.vmalertProxyUrl === undefined ? {} : { vmalertProxyUrl: args.vmalertProxyUrl }),
        }),
        // Measured in the e2e: without it, VictoriaMetrics' heap under the dashboards' queries reached
        // 104 MiB anonymous memory against a 96 MiB limit.
        envs: [`GOMEMLIMIT=${goMemLimit(args.memoryMb)}`],
        // Each name from the component that fills the volume, so that the service starts only once
        // the data volume is its user's and the key and the scrape config are in place.
        volumes: pulumi
          .all([this.dataOwner.volumeName, this.secrets.volumeName, this.config.mounts])
          .apply(([data, secrets, config]) => [
            { volumeName: data, containerPath: VM_DATA_PATH },
            { volumeName: secrets, containerPath: VM_SECRETS_DIR, readOnly: true },
            ...config,
          ]),
        networksAdvanced: [{ name: args.networkName, aliases: [DOCKER_TOPOLOGY.hosts.victoriametrics] }],
        ports: [publish(SERVICE_PORTS.victoriametrics.http, args.port, args.bindAddress)],
        // The image is Alpine-based, so busybox wget can probe /health.
        healthcheck: {
          tests: ["CMD", "wget", "-q", "-O", "-", localUrl("victoriametrics", "http", "/health")],
          interval: "10s",
          timeout: "3s",
          retries: 3,
          startPeriod: "10s",
        },
        // It writes only to its data volume (and /tmp); group 0 reads the admin-key file (0440).
        ...hardening({
          user,
          groupAdds: ["0"],
          cpus: args.cpus ?? DEFAULT_CPUS.victoriametrics,
        }),
        ...containerBasics(args.memoryMb),
      },
      { parent: this, deleteBeforeReplace: true },
    );
    this.registerOutputs({ containerName: this.container.name, volumeName: this.volume.name });
  }
}
