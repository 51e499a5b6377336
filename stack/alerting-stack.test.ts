// The stack with the `alerting` config key, under Pulumi's mocks, in preview and in update mode:
// vmalert and Alertmanager as children of the stack component, their files exactly render's, and
// VictoriaMetrics' -vmalert.proxyURL; with alerting off, none of it.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { scotty, scottyAlerting } from "../definitions";
import type { Catalogue } from "../definitions";
import { renderArtifacts, renderFiles } from "../render";
import versions from "../versions.json";
import type * as Program from "./program";

/** The program, loaded after setMocks (it must not be evaluated before the mocks are in place). */
function program(): typeof Program {
  return require("./program") as typeof Program; // eslint-disable-line @typescript-eslint/no-require-imports
}

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

let recorded: Recorded[] = [];

function setup(preview: boolean, config: Record<string, unknown> = {}): void {
  recorded = [];
  pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === "docker:index/remoteImage:RemoteImage") state.imageId = `sha256:${args.name}`;
        if (args.type === "random:index/randomPassword:RandomPassword") state.result = `mock-${args.name}`;
        if (args.type === "docker:index/container:Container" && args.name.endsWith("-data-owner")) {
          state.exitCode = 0;
          state.containerLogs = "";
        }
        return { id: `${args.name}-id`, state };
      },
      call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
    },
    "observability-stack",
    "dev",
    preview,
  );
  pulumi.runtime.setAllConfig(
    Object.fromEntries(
      Object.entries(config).map(([k, v]) => [
        `observability-stack:${k}`,
        typeof v === "string" ? v : JSON.stringify(v),
      ]),
    ),
  );
}

/** Waits until every pending registration has reached the mocks. */
function settled(): Promise<void> {
  const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }; // eslint-disable-line @typescript-eslint/no-require-imports
  return settings.waitForRPCs();
}

function value<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

interface Built {
  outputs: Record<string, unknown>;
  /** URN of each alerting resource (absent when alerting is off). */
  urns: Record<string, string>;
}

async function build(catalogue?: Catalogue): Promise<Built> {
  const { stack, outputs } = program().createStack(undefined, catalogue ? { catalogue } : {});
  const customs: pulumi.Resource[] = [
    stack.network.network,
    stack.jaeger.container,
    stack.collector.container,
    stack.victoriametrics.container,
  ];
  if (stack.grafana) customs.push(stack.grafana.container);
  const named: Record<string, pulumi.Resource> = {};
  if (stack.vmalert) {
    named.vmalert = stack.vmalert;
    named.vmalertContainer = stack.vmalert.container;
  }
  if (stack.alertmanager) {
    named.alertmanager = stack.alertmanager;
    named.alertmanagerContainer = stack.alertmanager.container;
    named.alertmanagerVolume = stack.alertmanager.volume;
  }
  await Promise.all(customs.map((r) => value(r.urn)));
  const urns = Object.fromEntries(
    await Promise.all(Object.entries(named).map(async ([k, r]) => [k, await value(r.urn)] as const)),
  );
  await settled();
  return { outputs, urns };
}

function container(name: string): Record<string, unknown> {
  const r = recorded.find((x) => x.name === name && x.type === "docker:index/container:Container");
  if (r === undefined)
    throw new Error(`no container ${name}; have ${recorded.map((x) => x.name).join(", ")}`);
  return r.inputs;
}

const resourceList = (): string[] => recorded.map((r) => `${r.type} ${r.name}`).sort();

type Upload = { file: string; content: string };

/** What alerting adds to the stack, and nothing else. */
const ALERTING_RESOURCES = [
  "docker:index/container:Container observability-alertmanager",
  "docker:index/container:Container observability-vmalert",
  "docker:index/remoteImage:RemoteImage observability-alertmanager",
  "docker:index/remoteImage:RemoteImage observability-vmalert",
  "docker:index/volume:Volume observability-alertmanager-data",
  "observability-stack:stack:Alertmanager observability-alertmanager",
  "observability-stack:stack:Vmalert observability-vmalert",
];

const PROXY_FLAG = "-vmalert.proxyURL=http://vmalert:8880";
const SELF_SCRAPE_FLAG = "-selfScrapeInterval=15s";

describe.each([true, false])("the stack with alerting (preview=%s)", (preview) => {
  let off: { resources: string[]; vmCommand: string[]; outputs: Record<string, unknown> };
  let on: Built;
  beforeAll(async () => {
    // Off: an alerting catalogue with alerting set to false (the same resources as plain scotty).
    setup(preview, { alerting: false });
    const offBuilt = await build(scottyAlerting);
    off = {
      resources: resourceList(),
      vmCommand: container("observability-victoriametrics").command as string[],
      outputs: offBuilt.outputs,
    };
    setup(preview, { alerting: true });
    on = await build(scottyAlerting);
  });

  it("adds exactly vmalert and Alertmanager (components, images, containers, Alertmanager's volume)", () => {
    const added = resourceList().filter((r) => !off.resources.includes(r));
    expect(added).toEqual(ALERTING_RESOURCES);
    expect(off.resources.filter((r) => !resourceList().includes(r))).toEqual([]);
  });

  it("parents them to the stack component", () => {
    // A URN's type names the parent's type before `$`: the components are the stack's children, the
    // containers and the volume theirs.
    const urn = (type: string, name: string): string =>
      `urn:pulumi:dev::observability-stack::${type}::${name}`;
    const stack = "observability-stack:stack:ObservabilityStack";
    const vmalert = "observability-stack:stack:Vmalert";
    const am = "observability-stack:stack:Alertmanager";
    expect(on.urns).toEqual({
      vmalert: urn(`${stack}$${vmalert}`, "observability-vmalert"),
      vmalertContainer: urn(`${vmalert}$docker:index/container:Container`, "observability-vmalert"),
      alertmanager: urn(`${stack}$${am}`, "observability-alertmanager"),
      alertmanagerContainer: urn(`${am}$docker:index/container:Container`, "observability-alertmanager"),
      alertmanagerVolume: urn(`${am}$docker:index/volume:Volume`, "observability-alertmanager-data"),
    });
  });

  it("uploads render's rules and Alertmanager config byte for byte (by default, render's own defaults)", () => {
    const want = renderArtifacts(scottyAlerting).alerting;
    if (want === undefined) throw new Error("scottyAlerting renders no alerting");
    expect(container("observability-vmalert").uploads).toEqual([
      { file: "/etc/vmalert/rules/rules.yaml", content: want.rulesYaml },
    ]);
    expect(want.rulesYaml).toMatch(/^ {4}interval: 1m$/m);
    expect(want.rulesYaml).not.toMatch(/^ {4}interval: (?!1m$)/m);
    expect(container("observability-alertmanager").uploads).toEqual([
      { file: "/etc/alertmanager/alertmanager.yml", content: want.alertmanagerYaml },
    ]);
  });

  it("gives VictoriaMetrics -vmalert.proxyURL, and nothing else changes in its command", () => {
    const cmd = container("observability-victoriametrics").command as string[];
    expect(cmd.filter((f) => f.startsWith("-vmalert"))).toEqual([PROXY_FLAG]);
    // and scrapes itself, for the built-in vm_* rules
    expect(cmd).toContain(SELF_SCRAPE_FLAG);
    expect(cmd.filter((f) => f !== PROXY_FLAG && f !== SELF_SCRAPE_FLAG)).toEqual(off.vmCommand);
  });

  it("runs vmalert against VictoriaMetrics (datasource, remote write and read) and notifies Alertmanager", () => {
    expect(container("observability-vmalert").command).toEqual([
      "-rule=/etc/vmalert/rules/*.yaml",
      "-datasource.url=http://victoriametrics:8428",
      "-remoteWrite.url=http://victoriametrics:8428",
      "-remoteRead.url=http://victoriametrics:8428",
      "-notifier.url=http://alertmanager:9093",
      "-evaluationInterval=1m",
      "-external.url=http://127.0.0.1:8880",
      "-httpListenAddr=:8880",
    ]);
    expect(container("observability-alertmanager").command).toEqual([
      "--config.file=/etc/alertmanager/alertmanager.yml",
      "--storage.path=/alertmanager",
      "--web.listen-address=:9093",
      "--web.external-url=http://127.0.0.1:9093",
      "--cluster.listen-address=",
    ]);
  });

  it("puts both on the stack's network, ports on 127.0.0.1, with health checks and the memory limits", () => {
    for (const [name, port, image, health] of [
      ["vmalert", 8880, "sha256:observability-vmalert", "/health"],
      ["alertmanager", 9093, "sha256:observability-alertmanager", "/-/healthy"],
    ] as const) {
      const c = container(`observability-${name}`);
      expect(c.name).toBe(`obs-${name}`);
      expect(c.image).toBe(image);
      expect(c.networksAdvanced).toEqual([{ name: "obs-observability", aliases: [name] }]);
      expect(c.ports).toEqual([{ internal: port, external: port, ip: "127.0.0.1", protocol: "tcp" }]);
      expect((c.healthcheck as { tests: string[] }).tests).toEqual([
        "CMD",
        "wget",
        "-q",
        "-O",
        "/dev/null",
        `http://127.0.0.1:${port}${health}`,
      ]);
      expect(c.memory).toBe(32);
      expect(c.memorySwap).toBe(32);
      expect(c.restart).toBe("unless-stopped");
    }
    const images = recorded
      .filter((r) => r.type === "docker:index/remoteImage:RemoteImage")
      .map((r) => [r.name, r.inputs.name]);
    expect(images).toEqual(
      expect.arrayContaining([
        ["observability-vmalert", `victoriametrics/vmalert:${versions.victoriametrics}`],
        ["observability-alertmanager", `prom/alertmanager:${versions.alertmanager}`],
      ]),
    );
    expect(container("observability-alertmanager").volumes).toEqual([
      { volumeName: "obs-alertmanager-data", containerPath: "/alertmanager" },
    ]);
  });

  it("outputs the URLs and the alerting memory (outside memoryBudgetMb); off, none of them", () => {
    expect(on.outputs.vmalertUrl).toBe("http://127.0.0.1:8880");
    expect(on.outputs.alertmanagerUrl).toBe("http://127.0.0.1:9093");
    expect(on.outputs.alertingMemoryMb).toEqual({ vmalert: 32, alertmanager: 32, total: 64 });
    expect(on.outputs.memoryLimitsMb).toEqual(off.outputs.memoryLimitsMb);
    expect(off.outputs.vmalertUrl).toBeUndefined();
    expect(off.outputs.alertmanagerUrl).toBeUndefined();
    expect(off.outputs.alertingMemoryMb).toBeUndefined();
  });
});

describe.each([true, false])("the stack with alerting off (preview=%s)", (preview) => {
  it("by default runs neither and gives VictoriaMetrics no -vmalert.proxyURL", async () => {
    setup(preview);
    const { outputs } = await build();
    const resources = resourceList();
    expect(resources.filter((r) => /vmalert|alertmanager/i.test(r))).toEqual([]);
    const cmd = container("observability-victoriametrics").command as string[];
    expect(cmd.filter((f) => f.includes("vmalert"))).toEqual([]);
    expect([outputs.vmalertUrl, outputs.alertmanagerUrl, outputs.alertingMemoryMb]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);

    // An alerting catalogue with alerting: false declares the very same resources and VM command.
    setup(preview, { alerting: false });
    await build(scottyAlerting);
    expect(resourceList()).toEqual(resources);
    expect(container("observability-victoriametrics").command).toEqual(cmd);
  });
});

describe("the alerting key's settings", () => {
  it("turns evaluationInterval into the rule groups' seconds", () => {
    const { evaluationIntervalSeconds, resolveAlerting } =
      require("./alerting-settings") as typeof import("./alerting-settings"); // eslint-disable-line @typescript-eslint/no-require-imports
    const { DEFAULT_PORTS } = require("./settings") as typeof import("./settings"); // eslint-disable-line @typescript-eslint/no-require-imports
    const seconds = (evaluationInterval: string): number | undefined => {
      const a = resolveAlerting({ evaluationInterval }, DEFAULT_PORTS);
      return a && evaluationIntervalSeconds(a);
    };
    expect(["45s", "2m", "1h", "30s"].map(seconds)).toEqual([45, 120, 3600, 30]);
  });

  it("reads enabled as `pulumi config set --path` stores it (text), and an explicit off is no error", () => {
    const { checkAlertingCatalogue, resolveAlerting } =
      require("./alerting-settings") as typeof import("./alerting-settings"); // eslint-disable-line @typescript-eslint/no-require-imports
    const { DEFAULT_PORTS } = require("./settings") as typeof import("./settings"); // eslint-disable-line @typescript-eslint/no-require-imports
    expect(resolveAlerting({ enabled: "false" }, DEFAULT_PORTS)).toBeUndefined();
    expect(resolveAlerting({ enabled: "true" }, DEFAULT_PORTS)?.ports).toEqual({
      vmalert: 8880,
      alertmanager: 9093,
    });
    const alertingCatalogue = { name: "scotty", hasAlerting: true };
    for (const raw of [false, "false", { enabled: false }, { enabled: "false" }])
      expect(() => checkAlertingCatalogue(raw, undefined, alertingCatalogue)).not.toThrow();
    expect(() => checkAlertingCatalogue(undefined, undefined, alertingCatalogue)).toThrow(
      /alerting: not set/,
    );
  });

  it("sets ports, memory, evaluation interval and the webhook (byte for byte render's files)", async () => {
    setup(true, {
      alerting: {
        ports: { vmalert: 18880, alertmanager: 19093 },
        memoryMb: { vmalert: 48, alertmanager: 40 },
        evaluationInterval: "2m",
        webhookUrl: "http://receiver.example:5001/alerts",
      },
    });
    const { outputs } = await build(scottyAlerting);
    const vmalert = container("observability-vmalert");
    const am = container("observability-alertmanager");
    expect(vmalert.ports).toEqual([{ internal: 8880, external: 18880, ip: "127.0.0.1", protocol: "tcp" }]);
    expect(am.ports).toEqual([{ internal: 9093, external: 19093, ip: "127.0.0.1", protocol: "tcp" }]);
    expect([vmalert.memory, am.memory]).toEqual([48, 40]);
    expect(vmalert.command).toContain("-evaluationInterval=2m");
    expect(vmalert.command).toContain("-external.url=http://127.0.0.1:18880");
    expect(outputs).toMatchObject({
      vmalertUrl: "http://127.0.0.1:18880",
      alertmanagerUrl: "http://127.0.0.1:19093",
      alertingMemoryMb: { vmalert: 48, alertmanager: 40, total: 88 },
    });
    // The rules are exactly the render's file at the same interval.
    const rendered = renderFiles(scottyAlerting, {
      alerting: {
        evaluationIntervalSeconds: 120,
        alertmanager: { webhookUrl: "http://receiver.example:5001/alerts" },
      },
    });
    const file = (p: string): string => {
      const f = rendered.find((x) => x.path === p);
      if (f === undefined) throw new Error(`no ${p}`);
      return f.content;
    };
    expect((vmalert.uploads as Upload[])[0]?.content).toBe(file("vmalert/rules.yaml"));
    expect((am.uploads as Upload[])[0]?.content).toBe(file("alertmanager/alertmanager.yml"));
    expect(file("alertmanager/alertmanager.yml")).toContain("http://receiver.example:5001/alerts");
  });

  it("takes alerting from the program's settings in code, and config wins over them", async () => {
    setup(true);
    const { outputs } = program().createStack(undefined, {
      catalogue: scottyAlerting,
      settings: { alerting: { ports: { vmalert: 18881 } } },
    });
    expect(outputs.vmalertUrl).toBe("http://127.0.0.1:18881");
    await settled();

    setup(true, { alerting: false });
    const off = program().createStack(undefined, { catalogue: scottyAlerting, settings: { alerting: true } });
    expect(off.outputs.vmalertUrl).toBeUndefined();
    expect(off.stack.vmalert).toBeUndefined();
    await settled();
  });

  it("loads an alerting catalogue named by config definitions", async () => {
    setup(true, {
      alerting: true,
      definitions: path.join(__dirname, "..", "test", "fixtures", "scotty-alerting.ts"),
    });
    await build();
    const want = renderArtifacts(scottyAlerting).alerting;
    expect((container("observability-vmalert").uploads as Upload[])[0]?.content).toBe(want?.rulesYaml);
  });

  it("publishes on 0.0.0.0 with the rest of the stack, URLs on localhost", async () => {
    setup(true, { alerting: true, bindAddress: "0.0.0.0", exposeBeyondLoopback: true });
    const { outputs } = await build(scottyAlerting);
    for (const n of ["observability-vmalert", "observability-alertmanager"])
      expect((container(n).ports as { ip: string }[]).map((p) => p.ip)).toEqual(["0.0.0.0"]);
    expect(container("observability-vmalert").command).toContain("-external.url=http://localhost:8880");
    expect([outputs.vmalertUrl, outputs.alertmanagerUrl]).toEqual([
      "http://localhost:8880",
      "http://localhost:9093",
    ]);
  });
});

describe("the alerting key and the catalogue must agree (preview fails, nothing is created)", () => {
  it("alerting on with a catalogue without objectives or alerts", async () => {
    setup(true, { alerting: true });
    expect(() => program().createStack()).toThrow(
      'Invalid config observability-stack:alerting: alerting is on, but the catalogue "scotty" has no ' +
        "objectives or alerts (it is not made with defineAlerting), so vmalert would have no rules. Fix: " +
        "set observability-stack:definitions to a module whose default export is defineAlerting(<catalogue>, " +
        "{ … }), or turn alerting off: pulumi config set observability-stack:alerting false.",
    );
    await settled();
    expect(recorded).toEqual([]);
  });

  it("an alerting catalogue with the key unset", async () => {
    setup(true);
    expect(() => program().createStack(undefined, { catalogue: scottyAlerting })).toThrow(
      'Invalid config observability-stack:alerting: not set, but the catalogue "scotty" declares ' +
        "objectives or alerts (defineAlerting): without vmalert no rule is evaluated, its SLO dashboards " +
        "stay empty and no alert fires. Fix: pulumi config set observability-stack:alerting true (runs " +
        "vmalert and Alertmanager, 64 MiB beyond memoryBudgetMb), or pulumi config set " +
        "observability-stack:alerting false to run the stack without them.",
    );
    await settled();
    expect(recorded).toEqual([]);
  });

  it("a bad alerting value, and a port another service of the stack uses", async () => {
    setup(true, { alerting: { webhookUrl: "ftp://x" } });
    expect(() => program().createStack(undefined, { catalogue: scottyAlerting })).toThrow(
      /^Invalid config observability-stack:alerting.webhookUrl: "ftp:\/\/x" is not an http\(s\) URL/,
    );
    setup(true, { alerting: { ports: { alertmanager: 3000 } } });
    expect(() => program().createStack(undefined, { catalogue: scottyAlerting })).toThrow(
      "Invalid config observability-stack:alerting.ports.alertmanager: host port 3000 is already used by ports.grafana.",
    );
    await settled();
    expect(recorded).toEqual([]);
  });

  it("the component itself refuses alerting for a catalogue without it", async () => {
    setup(true);
    const { ObservabilityStack } = require("./observability-stack") as typeof import("./observability-stack"); // eslint-disable-line @typescript-eslint/no-require-imports
    const { resolveSettings } = require("./settings") as typeof import("./settings"); // eslint-disable-line @typescript-eslint/no-require-imports
    const { resolveAlerting } = require("./alerting-settings") as typeof import("./alerting-settings"); // eslint-disable-line @typescript-eslint/no-require-imports
    const settings = resolveSettings({});
    const alerting = resolveAlerting(true, settings.ports);
    expect(
      () =>
        new ObservabilityStack("observability", {
          catalogue: scotty,
          settings,
          victoriaMetricsAdminKey: pulumi.output("k"),
          grafanaAdminPassword: pulumi.output("p"),
          alerting,
        }),
    ).toThrow(/observability-stack:alerting: alerting is on, but the catalogue "scotty"/);
    await settled();
    // The component registers itself before it checks; no child exists.
    expect(resourceList()).toEqual(["observability-stack:stack:ObservabilityStack observability"]);
  });
});
