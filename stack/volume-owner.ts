import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { SECURITY_OPTS } from "./container-defaults";

export interface VolumeOwnerArgs {
  /** Name of the one-shot container. */
  readonly containerName: string;
  /** Image that has `/bin/chown` (busybox): the service's own, so nothing more is pulled. */
  readonly image: docker.RemoteImage;
  /** The data volume whose files the service must own. */
  readonly volumeName: pulumi.Input<string>;
  /** `uid:gid` the service runs as. */
  readonly owner: string;
}

/**
 * The error for a finished chown, or undefined when it succeeded. The exit code is a number only after
 * a real create (previews and mocks report none, and pass).
 */
export function chownFailure(
  containerName: string,
  owner: string,
  volume: string,
  exitCode: number | undefined,
  logs: string | undefined,
): string | undefined {
  if (typeof exitCode !== "number" || exitCode === 0) return undefined;
  return `${containerName}: chown -R ${owner} of volume ${volume} exited ${exitCode}: ${logs ?? ""}`.trim();
}

/** Where the one-shot container mounts the volume. */
const MOUNT = "/data";

/**
 * Gives a data volume to the non-root user of its service, once, before the service starts.
 *
 * A fresh named volume belongs to root (mode 0755) unless the image has a folder at the mount path
 * to copy from, and the VictoriaMetrics image has none; a volume written by an earlier version of
 * this stack, which ran VictoriaMetrics as root, holds root's files. A container that runs
 * `chown -R <owner> /data` as root with only CAP_CHOWN and CAP_DAC_READ_SEARCH (to enter folders of
 * mode 0700), no network and a read-only root, and exits, fixes both. The provider waits for it to
 * exit (`attach`); the service mounts the volume through {@link volumeName}, which fails the update
 * with the container's output when chown did not exit 0. It runs again only when it is replaced (a
 * new image or owner).
 */
export class VolumeOwner extends pulumi.ComponentResource {
  readonly container: docker.Container;
  /** The volume's name, resolved once chown has exited 0. */
  readonly volumeName: pulumi.Output<string>;

  constructor(name: string, args: VolumeOwnerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:VolumeOwner", name, {}, opts);
    if (!/^\d+:\d+$/.test(args.owner)) {
      throw new pulumi.ResourceError(
        `VolumeOwner ${name}: owner "${args.owner}" must be numeric uid:gid`,
        this,
      );
    }
    this.container = new docker.Container(
      name,
      {
        name: args.containerName,
        image: args.image.imageId,
        entrypoints: ["/bin/chown"],
        command: ["-R", args.owner, MOUNT],
        user: "0:0",
        start: true,
        mustRun: false,
        // Wait for the exit and keep its output in state (there is none when chown succeeds).
        attach: true,
        logs: true,
        restart: "no",
        readOnly: true,
        networkMode: "none",
        // Docker stores capabilities with the CAP_ prefix; written so, they read back without a diff.
        capabilities: { drops: ["ALL"], adds: ["CAP_CHOWN", "CAP_DAC_READ_SEARCH"] },
        securityOpts: [...SECURITY_OPTS],
        memory: 32,
        memorySwap: 32,
        volumes: [{ volumeName: args.volumeName, containerPath: MOUNT }],
      },
      { parent: this, deleteBeforeReplace: true, dependsOn: [args.image] },
    );
    const c = this.container;
    this.volumeName = pulumi
      .all([pulumi.output(args.volumeName), c.exitCode, c.containerLogs])
      .apply(([volume, code, logs]) => {
        const failure = chownFailure(args.containerName, args.owner, volume, code, logs);
        if (failure !== undefined) throw new pulumi.ResourceError(failure, c);
        return volume;
      });
    this.registerOutputs({ volumeName: this.volumeName });
  }
}
