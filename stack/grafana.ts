import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerBasics, pinnedImage, publish } from "./container-defaults";

export interface GrafanaFile {
  /** Absolute path inside the container. */
  readonly path: string;
  readonly content: string;
}

export interface GrafanaArgs {
  readonly image: string;
  readonly containerName: string;
  readonly volumeName: string;
  readonly networkName: pulumi.Input<string>;
  readonly bindAddress: string;
  readonly port: number;
  readonly memoryMb: number;
  /** Provisioning files and dashboards (from the render output), at their container paths. */
  readonly files: readonly GrafanaFile[];
  /** Must be a secret Output: it only reaches Grafana as a file, never as an environment variable. */
  readonly adminPassword: pulumi.Output<string>;
}

export const GRAFANA_PASSWORD_FILE = "/etc/grafana/secrets/admin_password";

/** Grafana, provisioned by files: datasources, a dashboard provider and the generated dashboards. */
export class Grafana extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly image: docker.RemoteImage;
  readonly volume: docker.Volume;

  constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:Grafana", name, {}, opts);
    this.image = pinnedImage(name, args.image, this);
    this.volume = new docker.Volume(`${name}-data`, { name: args.volumeName }, { parent: this });
    const uploads: docker.types.input.ContainerUpload[] = [
      ...[...args.files]
        .sort((a, b) => a.path.localeCompare(b.path))
        .map((f) => ({ file: f.path, content: f.content })),
      // Secret input: Pulumi keeps it encrypted in state and masks it in previews.
      { file: GRAFANA_PASSWORD_FILE, content: pulumi.secret(args.adminPassword) },
    ];
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
        uploads,
        volumes: [{ volumeName: this.volume.name, containerPath: "/var/lib/grafana" }],
        networksAdvanced: [{ name: args.networkName, aliases: ["grafana"] }],
        ports: [publish(3000, args.port, args.bindAddress)],
        healthcheck: {
          tests: [
            "CMD-SHELL",
            "wget -q -O /dev/null http://127.0.0.1:3000/api/health || curl -fsS -o /dev/null http://127.0.0.1:3000/api/health",
          ],
          interval: "10s",
          timeout: "3s",
          retries: 5,
          startPeriod: "30s",
        },
        ...containerBasics(args.memoryMb),
      },
      { parent: this, deleteBeforeReplace: true },
    );
    this.registerOutputs({ containerName: this.container.name, volumeName: this.volume.name });
  }
}
