import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerBasics, goMemLimit, pinnedImage, publish } from "./container-defaults";

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
}

export const COLLECTOR_CONFIG_PATH = "/etc/otelcol/config.yaml";
/** Where the collector container sees the host's root (the host_metrics receiver's root_path). */
export const HOST_ROOT_MOUNT = "/hostfs";

/**
 * The core OpenTelemetry Collector. Its image is FROM scratch (no shell, no wget), so it gets no
 * Docker healthcheck: its health_check extension (:13133) is published and probed from outside.
 */
export class Collector extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly image: docker.RemoteImage;

  constructor(name: string, args: CollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:Collector", name, {}, opts);
    this.image = pinnedImage(name, args.image, this);
    this.container = new docker.Container(
      name,
      {
        name: args.containerName,
        image: this.image.imageId,
        // The image's default command reads this path; the file goes in by upload, so `pulumi up`
        // needs no host path and a config change shows in the preview diff.
        uploads: [{ file: COLLECTOR_CONFIG_PATH, content: args.config }],
        // Let the Go runtime collect before the container limit is hit.
        envs: [`GOMEMLIMIT=${goMemLimit(args.memoryMb)}`],
        ...(args.mountHostRoot === true
          ? { volumes: [{ hostPath: "/", containerPath: HOST_ROOT_MOUNT, readOnly: true }] }
          : {}),
        networksAdvanced: [{ name: args.networkName, aliases: ["otel-collector"] }],
        ports: [
          publish(4317, args.ports.otlpGrpc, args.bindAddress),
          publish(4318, args.ports.otlpHttp, args.bindAddress),
          publish(8888, args.ports.metrics, args.bindAddress),
          publish(13133, args.ports.health, args.bindAddress),
        ],
        ...containerBasics(args.memoryMb),
      },
      { parent: this, deleteBeforeReplace: true },
    );
    this.registerOutputs({ containerName: this.container.name });
  }
}
