import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerBasics, pinnedImage, publish } from "./container-defaults";

export interface VictoriaMetricsArgs {
  readonly image: string;
  readonly containerName: string;
  readonly volumeName: string;
  readonly networkName: pulumi.Input<string>;
  readonly bindAddress: string;
  readonly port: number;
  readonly memoryMb: number;
  /** -retentionPeriod with a unit ("30d"). */
  readonly retention: string;
  /** Prometheus-format scrape config (victoriametrics/scrape.yaml of the render output). */
  readonly scrapeConfig: string;
}

export const VM_DATA_PATH = "/victoria-metrics-data";
export const VM_SCRAPE_CONFIG_PATH = "/etc/victoriametrics/scrape.yaml";

/** The flags the stack runs VictoriaMetrics with (the end-to-end test runs the real binary with them). */
export function victoriaMetricsFlags(a: {
  retention: string;
  memoryMb: number;
  dataPath: string;
  scrapeConfigPath: string;
  listen: string;
}): string[] {
  return [
    `-storageDataPath=${a.dataPath}`,
    `-retentionPeriod=${a.retention}`,
    // Caps caches only; the container memory limit caps the rest.
    `-memory.allowedBytes=${Math.floor(a.memoryMb / 2)}MiB`,
    `-promscrape.config=${a.scrapeConfigPath}`,
    `-httpListenAddr=${a.listen}`,
  ];
}

/** VictoriaMetrics single node: remote-write target of the collector, Prometheus datasource of Grafana. */
export class VictoriaMetrics extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly image: docker.RemoteImage;
  readonly volume: docker.Volume;

  constructor(name: string, args: VictoriaMetricsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:VictoriaMetrics", name, {}, opts);
    this.image = pinnedImage(name, args.image, this);
    // A named volume outlives container replacement, so data survives config changes.
    this.volume = new docker.Volume(`${name}-data`, { name: args.volumeName }, { parent: this });
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
          listen: ":8428",
        }),
        uploads: [{ file: VM_SCRAPE_CONFIG_PATH, content: args.scrapeConfig }],
        volumes: [{ volumeName: this.volume.name, containerPath: VM_DATA_PATH }],
        networksAdvanced: [{ name: args.networkName, aliases: ["victoriametrics"] }],
        ports: [publish(8428, args.port, args.bindAddress)],
        // The image is Alpine-based, so busybox wget can probe /health.
        healthcheck: {
          tests: ["CMD", "wget", "-q", "-O", "-", "http://127.0.0.1:8428/health"],
          interval: "10s",
          timeout: "3s",
          retries: 3,
          startPeriod: "10s",
        },
        ...containerBasics(args.memoryMb),
      },
      { parent: this, deleteBeforeReplace: true },
    );
    this.registerOutputs({ containerName: this.container.name, volumeName: this.volume.name });
  }
}
