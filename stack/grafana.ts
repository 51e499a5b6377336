import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DOCKER_TOPOLOGY, localUrl, SERVICE_PORTS } from "../topology";
import { ConfigFiles } from "./config-files";
import type { ConfigFolder } from "./config-files";
import { DEFAULT_CPUS } from "./settings";
import { containerBasics, dataVolume, hardening, pinnedImage, publish } from "./container-defaults";
import { SecretFiles } from "./secret-files";

export interface GrafanaFile {
  /** Absolute path inside the container. */
  readonly path: string;
  readonly content: string;
}

export interface GrafanaArgs {
  readonly image: string;
  readonly containerName: string;
  readonly volumeName: string;
  /** Volume that holds the admin-password file (mounted read-only). */
  readonly secretsVolumeName: string;
  /**
   * Keep the data volume (dashboards' state, users, the admin password) when the stack is destroyed.
   * @default true
   */
  readonly retainData?: boolean;
  readonly networkName: pulumi.Input<string>;
  readonly bindAddress: string;
  readonly port: number;
  readonly memoryMb: number;
  /** Provisioning files and dashboards (from the render output), at their container paths. */
  readonly files: readonly GrafanaFile[];
  /** Must be a secret Output: it only reaches Grafana as a file, never as an environment variable. */
  readonly adminPassword: pulumi.Output<string>;
  /**
   * CPU limit (Docker `--cpus`).
   * @default DEFAULT_CPUS.grafana (stack/settings.ts)
   */
  readonly cpus?: number;
}

/** The image's user (grafana, group root); the stack states it, so the mock tests can check it. */
export const GRAFANA_USER = "472:0";
/**
 * The folders the generated files go to (each a read-only volume, see ConfigFiles): every file of
 * `files` lies in one of them. Siblings of the secrets folder, and of grafana.ini, which stays the
 * image's.
 */
export const GRAFANA_FILE_FOLDERS: readonly ConfigFolder[] = [
  { key: "provisioning", path: "/etc/grafana/provisioning" },
  { key: "dashboards", path: "/etc/grafana/dashboards" },
  { key: "catalogue", path: "/etc/grafana/catalogue" },
];

/** Grafana's health endpoint as its own container reaches it (the healthcheck probes it). */
const GRAFANA_HEALTH_URL = localUrl("grafana", "http", "/api/health");

export const GRAFANA_SECRETS_DIR = "/etc/grafana/secrets";
export const GRAFANA_PASSWORD_FILE = `${GRAFANA_SECRETS_DIR}/admin_password`;
/** The image runs as 472:0, so the root-owned password file is readable to group 0 only. */
export const GRAFANA_SECRET_MODE = "0440";

/** Grafana, provisioned by files: datasources, a dashboard provider and the generated dashboards. */
export class Grafana extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly image: docker.RemoteImage;
  readonly volume: docker.Volume;
  readonly secrets: SecretFiles;
  readonly files: ConfigFiles;

  constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:Grafana", name, {}, opts);
    this.image = pinnedImage(name, args.image, this);
    this.volume = dataVolume(`${name}-data`, args.volumeName, args.retainData ?? true, this);
    // The password lives in a volume of its own (see SecretFiles), so that the uploads below, every
    // generated file, stay plain text in `pulumi preview --diff`.
    this.secrets = new SecretFiles(
      `${name}-secrets`,
      {
        volumeName: args.secretsVolumeName,
        containerName: `${args.containerName}-secrets`,
        image: this.image,
        permissions: GRAFANA_SECRET_MODE,
        files: [{ name: "admin_password", content: args.adminPassword }],
      },
      { parent: this },
    );
    // The generated files, plain text in `pulumi preview --diff` (the carrier's uploads).
    this.files = new ConfigFiles(
      `${name}-files`,
      {
        volumePrefix: args.containerName,
        containerName: `${args.containerName}-files`,
        image: this.image,
        folders: GRAFANA_FILE_FOLDERS,
        files: args.files,
      },
      { parent: this },
    );
    this.container = new docker.Container(
      name,
      {
        name: args.containerName,
        image: this.image.imageId,
        envs: [
          "GF_SECURITY_ADMIN_USER=admin",
          `GF_SECURITY_ADMIN_PASSWORD__FILE=${GRAFANA_PASSWORD_FILE}`,
          "GF_AUTH_ANONYMOUS_ENABLED=false",
          "GF_USERS_ALLOW_SIGN_UP=false",
          // A local stack: no phone-home, no update checks (and no network for them anyway).
          "GF_ANALYTICS_REPORTING_ENABLED=false",
          "GF_ANALYTICS_CHECK_FOR_UPDATES=false",
          "GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES=false",
        ],
        volumes: pulumi
          .all([this.volume.name, this.secrets.volumeName, this.files.mounts])
          .apply(([data, secrets, files]) => [
            { volumeName: data, containerPath: "/var/lib/grafana" },
            { volumeName: secrets, containerPath: GRAFANA_SECRETS_DIR, readOnly: true },
            ...files,
          ]),
        networksAdvanced: [{ name: args.networkName, aliases: [DOCKER_TOPOLOGY.hosts.grafana] }],
        ports: [publish(SERVICE_PORTS.grafana.http, args.port, args.bindAddress)],
        healthcheck: {
          tests: [
            "CMD-SHELL",
            `wget -q -O /dev/null ${GRAFANA_HEALTH_URL} || curl -fsS -o /dev/null ${GRAFANA_HEALTH_URL}`,
          ],
          interval: "10s",
          timeout: "3s",
          retries: 5,
          startPeriod: "30s",
        },
        // Writes its database and plugins to the data volume, temporary files to /tmp; the image's
        // run.sh logs to the console. (Not run here: no Grafana image can be had; see README.)
        ...hardening({ user: GRAFANA_USER, cpus: args.cpus ?? DEFAULT_CPUS.grafana }),
        ...containerBasics(args.memoryMb),
      },
      // dependsOn: see SecretFiles (an excluded image gives a missing input without a dependency).
      { parent: this, deleteBeforeReplace: true, dependsOn: [this.image] },
    );
    this.registerOutputs({ containerName: this.container.name, volumeName: this.volume.name });
  }
}
