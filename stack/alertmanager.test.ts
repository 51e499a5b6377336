// The Alertmanager component under Pulumi's mocks, in preview and in update mode.
import * as pulumi from "@pulumi/pulumi";
import type * as AlertmanagerModule from "./alertmanager";

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
let recorded: Recorded[] = [];

function setup(preview: boolean): typeof AlertmanagerModule {
  recorded = [];
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === "docker:index/remoteImage:RemoteImage") state.imageId = `sha256:${args.name}`;
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "observability-stack",
    "dev",
    preview,
  );
  return require("./alertmanager") as typeof AlertmanagerModule; // eslint-disable-line @typescript-eslint/no-require-imports
}

function settled(): Promise<void> {
  const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }; // eslint-disable-line @typescript-eslint/no-require-imports
  return settings.waitForRPCs();
}

const CONFIG = "route:\n  receiver: default\nreceivers:\n  - name: default\n";
const args = {
  image: "prom/alertmanager:v0.35.0",
  containerName: "obs-alertmanager",
  volumeName: "obs-alertmanager-data",
  networkName: "obs-observability",
  bindAddress: "127.0.0.1",
  port: 9093,
  memoryMb: 40,
  config: CONFIG,
};

describe.each([true, false])("Alertmanager (preview=%s)", (preview) => {
  let container: Record<string, unknown>;
  let volume: Recorded | undefined;
  beforeAll(async () => {
    const { Alertmanager } = setup(preview);
    const a = new Alertmanager("observability-alertmanager", args);
    await Promise.all([a.container.urn, a.volume.urn].map((u) => new Promise((r) => u.apply(r))));
    await settled();
    const c = recorded.find((r) => r.type === "docker:index/container:Container");
    if (c === undefined) throw new Error("no container");
    container = c.inputs;
    volume = recorded.find((r) => r.type === "docker:index/volume:Volume");
  });

  it("creates exactly the component, its pinned image, its data volume and its container", () => {
    expect(recorded.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "docker:index/container:Container observability-alertmanager",
      "docker:index/remoteImage:RemoteImage observability-alertmanager",
      "docker:index/volume:Volume observability-alertmanager-data",
      "observability-stack:stack:Alertmanager observability-alertmanager",
    ]);
    expect(volume?.inputs).toEqual({ name: "obs-alertmanager-data" });
  });

  it("runs one instance (no gossip) with the uploaded config and its state on the volume", () => {
    expect(container.command).toEqual([
      "--config.file=/etc/alertmanager/alertmanager.yml",
      "--storage.path=/alertmanager",
      "--web.listen-address=:9093",
      "--web.external-url=http://127.0.0.1:9093",
      "--cluster.listen-address=",
    ]);
    expect(container.uploads).toEqual([{ file: "/etc/alertmanager/alertmanager.yml", content: CONFIG }]);
    expect(container.volumes).toEqual([
      { volumeName: "obs-alertmanager-data", containerPath: "/alertmanager" },
    ]);
  });

  it("publishes its port on loopback only, with a healthcheck, a memory limit and GOMEMLIMIT", () => {
    expect(container.ports).toEqual([{ internal: 9093, external: 9093, ip: "127.0.0.1", protocol: "tcp" }]);
    expect((container.healthcheck as { tests: string[] }).tests.join(" ")).toBe(
      "CMD wget -q -O /dev/null http://127.0.0.1:9093/-/healthy",
    );
    expect(container.memory).toBe(40);
    expect(container.memorySwap).toBe(40);
    expect(container.envs).toEqual(["GOMEMLIMIT=32MiB"]);
    expect(container.networksAdvanced).toEqual([{ name: "obs-observability", aliases: ["alertmanager"] }]);
  });
});

describe("Alertmanager input checks", () => {
  it("refuses an empty config before creating anything", () => {
    const { Alertmanager } = setup(true);
    expect(() => new Alertmanager("a", { ...args, config: "  \n" })).toThrow(/the config is empty/);
    expect(recorded.filter((r) => r.type.startsWith("docker:"))).toEqual([]);
  });
});
