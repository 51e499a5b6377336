// The vmalert component under Pulumi's mocks, in preview and in update mode.
import * as pulumi from "@pulumi/pulumi";
import type * as VmalertModule from "./vmalert";

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
let recorded: Recorded[] = [];

function setup(preview: boolean): typeof VmalertModule {
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
  return require("./vmalert") as typeof VmalertModule; // eslint-disable-line @typescript-eslint/no-require-imports
}

function settled(): Promise<void> {
  const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }; // eslint-disable-line @typescript-eslint/no-require-imports
  return settings.waitForRPCs();
}

const RULES = [
  { name: "slo.yaml", content: "groups:\n  - name: slo\n    rules: []\n" },
  { name: "alerts.yaml", content: "groups:\n  - name: alerts\n    rules: []\n" },
];

const args = {
  image: "victoriametrics/vmalert:v1.151.0",
  containerName: "obs-vmalert",
  networkName: "obs-observability",
  bindAddress: "127.0.0.1",
  port: 8880,
  memoryMb: 48,
  ruleFiles: RULES,
};

describe.each([true, false])("Vmalert (preview=%s)", (preview) => {
  let container: Record<string, unknown>;
  beforeAll(async () => {
    const { Vmalert } = setup(preview);
    const v = new Vmalert("observability-vmalert", args);
    await new Promise((r) => v.container.urn.apply(r));
    await settled();
    const c = recorded.find((r) => r.type === "docker:index/container:Container");
    if (c === undefined) throw new Error("no container");
    container = c.inputs;
  });

  it("creates exactly the component, its pinned image and its container", () => {
    expect(recorded.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "docker:index/container:Container observability-vmalert",
      "docker:index/remoteImage:RemoteImage observability-vmalert",
      "observability-stack:stack:Vmalert observability-vmalert",
    ]);
    const image = recorded.find((r) => r.type === "docker:index/remoteImage:RemoteImage");
    expect(image?.inputs).toMatchObject({ name: "victoriametrics/vmalert:v1.151.0", keepLocally: true });
  });

  it("evaluates against VictoriaMetrics, writes results and state back, restores state, notifies Alertmanager", () => {
    expect(container.command).toEqual([
      "-rule=/etc/vmalert/rules/*.yaml",
      "-datasource.url=http://victoriametrics:8428",
      "-remoteWrite.url=http://victoriametrics:8428",
      "-remoteRead.url=http://victoriametrics:8428",
      "-notifier.url=http://alertmanager:9093",
      "-evaluationInterval=30s",
      "-external.url=http://127.0.0.1:8880",
      "-httpListenAddr=:8880",
    ]);
  });

  it("uploads every rule file, sorted by name, byte for byte", () => {
    expect(container.uploads).toEqual([
      { file: "/etc/vmalert/rules/alerts.yaml", content: RULES[1]?.content },
      { file: "/etc/vmalert/rules/slo.yaml", content: RULES[0]?.content },
    ]);
  });

  it("publishes its port on loopback only, with a healthcheck, a memory limit and GOMEMLIMIT", () => {
    expect(container.ports).toEqual([{ internal: 8880, external: 8880, ip: "127.0.0.1", protocol: "tcp" }]);
    expect((container.healthcheck as { tests: string[] }).tests).toEqual([
      "CMD",
      "wget",
      "-q",
      "-O",
      "/dev/null",
      "http://127.0.0.1:8880/health",
    ]);
    expect(container.memory).toBe(48);
    expect(container.memorySwap).toBe(48);
    expect(container.envs).toEqual(["GOMEMLIMIT=38MiB"]);
    expect(container.restart).toBe("unless-stopped");
    expect(container.networksAdvanced).toEqual([{ name: "obs-observability", aliases: ["vmalert"] }]);
  });
});

describe("Vmalert input checks", () => {
  it.each([
    [[], /no rule files/],
    [[{ name: "../x.yaml", content: "" }], /"\.\.\/x\.yaml" is not a plain \*\.yaml file name/],
    [[{ name: "rules.json", content: "" }], /"rules\.json" is not a plain/],
    [
      [
        { name: "a.yaml", content: "" },
        { name: "a.yaml", content: "" },
      ],
      /a\.yaml is given twice/,
    ],
  ])("refuses rule files %j before creating anything", (ruleFiles, message) => {
    const { Vmalert } = setup(true);
    expect(() => new Vmalert("v", { ...args, ruleFiles })).toThrow(message);
    expect(recorded.filter((r) => r.type.startsWith("docker:"))).toEqual([]);
  });
});
