import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerPort, DOCKER_TOPOLOGY, localUrl } from "../topology";
import { containerBasics, dataVolume, goMemLimit, pinnedImage, publish } from "./container-defaults";

export interface AlertmanagerArgs {
  readonly image: string;
  readonly containerName: string;
  /** Volume of silences and the notification log, so a config change (a new container) keeps them. */
  readonly volumeName: string;
  /**
   * Keep the data volume when the stack is destroyed.
   * @default true
   */
  readonly retainData?: boolean;
  readonly networkName: pulumi.Input<string>;
  readonly bindAddress: string;
  /** Host port of Alertmanager's API and UI (container port 9093). */
  readonly port: number;
  readonly memoryMb: number;
  /** The generated Alertmanager config (routes, inhibition, receivers). */
  readonly config: string;
  /**
   * Alertmanager as a browser reaches it: the links in its notifications.
   * @default `http://${bindAddress}:${port}`
   */
  readonly externalUrl?: string;
}

export const ALERTMANAGER_CONFIG_PATH = "/etc/alertmanager/alertmanager.yml";
export const ALERTMANAGER_DATA_PATH = "/alertmanager";
const ALERTMANAGER_PORT = containerPort("alertmanager", "http");

/** The flags the stack runs Alertmanager with (the alerting e2e runs the real binary with them). */
export function alertmanagerFlags(a: {
  configFile: string;
  storagePath: string;
  listen: string;
  externalUrl: string;
}): string[] {
  return [
    `--config.file=${a.configFile}`,
    `--storage.path=${a.storagePath}`,
    `--web.listen-address=${a.listen}`,
    `--web.external-url=${a.externalUrl}`,
    // One instance: no HA gossip (it would listen on :9094 and look for peers).
    "--cluster.listen-address=",
  ];
}

/** Prometheus' Alertmanager: groups vmalert's alerts, inhibits tickets under pages, notifies receivers. */
export class Alertmanager extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly image: docker.RemoteImage;
  readonly volume: docker.Volume;

  constructor(name: string, args: AlertmanagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:Alertmanager", name, {}, opts);
    if (args.config.trim() === "")
      throw new Error("Alertmanager: the config is empty. Fix: render the catalogue's alertmanager config.");
    this.image = pinnedImage(name, args.image, this);
    this.volume = dataVolume(`${name}-data`, args.volumeName, args.retainData ?? true, this);
    this.container = new docker.Container(
      name,
      {
        name: args.containerName,
        image: this.image.imageId,
        command: alertmanagerFlags({
          configFile: ALERTMANAGER_CONFIG_PATH,
          storagePath: ALERTMANAGER_DATA_PATH,
          listen: `:${ALERTMANAGER_PORT}`,
          externalUrl: args.externalUrl ?? `http://${args.bindAddress}:${args.port}`,
        }),
        envs: [`GOMEMLIMIT=${goMemLimit(args.memoryMb)}`],
        uploads: [{ file: ALERTMANAGER_CONFIG_PATH, content: args.config }],
        volumes: [{ volumeName: this.volume.name, containerPath: ALERTMANAGER_DATA_PATH }],
        networksAdvanced: [{ name: args.networkName, aliases: [DOCKER_TOPOLOGY.hosts.alertmanager] }],
        ports: [publish(ALERTMANAGER_PORT, args.port, args.bindAddress)],
        // The image is busybox-based (wget).
        healthcheck: {
          tests: ["CMD", "wget", "-q", "-O", "/dev/null", localUrl("alertmanager", "http", "/-/healthy")],
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
