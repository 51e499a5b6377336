// Unit tests of the Pulumi program with the official mocks, in preview and in update mode.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { renderFiles } from "../render";
import { scotty } from "../definitions";
import versions from "../versions.json";
import type * as Program from "./program";

/** The program, loaded after setMocks (it must not be evaluated before the mocks are in place). */
function program(): typeof Program {
  return require("./program") as typeof Program; // eslint-disable-line @typescript-eslint/no-require-imports
}

const PASSWORD = "mock-generated-password-9f3b";
const VM_KEY = "mock-generated-vm-admin-key-51ac0e";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

let recorded: Recorded[] = [];

function setup(preview: boolean, config: Record<string, unknown> = {}, secretKeys: string[] = []): void {
  recorded = [];
  pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === "docker:index/remoteImage:RemoteImage") state.imageId = `sha256:${args.name}`;
        if (args.type === "random:index/randomPassword:RandomPassword")
          state.result = args.name === "victoriametrics-admin-key" ? VM_KEY : PASSWORD;
        if (args.type === "grafana:oss/folder:Folder") state.uid = args.inputs.uid;
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
    secretKeys.map((k) => `observability-stack:${k}`),
  );
}

/** Waits until every pending registration (including components' registerOutputs) has reached the mocks. */
function settled(): Promise<void> {
  // Internal but stable helper of the SDK: without it the next test's setMocks races this one's RPCs.
  const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }; // eslint-disable-line @typescript-eslint/no-require-imports
  return settings.waitForRPCs();
}

function value<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

async function build(): Promise<{ outputs: Record<string, unknown> }> {
  const { stack, password, outputs } = program().createStack();
  const customs: pulumi.CustomResource[] = [
    stack.network.network,
    stack.jaeger.container,
    stack.jaeger.image,
  ];
  customs.push(stack.collector.container, stack.collector.image);
  customs.push(stack.victoriametrics.container, stack.victoriametrics.image, stack.victoriametrics.volume);
  if (stack.grafana) customs.push(stack.grafana.container, stack.grafana.image, stack.grafana.volume);
  if (stack.existingGrafana) {
    const eg = stack.existingGrafana;
    customs.push(eg.provider, eg.folder, ...eg.datasources, ...eg.dashboards);
  }
  if (password) customs.push(password);
  await Promise.all(customs.map((r) => value(r.urn)));
  await settled();
  return { outputs };
}

/** The container of that name (components share their child container's name). */
function byName(name: string): Recorded {
  const r = recorded.find((x) => x.name === name && x.type === "docker:index/container:Container");
  if (r === undefined) throw new Error(`no resource ${name}; have ${recorded.map((x) => x.name).join(", ")}`);
  return r;
}

function isSecretValue(v: unknown): boolean {
  return (
    v !== null &&
    typeof v === "object" &&
    (v as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === SECRET_SIG
  );
}

/** Every plain (not secret-wrapped) string in a value tree. */
function plainStrings(v: unknown, out: string[] = []): string[] {
  if (isSecretValue(v)) return out;
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => plainStrings(x, out));
  else if (v !== null && typeof v === "object") Object.values(v).forEach((x) => plainStrings(x, out));
  return out;
}

function unwrap(v: unknown): unknown {
  return isSecretValue(v) ? (v as { value: unknown }).value : v;
}

type Port = { internal: number; external: number; ip: string; protocol: string };
type Upload = { file: string; content: unknown };

describe.each([true, false])("the stack with default config (preview=%s)", (preview) => {
  let outputs: Record<string, unknown>;
  beforeAll(async () => {
    setup(preview);
    ({ outputs } = await build());
  });

  it("declares exactly these resources (renames must be deliberate)", () => {
    expect(recorded.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "docker:index/container:Container observability-collector",
      "docker:index/container:Container observability-grafana",
      "docker:index/container:Container observability-grafana-secrets",
      "docker:index/container:Container observability-jaeger",
      "docker:index/container:Container observability-victoriametrics",
      "docker:index/container:Container observability-victoriametrics-secrets",
      "docker:index/network:Network observability-network",
      "docker:index/remoteImage:RemoteImage observability-collector",
      "docker:index/remoteImage:RemoteImage observability-grafana",
      "docker:index/remoteImage:RemoteImage observability-jaeger",
      "docker:index/remoteImage:RemoteImage observability-victoriametrics",
      "docker:index/volume:Volume observability-grafana-data",
      "docker:index/volume:Volume observability-grafana-secrets-volume",
      "docker:index/volume:Volume observability-victoriametrics-data",
      "docker:index/volume:Volume observability-victoriametrics-secrets-volume",
      "observability-stack:stack:Collector observability-collector",
      "observability-stack:stack:Grafana observability-grafana",
      "observability-stack:stack:Jaeger observability-jaeger",
      "observability-stack:stack:Network observability-network",
      "observability-stack:stack:ObservabilityStack observability",
      "observability-stack:stack:SecretFiles observability-grafana-secrets",
      "observability-stack:stack:SecretFiles observability-victoriametrics-secrets",
      "observability-stack:stack:VictoriaMetrics observability-victoriametrics",
      "random:index/randomPassword:RandomPassword grafana-admin-password",
      "random:index/randomPassword:RandomPassword victoriametrics-admin-key",
    ]);
  });

  it("pins each image to the versions the end-to-end peers are built at", () => {
    const images = Object.fromEntries(
      recorded
        .filter((r) => r.type === "docker:index/remoteImage:RemoteImage")
        .map((r) => [r.name, r.inputs.name]),
    );
    expect(images).toEqual({
      "observability-collector": `otel/opentelemetry-collector:${versions.collector}`,
      "observability-jaeger": `jaegertracing/jaeger:${versions.jaeger}`,
      "observability-victoriametrics": `victoriametrics/victoria-metrics:${versions.victoriametrics}`,
      "observability-grafana": `grafana/grafana:${versions.grafana}`,
    });
    for (const r of recorded.filter((x) => x.type === "docker:index/remoteImage:RemoteImage")) {
      expect(r.inputs.keepLocally).toBe(true);
    }
  });

  it("publishes only the documented ports, on 127.0.0.1", () => {
    const ports = (name: string): string[] =>
      (byName(name).inputs.ports as Port[]).map((p) => `${p.ip}:${p.external}->${p.internal}/${p.protocol}`);
    expect(ports("observability-collector")).toEqual([
      "127.0.0.1:4317->4317/tcp",
      "127.0.0.1:4318->4318/tcp",
      "127.0.0.1:8888->8888/tcp",
      "127.0.0.1:13133->13133/tcp",
    ]);
    expect(ports("observability-jaeger")).toEqual(["127.0.0.1:16686->16686/tcp"]);
    expect(ports("observability-victoriametrics")).toEqual(["127.0.0.1:8428->8428/tcp"]);
    expect(ports("observability-grafana")).toEqual(["127.0.0.1:3000->3000/tcp"]);
  });

  it("gives every container a memory limit, restart policy, bounded logs and the network alias the configs use", () => {
    const expected: Record<string, [number, string]> = {
      "observability-collector": [56, "otel-collector"],
      "observability-jaeger": [128, "jaeger"],
      "observability-victoriametrics": [128, "victoriametrics"],
      "observability-grafana": [96, "grafana"],
    };
    for (const [name, [memory, alias]] of Object.entries(expected)) {
      const c = byName(name).inputs;
      expect(c.memory).toBe(memory);
      expect(c.restart).toBe("unless-stopped");
      expect(c.logDriver).toBe("json-file");
      expect(c.logOpts).toEqual({ "max-file": "3", "max-size": "10m" });
      expect(c.networksAdvanced).toEqual([{ name: "obs-observability", aliases: [alias] }]);
    }
    expect(outputs.memoryLimitsMb).toEqual({
      collector: 56,
      victoriametrics: 128,
      grafana: 96,
      jaeger: 128,
      budgetedTotal: 280,
    });
  });

  it("has healthchecks where the image can run one, and none for the shell-less collector", () => {
    const vm = byName("observability-victoriametrics").inputs.healthcheck as { tests: string[] };
    expect(vm.tests.join(" ")).toContain("http://127.0.0.1:8428/health");
    const jaeger = byName("observability-jaeger").inputs.healthcheck as { tests: string[] };
    expect(jaeger.tests.join(" ")).toContain("http://127.0.0.1:13133/status");
    const grafana = byName("observability-grafana").inputs.healthcheck as { tests: string[] };
    expect(grafana.tests.join(" ")).toContain("http://127.0.0.1:3000/api/health");
    expect(byName("observability-collector").inputs.healthcheck).toBeUndefined();
  });

  it("keeps VictoriaMetrics and Grafana data in named volumes, with 30 days retention", () => {
    expect(byName("observability-victoriametrics").inputs.volumes).toEqual([
      { volumeName: "obs-victoriametrics-data", containerPath: "/victoria-metrics-data" },
      {
        volumeName: "obs-victoriametrics-secrets",
        containerPath: "/etc/victoriametrics/secrets",
        readOnly: true,
      },
    ]);
    expect(byName("observability-grafana").inputs.volumes).toEqual([
      { volumeName: "obs-grafana-data", containerPath: "/var/lib/grafana" },
      { volumeName: "obs-grafana-secrets", containerPath: "/etc/grafana/secrets", readOnly: true },
    ]);
    const cmd = byName("observability-victoriametrics").inputs.command as string[];
    expect(cmd).toContain("-retentionPeriod=30d");
    expect(cmd).toContain("-promscrape.config=/etc/victoriametrics/scrape.yaml");
  });

  it("uploads the rendered collector config, scrape config and Grafana files, byte for byte", () => {
    const files = renderFiles(scotty, {
      collector: { memoryLimitMib: 56, hostmetrics: true, debug: false, hostRootPath: "/hostfs" },
      dashboards: { hostmetrics: true, jaegerUiUrl: "http://127.0.0.1:16686" },
    });
    const content = (path: string): string => {
      const f = files.find((x) => x.path === path);
      if (!f) throw new Error(`no ${path}`);
      return f.content;
    };
    expect(byName("observability-collector").inputs.uploads).toEqual([
      { file: "/etc/otelcol/config.yaml", content: content("collector/config.yaml") },
    ]);
    expect(byName("observability-victoriametrics").inputs.uploads).toEqual([
      { file: "/etc/victoriametrics/scrape.yaml", content: content("victoriametrics/scrape.yaml") },
    ]);
    const grafanaUploads = unwrap(byName("observability-grafana").inputs.uploads) as Upload[];
    const dashboards = files.filter((f) => f.path.startsWith("grafana/dashboards/"));
    expect(dashboards.length).toBeGreaterThan(5);
    for (const d of dashboards) {
      const file = `/etc/grafana/dashboards/${d.path.slice("grafana/dashboards/".length)}`;
      expect(grafanaUploads).toContainEqual({ file, content: d.content });
    }
    expect(grafanaUploads).toContainEqual({
      file: "/etc/grafana/provisioning/datasources/datasources.yaml",
      content: content("grafana/provisioning/datasources/datasources.yaml"),
    });
    expect(grafanaUploads).toContainEqual({
      file: "/etc/grafana/provisioning/dashboards/dashboards.yaml",
      content: content("grafana/provisioning/dashboards/dashboards.yaml"),
    });
  });

  it("keeps the Grafana password secret: a file upload only, never plain in any input or output", async () => {
    expect(await pulumi.isSecret(outputs.grafanaAdminPassword as pulumi.Output<string>)).toBe(true);
    expect(await value(outputs.grafanaAdminPassword as pulumi.Output<string>)).toBe(PASSWORD);
    for (const r of recorded) {
      expect(plainStrings(r.inputs).filter((s) => s.includes(PASSWORD))).toEqual([]);
    }
    const grafana = byName("observability-grafana").inputs;
    // The generated files stay plain (a PR preview must show them); the password is the only upload
    // of a carrier container that is created, never started, and writes it into the secrets volume.
    expect(isSecretValue(grafana.uploads)).toBe(false);
    expect(JSON.stringify(grafana.uploads)).not.toContain("admin_password");
    const carrier = byName("observability-grafana-secrets").inputs;
    expect(isSecretValue(carrier.uploads)).toBe(true);
    expect(unwrap(carrier.uploads)).toEqual([
      { file: "/secrets/admin_password", content: PASSWORD, permissions: "0440" },
    ]);
    expect(carrier).toMatchObject({ start: false, mustRun: false, networkMode: "none" });
    expect(carrier.volumes).toEqual([{ volumeName: "obs-grafana-secrets", containerPath: "/secrets" }]);
    const envs = grafana.envs as string[];
    expect(envs).toContain("GF_SECURITY_ADMIN_PASSWORD__FILE=/etc/grafana/secrets/admin_password");
    expect(envs).toContain("GF_AUTH_ANONYMOUS_ENABLED=false");
    expect(envs).toContain("GF_USERS_ALLOW_SIGN_UP=false");
    expect(envs.some((e) => e.startsWith("GF_SECURITY_ADMIN_PASSWORD="))).toBe(false);
    const plainOutputs = { ...outputs, grafanaAdminPassword: undefined };
    expect(JSON.stringify(plainOutputs)).not.toContain(PASSWORD);
  });

  it("puts VictoriaMetrics' admin and debug endpoints behind a generated key, read from a secret file", async () => {
    const cmd = byName("observability-victoriametrics").inputs.command as string[];
    for (const flag of [
      "deleteAuthKey",
      "snapshotAuthKey",
      "forceMergeAuthKey",
      "search.resetCacheAuthKey",
      "configAuthKey",
      "reloadAuthKey",
      "flagsAuthKey",
      "pprofAuthKey",
    ]) {
      expect(cmd).toContain(`-${flag}=file:///etc/victoriametrics/secrets/admin_key`);
    }
    const carrier = byName("observability-victoriametrics-secrets").inputs;
    expect(isSecretValue(carrier.uploads)).toBe(true);
    expect(unwrap(carrier.uploads)).toEqual([
      { file: "/secrets/admin_key", content: VM_KEY, permissions: "0400" },
    ]);
    for (const r of recorded) expect(plainStrings(r.inputs).filter((x) => x.includes(VM_KEY))).toEqual([]);
    expect(await pulumi.isSecret(outputs.victoriaMetricsAdminKey as pulumi.Output<string>)).toBe(true);
    expect(await value(outputs.victoriaMetricsAdminKey as pulumi.Output<string>)).toBe(VM_KEY);
  });

  it("lets the collector see the host's root read-only, for the host dashboard (root_path /hostfs)", () => {
    const c = byName("observability-collector").inputs;
    expect(c.volumes).toEqual([{ hostPath: "/", containerPath: "/hostfs", readOnly: true }]);
    const config = (c.uploads as Upload[])[0]?.content as string;
    expect(config).toMatch(/host_metrics:\n(.*\n)*?\s+root_path: \/hostfs\n/);
  });

  it("gives the Go programs under a memory limit a GOMEMLIMIT of 80% of it", () => {
    expect(byName("observability-collector").inputs.envs).toContain("GOMEMLIMIT=44MiB");
    expect(byName("observability-victoriametrics").inputs.envs).toContain("GOMEMLIMIT=102MiB");
  });

  it("sets memorySwap equal to memory on every container (no swap, and no drift after up)", () => {
    for (const r of recorded.filter(
      (x) => x.type === "docker:index/container:Container" && !x.name.endsWith("-secrets"),
    )) {
      expect(r.inputs.memorySwap).toBe(r.inputs.memory);
      expect(r.inputs.memory).toBeGreaterThan(0);
    }
  });

  it("uploads the catalogue's documents with the dashboards, so a PR preview shows them", () => {
    const uploads = unwrap(byName("observability-grafana").inputs.uploads) as Upload[];
    const files = uploads.map((u) => u.file);
    expect(files).toContain("/etc/grafana/catalogue/METRICS.md");
    expect(files).toContain("/etc/grafana/catalogue/metrics.json");
  });

  it("replaces containers delete-first (fixed host ports) and outputs the endpoints an app needs", () => {
    expect(outputs.grafanaUrl).toBe("http://127.0.0.1:3000");
    expect(outputs.jaegerUiUrl).toBe("http://127.0.0.1:16686");
    expect(outputs.victoriaMetricsUrl).toBe("http://127.0.0.1:8428");
    expect(outputs.otlpGrpcEndpoint).toBe("http://127.0.0.1:4317");
    expect(outputs.otlpHttpEndpoint).toBe("http://127.0.0.1:4318");
    expect(outputs.appEnv).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4317",
      OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
      OTEL_SERVICE_NAME: "scotty",
      OTEL_METRIC_EXPORT_INTERVAL: "15000",
    });
  });
});

describe("resource options", () => {
  it("replaces every container delete-first and parents every child to its component", async () => {
    setup(true);
    const seen: { type: string; name: string; opts: pulumi.CustomResourceOptions }[] = [];
    const { createStack } = program();
    const { stack } = createStack({
      transformations: [
        (a: pulumi.ResourceTransformationArgs) => {
          seen.push({ type: a.type, name: a.name, opts: a.opts as pulumi.CustomResourceOptions });
          return undefined;
        },
      ],
    });
    await value(stack.grafana!.container.urn);
    await settled();
    const containers = seen.filter((s) => s.type === "docker:index/container:Container");
    expect(containers.map((c) => c.name).sort()).toEqual([
      "observability-collector",
      "observability-grafana",
      "observability-grafana-secrets",
      "observability-jaeger",
      "observability-victoriametrics",
      "observability-victoriametrics-secrets",
    ]);
    for (const c of containers) expect(c.opts.deleteBeforeReplace).toBe(true);
    // Every resource but the root is parented to one of the stack's components.
    const children = seen.filter((s) => s.type !== "observability-stack:stack:ObservabilityStack");
    expect(children.length).toBeGreaterThan(15);
    for (const s of children) expect(s.opts.parent).toBeInstanceOf(pulumi.ComponentResource);
  });
});

describe.each([true, false])("an existing Grafana (preview=%s)", (preview) => {
  let outputs: Record<string, unknown>;
  beforeAll(async () => {
    setup(
      preview,
      { existingGrafana: { url: "https://grafana.example.com/" }, grafanaToken: "glsa_mock_token_123" },
      ["grafanaToken"],
    );
    ({ outputs } = await build());
  });

  it("manages datasources, a folder and the dashboards through the Grafana provider, and runs no Grafana container", () => {
    const types = recorded.map((r) => r.type);
    expect(types).not.toContain("observability-stack:stack:Grafana");
    expect(
      recorded
        .filter((r) => r.type === "docker:index/container:Container")
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      "observability-collector",
      "observability-jaeger",
      "observability-victoriametrics",
      "observability-victoriametrics-secrets",
    ]);
    expect(recorded.map((r) => r.name)).not.toContain("grafana-admin-password");
    expect(types).toContain("observability-stack:stack:ExistingGrafana");
    expect(types).toContain("pulumi:providers:grafana");
    const folder = recorded.filter((r) => r.type === "grafana:oss/folder:Folder");
    expect(folder.map((f) => f.inputs.title)).toEqual(["Observability"]);
    const ds = recorded.filter((r) => r.type === "grafana:oss/dataSource:DataSource");
    expect(ds.map((d) => [d.inputs.type, d.inputs.uid, d.inputs.url]).sort()).toEqual([
      ["jaeger", "jaeger", "http://127.0.0.1:16686"],
      ["prometheus", "victoriametrics", "http://127.0.0.1:8428"],
    ]);
    const files = renderFiles(scotty, {
      collector: { memoryLimitMib: 56, hostmetrics: true, debug: false, hostRootPath: "/hostfs" },
      dashboards: { hostmetrics: true, jaegerUiUrl: "http://127.0.0.1:16686" },
    });
    const rendered = files
      .filter((f) => f.path.startsWith("grafana/dashboards/"))
      .map((f) => f.content)
      .sort();
    const managed = recorded
      .filter((r) => r.type === "grafana:oss/dashboard:Dashboard")
      .map((r) => `${r.inputs.configJson as string}`)
      .sort();
    // The same models the local stack provisions by file.
    expect(managed).toEqual(rendered);
    expect(outputs.grafanaUrl).toBe("https://grafana.example.com");
    expect(outputs.grafanaAdminPassword).toBeUndefined();
  });

  it("keeps the token secret", () => {
    const provider = recorded.find((r) => r.type === "pulumi:providers:grafana");
    expect(isSecretValue(provider?.inputs.auth)).toBe(true);
    for (const r of recorded)
      expect(plainStrings(r.inputs).filter((s) => s.includes("glsa_mock_token_123"))).toEqual([]);
  });
});

describe("config", () => {
  it("uses a configured admin password, kept secret", async () => {
    setup(true, { grafanaAdminPassword: "configured-secret-pw" }, ["grafanaAdminPassword"]);
    const { outputs } = await build();
    expect(recorded.map((r) => r.name)).not.toContain("grafana-admin-password");
    expect(await pulumi.isSecret(outputs.grafanaAdminPassword as pulumi.Output<string>)).toBe(true);
    for (const r of recorded)
      expect(plainStrings(r.inputs).filter((s) => s.includes("configured-secret-pw"))).toEqual([]);
  });

  it("fails at preview time on a host port clash, naming the keys", async () => {
    setup(true, { ports: { jaegerUi: 3000 } });
    const { createStack } = program();
    expect(() => createStack()).toThrow(
      /observability-stack:ports.grafana: host port 3000 is already used by ports.jaegerUi/,
    );
  });

  it("fails at preview time on a bad value", async () => {
    setup(true, { retention: "12" });
    const { createStack } = program();
    expect(() => createStack()).toThrow(/observability-stack:retention/);
  });

  it("fails clearly when the definitions module is missing", async () => {
    setup(true, { definitions: "./no/such/module" });
    const { createStack } = program();
    expect(() => createStack()).toThrow(
      /observability-stack:definitions: cannot find the definitions module ".\/no\/such\/module"/,
    );
  });

  it("builds from a user's own definitions module", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "obs-defs-"));
    const file = path.join(dir, "checkout.js");
    // A plain .js module on the built package (npm test builds dist/ first), as a user would write it.
    fs.writeFileSync(
      file,
      `const { defineMetrics } = require(${JSON.stringify(path.join(__dirname, "../dist/definitions"))});
module.exports.default = defineMetrics({
  name: "checkout",
  groups: { orders: { title: "Orders" } },
  metrics: { orders: { name: "checkout.orders", kind: "counter", unit: "{order}", description: "Orders.", group: "orders" } },
});`,
    );
    setup(true, { definitions: file });
    const { outputs } = await build();
    expect(outputs.catalogue).toBe("checkout");
    const uploads = unwrap(byName("observability-grafana").inputs.uploads) as Upload[];
    const dashboards = uploads.map((u) => u.file).filter((f) => f.startsWith("/etc/grafana/dashboards/"));
    expect(dashboards).toContain("/etc/grafana/dashboards/checkout-orders.json");
    expect(dashboards.some((f) => f.includes("scotty"))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("requires a token for an existing Grafana", async () => {
    setup(true, { existingGrafana: { url: "https://g.example" } });
    const { createStack } = program();
    expect(() => createStack()).toThrow(/grafanaToken/);
  });

  it("opens the ports when bindAddress is 0.0.0.0", async () => {
    setup(false, { bindAddress: "0.0.0.0", exposeBeyondLoopback: true });
    await build();
    const ports = recorded
      .filter((r) => r.type === "docker:index/container:Container")
      .flatMap((r) => (r.inputs.ports as Port[] | undefined) ?? []);
    expect(ports.length).toBe(7);
    for (const p of ports) expect(p.ip).toBe("0.0.0.0");
  });
});
