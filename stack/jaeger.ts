import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DOCKER_TOPOLOGY, LISTEN_ALL, localUrl, SERVICE_PORTS } from "../topology";
import { DEFAULT_CPUS } from "./settings";
import { containerBasics, hardening, pinnedImage, publish } from "./container-defaults";

export interface JaegerArgs {
  readonly image: string;
  readonly containerName: string;
  readonly networkName: pulumi.Input<string>;
  readonly bindAddress: string;
  /** Host port of the UI / query API (container port 16686). */
  readonly uiPort: number;
  readonly memoryMb: number;
  /**
   * CPU limit (Docker `--cpus`).
   * @default DEFAULT_CPUS.jaeger (stack/settings.ts)
   */
  readonly cpus?: number;
  /**
   * `uid:gid` Jaeger runs as (the image's is 10001, the collector's; see JAEGER_USER).
   * @default JAEGER_USER
   */
  readonly user?: string;
}

/**
 * Not the image's 10001: the process limit (RLIMIT_NPROC) counts every task of a uid on the host,
 * so each service of the stack runs as a uid of its own.
 */
export const JAEGER_USER = "10002:10002";

/** Jaeger v2 all-in-one (in-memory storage): OTLP from the collector, UI on 16686. */
export class Jaeger extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly image: docker.RemoteImage;

  constructor(name: string, args: JaegerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:Jaeger", name, {}, opts);
    this.image = pinnedImage(name, args.image, this);
    this.container = new docker.Container(
      name,
      {
        name: args.containerName,
        image: this.image.imageId,
        // Jaeger v2 binds to localhost unless told otherwise; the collector reaches it over the network.
        envs: [`JAEGER_LISTEN_HOST=${LISTEN_ALL}`],
        networksAdvanced: [{ name: args.networkName, aliases: [DOCKER_TOPOLOGY.hosts.jaeger] }],
        ports: [publish(SERVICE_PORTS.jaeger.query, args.uiPort, args.bindAddress)],
        // The image is Alpine-based (busybox wget); its embedded all-in-one config serves the
        // healthcheckv2 extension on :13133 at /status.
        healthcheck: {
          tests: ["CMD", "wget", "-q", "-O", "/dev/null", localUrl("jaeger", "health", "/status")],
          interval: "10s",
          timeout: "3s",
          retries: 3,
          startPeriod: "10s",
        },
        // In-memory trace storage: it writes nothing to disk.
        ...hardening({ user: args.user ?? JAEGER_USER, cpus: args.cpus ?? DEFAULT_CPUS.jaeger }),
        ...containerBasics(args.memoryMb),
      },
      { parent: this, deleteBeforeReplace: true },
    );
    this.registerOutputs({ containerName: this.container.name });
  }
}
