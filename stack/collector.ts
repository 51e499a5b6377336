import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DOCKER_TOPOLOGY, SERVICE_PORTS } from "../topology";
import { ConfigFiles } from "./config-files";
import { DEFAULT_CPUS } from "./settings";
import { containerBasics, goMemLimit, hardening, pinnedImage, publish } from "./container-defaults";

export interface CollectorArgs {
  readonly image: string;
  readonly containerName: string;
  readonly networkName: pulumi.Input<string>;
  readonly bindAddress: string;
  /** The generated config (collector/config.yaml of the render output). */
  readonly config: string;
  readonly ports: {
    readonly otlpGrpc: number;
    readonly otlpHttp: number;
    readonly metrics: number;
    readonly health: number;
  };
  readonly memoryMb: number;
  /**
   * Mount the host's root filesystem read-only at {@link HOST_ROOT_MOUNT}, for the host_metrics
   * receiver's root_path (the collector runs as an unprivileged user; it reads, never writes).
   * @default false
   */
  readonly mountHostRoot?: boolean;
  /**
   * CPU limit (Docker `--cpus`).
   * @default DEFAULT_CPUS.collector (stack/settings.ts)
   */
  readonly cpus?: number;
  /**
   * `uid:gid` the collector runs as (the upstream image's user).
   * @default COLLECTOR_USER
   */
  readonly user?: string;
}

/** The upstream image's user; each service of the stack runs as a uid of its own. */
export const COLLECTOR_USER = "10001:10001";
export const COLLECTOR_CONFIG_DIR = "/etc/otelcol";
export const COLLECTOR_CONFIG_PATH = `${COLLECTOR_CONFIG_DIR}/config.yaml`;
/** Where the collector container sees the host's root (the host_metrics receiver's root_path). */
export const HOST_ROOT_MOUNT = "/hostfs";

/**
 * The core OpenTelemetry Collector. Its image is FROM scratch (no shell, no wget), so it gets no
 * Docker healthcheck: its health_check extension (:13133) is published and probed from outside.
 */
export class Collector extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly image: docker.RemoteImage;
  readonly config: ConfigFiles;

  constructor(name: string, args: CollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:Collector", name, {}, opts);
    this.image = pinnedImage(name, args.image, this);
    // The image's default command reads this path; the file comes from a read-only volume written by
    // upload (see ConfigFiles), so `pulumi up` needs no host path and a config change shows in the
    // preview diff.
    this.config = new ConfigFiles(
      `${name}-config`,
      {
        volumePrefix: args.containerName,
        containerName: `${args.containerName}-config`,
        image: this.image,
        folders: [{ key: "otelcol", path: COLLECTOR_CONFIG_DIR }],
        files: [{ path: COLLECTOR_CONFIG_PATH, content: args.config }],
      },
      { parent: this },
    );
    const hostRoot: docker.types.input.ContainerVolume[] =
      args.mountHostRoot === true ? [{ hostPath: "/", containerPath: HOST_ROOT_MOUNT, readOnly: true }] : [];
    this.container = new docker.Container(
      name,
      {
        name: args.containerName,
        image: this.image.imageId,
        // Let the Go runtime collect before the container limit is hit.
        envs: [`GOMEMLIMIT=${goMemLimit(args.memoryMb)}`],
        volumes: this.config.mounts.apply((m) => [...m, ...hostRoot]),
        // It writes nothing (no file_storage) and needs no capability: its ports are above 1024, and
        // what the host_metrics scrapers read under /hostfs (/proc, mounts) needs no privilege.
        ...hardening({ user: args.user ?? COLLECTOR_USER, cpus: args.cpus ?? DEFAULT_CPUS.collector }),
        networksAdvanced: [{ name: args.networkName, aliases: [DOCKER_TOPOLOGY.hosts.collector] }],
        ports: [
          publish(SERVICE_PORTS.collector.otlpGrpc, args.ports.otlpGrpc, args.bindAddress),
          publish(SERVICE_PORTS.collector.otlpHttp, args.ports.otlpHttp, args.bindAddress),
          publish(SERVICE_PORTS.collector.telemetry, args.ports.metrics, args.bindAddress),
          publish(SERVICE_PORTS.collector.health, args.ports.health, args.bindAddress),
        ],
        ...containerBasics(args.memoryMb),
      },
      { parent: this, deleteBeforeReplace: true },
    );
    this.registerOutputs({ containerName: this.container.name });
  }
}
