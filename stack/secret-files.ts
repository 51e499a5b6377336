import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { carrierHardening } from "./container-defaults";

export interface SecretFile {
  /** File name inside the volume (no folders). */
  readonly name: string;
  /** Secret content; kept encrypted in Pulumi state and masked in previews. */
  readonly content: pulumi.Output<string>;
}

export interface SecretFilesArgs {
  /** Docker volume that holds the files; the service mounts it read-only. */
  readonly volumeName: string;
  /** Name of the carrier container (created, never started). */
  readonly containerName: string;
  /**
   * Image the carrier container is created from. It never runs, so any local image works; the
   * service's own image is used so that nothing more is pulled.
   */
  readonly image: docker.RemoteImage;
  readonly files: readonly SecretFile[];
  /**
   * File mode. The files belong to root:root (this provider version cannot set an owner), so a
   * service that runs as another user reads them through group 0 (Grafana runs as 472:0, and
   * VictoriaMetrics as 10003:10003 with the supplementary group 0): "0440".
   * @default "0400"
   */
  readonly permissions?: string;
}

/** Where the carrier mounts the volume. */
const CARRIER_MOUNT = "/secrets";

/**
 * Secret files for one service, in a volume of their own.
 *
 * Why not an upload of the service container: one secret element makes that container's whole
 * `uploads` input secret, so `pulumi preview --diff` would show every generated file (dashboards,
 * provisioning) as `[secret] => [secret]`. Here the secret is the only upload of a carrier container
 * that Docker creates but never starts: Docker copies the upload into the volume mounted there, and the
 * service mounts that volume read-only. The secret is in no environment variable, command line or
 * image layer, and the service's own uploads stay plain text in previews.
 */
export class SecretFiles extends pulumi.ComponentResource {
  readonly volume: docker.Volume;
  readonly carrier: docker.Container;
  /** The volume's name, resolved after the carrier has written the files (mount it from this). */
  readonly volumeName: pulumi.Output<string>;

  constructor(name: string, args: SecretFilesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:SecretFiles", name, {}, opts);
    for (const f of args.files) {
      if (!/^[A-Za-z0-9._-]+$/.test(f.name)) {
        throw new pulumi.ResourceError(`SecretFiles ${name}: invalid file name "${f.name}"`, this);
      }
    }
    this.volume = new docker.Volume(`${name}-volume`, { name: args.volumeName }, { parent: this });
    this.carrier = new docker.Container(
      name,
      {
        name: args.containerName,
        image: args.image.imageId,
        start: false,
        mustRun: false,
        // Not read-only: see carrierHardening (the provider's uploads need a writable root). No
        // network, no capabilities, an unprivileged user, should anyone start it by hand.
        ...carrierHardening(),
        volumes: [{ volumeName: this.volume.name, containerPath: CARRIER_MOUNT }],
        uploads: args.files.map((f) => ({
          file: `${CARRIER_MOUNT}/${f.name}`,
          content: pulumi.secret(f.content),
          permissions: args.permissions ?? "0400",
        })),
      },
      // An explicit dependency: an image left out of an update (`--exclude`) resolves to no value, and a
      // missing input carries no dependency, so `--exclude-dependents` would not see this one.
      { parent: this, deleteBeforeReplace: true, dependsOn: [args.image] },
    );
    // Consumers take the name from here so that they start only once the files are in the volume.
    this.volumeName = pulumi.all([this.volume.name, this.carrier.id]).apply(([v]) => v);
    this.registerOutputs({ volumeName: this.volumeName });
  }
}
