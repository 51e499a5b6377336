import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";

export interface ExistingGrafanaDatasource {
  readonly name: string;
  readonly type: string;
  readonly uid: string;
  readonly url: string;
  readonly isDefault: boolean;
  readonly jsonData: Readonly<Record<string, unknown>>;
}

export interface ExistingGrafanaDashboard {
  readonly uid: string;
  /** The bare dashboard model, serialized (byte-stable). */
  readonly json: string;
}

export interface ExistingGrafanaArgs {
  readonly url: string;
  /** A service-account token; must be a secret Output. */
  readonly token: pulumi.Output<string>;
  readonly folderTitle: string;
  readonly folderUid: string;
  readonly datasources: readonly ExistingGrafanaDatasource[];
  readonly dashboards: readonly ExistingGrafanaDashboard[];
}

/**
 * Manages the generated datasources, a folder and the dashboards in a Grafana that already runs,
 * through its API (@pulumiverse/grafana), from the same models the local stack provisions by file.
 */
export class ExistingGrafana extends pulumi.ComponentResource {
  readonly provider: grafana.Provider;
  readonly folder: grafana.oss.Folder;
  readonly datasources: grafana.oss.DataSource[];
  readonly dashboards: grafana.oss.Dashboard[];

  constructor(name: string, args: ExistingGrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:ExistingGrafana", name, {}, opts);
    this.provider = new grafana.Provider(
      name,
      { url: args.url, auth: pulumi.secret(args.token) },
      { parent: this },
    );
    const child = { parent: this, provider: this.provider };
    this.folder = new grafana.oss.Folder(name, { title: args.folderTitle, uid: args.folderUid }, child);
    this.datasources = args.datasources.map(
      (d) =>
        new grafana.oss.DataSource(
          `${name}-${d.uid}`,
          {
            name: d.name,
            type: d.type,
            uid: d.uid,
            url: d.url,
            isDefault: d.isDefault,
            accessMode: "proxy",
            jsonDataEncoded: JSON.stringify(d.jsonData),
          },
          child,
        ),
    );
    this.dashboards = args.dashboards.map(
      (d) =>
        new grafana.oss.Dashboard(
          `${name}-${d.uid}`,
          { configJson: d.json, folder: this.folder.uid, overwrite: true },
          { ...child, dependsOn: this.datasources },
        ),
    );
    this.registerOutputs({ folderUid: this.folder.uid, dashboardUids: args.dashboards.map((d) => d.uid) });
  }
}
