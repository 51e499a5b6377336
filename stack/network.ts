import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

export interface ObservabilityNetworkArgs {
  /** Docker network name; the containers reach each other on it by their aliases. */
  readonly name: string;
}

/** The stack's private bridge network. */
export class ObservabilityNetwork extends pulumi.ComponentResource {
  readonly network: docker.Network;
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: ObservabilityNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:Network", name, {}, opts);
    this.network = new docker.Network(name, { name: args.name, driver: "bridge" }, { parent: this });
    this.name = this.network.name;
    this.registerOutputs({ name: this.name });
  }
}
