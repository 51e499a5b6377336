import { createHash } from "node:crypto";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { carrierHardening } from "./container-defaults";

export interface ConfigFile {
  /** Absolute path in the service container, inside one of the folders. */
  readonly path: string;
  readonly content: string;
}

export interface ConfigFolder {
  /** Short name: the Pulumi resource name of its volume is `<component name>-<key>`. */
  readonly key: string;
  /** Absolute folder in the service container (mounted there read-only). */
  readonly path: string;
}

export interface ConfigFilesArgs {
  /** Prefix of the volumes' Docker names: `<prefix>-<key>-<content hash>`. */
  readonly volumePrefix: string;
  /** Name of the carrier container (created, never started). */
  readonly containerName: string;
  /**
   * Image the carrier is created from; the service's own, so that nothing more is pulled and a fresh
   * volume starts with what the image has in that folder (Docker copies it in on the carrier's create).
   */
  readonly image: docker.RemoteImage;
  readonly folders: readonly ConfigFolder[];
  /** Every file lies in exactly one folder. */
  readonly files: readonly ConfigFile[];
}

/** First 12 hex digits of the SHA-256 of a folder's files (sorted by path). */
export function contentHash(files: readonly ConfigFile[]): string {
  const h = createHash("sha256");
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    h.update(`${f.path}\0${Buffer.byteLength(f.content)}\0${f.content}\0`);
  }
  return h.digest("hex").slice(0, 12);
}

/**
 * Generated files for a service whose root filesystem is read-only, in volumes it mounts read-only.
 *
 * Why not uploads of the service container: the Docker provider uploads through the container's
 * root ("/"), and Docker refuses that on a read-only root ("container rootfs is marked read-only"),
 * even when the file lies in a volume. So a carrier container, created but never started, takes the
 * uploads (Docker writes them into the volumes mounted at the same paths), and the service mounts
 * those volumes read-only: the upload paths and the preview diff are the same as before.
 *
 * Each folder's volume is named after a hash of its files: a changed file makes a new volume (and a
 * new service container that mounts it), so a file removed from the render never lingers in an old
 * volume. The old volume goes when the update ends. None of these volumes holds data of its own.
 */
export class ConfigFiles extends pulumi.ComponentResource {
  readonly volumes: docker.Volume[];
  readonly carrier: docker.Container;
  /** The service's mounts (read-only), resolved once the carrier has written the files. */
  readonly mounts: pulumi.Output<docker.types.input.ContainerVolume[]>;

  constructor(name: string, args: ConfigFilesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:ConfigFiles", name, {}, opts);
    const byFolder = new Map<string, ConfigFile[]>(args.folders.map((d) => [d.key, []]));
    for (const f of args.files) {
      const folder = args.folders.find((d) => f.path.startsWith(`${d.path}/`));
      if (folder === undefined) {
        throw new pulumi.ResourceError(
          `ConfigFiles ${name}: ${f.path} lies in none of the folders ${args.folders.map((d) => d.path).join(", ")}`,
          this,
        );
      }
      byFolder.get(folder.key)?.push(f);
    }
    this.volumes = args.folders.map(
      (d) =>
        new docker.Volume(
          `${name}-${d.key}`,
          { name: `${args.volumePrefix}-${d.key}-${contentHash(byFolder.get(d.key) ?? [])}` },
          { parent: this },
        ),
    );
    this.carrier = new docker.Container(
      name,
      {
        name: args.containerName,
        image: args.image.imageId,
        start: false,
        mustRun: false,
        ...carrierHardening(),
        volumes: args.folders.map((d, i) => ({
          volumeName: (this.volumes[i] as docker.Volume).name,
          containerPath: d.path,
        })),
        uploads: [...args.files]
          .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
          .map((f) => ({ file: f.path, content: f.content })),
      },
      // Explicit, like SecretFiles: an image left out of an update (`--exclude`) gives a missing input
      // without a dependency, and `--exclude-dependents` must see this one.
      { parent: this, deleteBeforeReplace: true, dependsOn: [args.image] },
    );
    this.mounts = pulumi
      .all([pulumi.all(this.volumes.map((v) => v.name)), this.carrier.id])
      .apply(([names]) =>
        args.folders.map((d, i) => ({
          volumeName: names[i] as string,
          containerPath: d.path,
          readOnly: true,
        })),
      );
    this.registerOutputs({ mounts: this.mounts });
  }
}
