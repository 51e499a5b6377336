// Unit tests of the Pulumi program with the official mocks, in preview and in update mode.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { renderFiles } from "../render";
import { scotty } from "../definitions";
import versions from "../versions.json";
import { contentHash } from "./config-files";
import { chownFailure } from "./volume-owner";
import { STOP_GRACE_SECONDS } from "./container-defaults";
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
        if (args.type === "docker:index/container:Container" && args.name.endsWith("-data-owner")) {
          // What the provider reports after `attach` for a chown that succeeded.
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
type Mount = { volumeName?: string; hostPath?: string; containerPath: string; readOnly?: boolean };

/** The uploads of a service's files, which its never-started carrier (`<name>-<suffix>`) takes. */
function carrierUploads(name: string): Upload[] {
  return unwrap(byName(name).inputs.uploads) as Upload[];
}

/** A config volume's Docker name: `<prefix>-<key>-<12 hex digits of its files' hash>`. */
const HASHED = (prefix: string): RegExp => new RegExp(`^${prefix}-[0-9a-f]{12}$`);

/** The service containers (everything else is a carrier or the one-shot volume owner). */
const SERVICES = [
  "observability-collector",
  "observability-jaeger",
  "observability-victoriametrics",
  "observability-grafana",
];
const CARRIERS = [
  "observability-collector-config",
  "observability-grafana-files",
  "observability-grafana-secrets",
  "observability-victoriametrics-config",
  "observability-victoriametrics-secrets",
];

describe.each([true, false])("the stack with default config (preview=%s)", (preview) => {
  let outputs: Record<string, unknown>;
  beforeAll(async () => {
    setup(preview);
    ({ outputs } = await build());
  });

  it("declares exactly these resources (renames must be deliberate)", () => {
    expect(recorded.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "docker:index/container:Container observability-collector",
      "docker:index/container:Container observability-collector-config",
      "docker:index/container:Container observability-grafana",
      "docker:index/container:Container observability-grafana-files",
      "docker:index/container:Container observability-grafana-secrets",
      "docker:index/container:Container observability-jaeger",
      "docker:index/container:Container observability-victoriametrics",
      "docker:index/container:Container observability-victoriametrics-config",
      "docker:index/container:Container observability-victoriametrics-data-owner",
      "docker:index/container:Container observability-victoriametrics-secrets",
      "docker:index/network:Network observability-network",
      "docker:index/remoteImage:RemoteImage observability-collector",
      "docker:index/remoteImage:RemoteImage observability-grafana",
      "docker:index/remoteImage:RemoteImage observability-jaeger",
      "docker:index/remoteImage:RemoteImage observability-victoriametrics",
      "docker:index/volume:Volume observability-collector-config-otelcol",
      "docker:index/volume:Volume observability-grafana-data",
      "docker:index/volume:Volume observability-grafana-files-catalogue",
      "docker:index/volume:Volume observability-grafana-files-dashboards",
      "docker:index/volume:Volume observability-grafana-files-provisioning",
      "docker:index/volume:Volume observability-grafana-secrets-volume",
      "docker:index/volume:Volume observability-victoriametrics-config-config",
      "docker:index/volume:Volume observability-victoriametrics-data",
      "docker:index/volume:Volume observability-victoriametrics-secrets-volume",
      "observability-stack:stack:Collector observability-collector",
      "observability-stack:stack:ConfigFiles observability-collector-config",
      "observability-stack:stack:ConfigFiles observability-grafana-files",
      "observability-stack:stack:ConfigFiles observability-victoriametrics-config",
      "observability-stack:stack:Grafana observability-grafana",
      "observability-stack:stack:Jaeger observability-jaeger",
      "observability-stack:stack:Network observability-network",
      "observability-stack:stack:ObservabilityStack observability",
      "observability-stack:stack:SecretFiles observability-grafana-secrets",
      "observability-stack:stack:SecretFiles observability-victoriametrics-secrets",
      "observability-stack:stack:VictoriaMetrics observability-victoriametrics",
      "observability-stack:stack:VolumeOwner observability-victoriametrics-data-owner",
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
      "observability-collector": [128, "otel-collector"],
      "observability-jaeger": [128, "jaeger"],
      "observability-victoriametrics": [144, "victoriametrics"],
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
      collector: 128,
      victoriametrics: 144,
      grafana: 96,
      jaeger: 128,
      budgetedTotal: 368,
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
    const vm = byName("observability-victoriametrics").inputs.volumes as Mount[];
    expect(vm.slice(0, 2)).toEqual([
      { volumeName: "obs-victoriametrics-data", containerPath: "/victoria-metrics-data" },
      {
        volumeName: "obs-victoriametrics-secrets",
        containerPath: "/etc/victoriametrics/secrets",
        readOnly: true,
      },
    ]);
    expect(vm.slice(2)).toEqual([
      {
        volumeName: expect.stringMatching(HASHED("obs-victoriametrics-config")),
        containerPath: "/etc/victoriametrics/config",
        readOnly: true,
      },
    ]);
    const grafana = byName("observability-grafana").inputs.volumes as Mount[];
    expect(grafana.slice(0, 2)).toEqual([
      { volumeName: "obs-grafana-data", containerPath: "/var/lib/grafana" },
      { volumeName: "obs-grafana-secrets", containerPath: "/etc/grafana/secrets", readOnly: true },
    ]);
    expect(grafana.slice(2)).toEqual(
      ["provisioning", "dashboards", "catalogue"].map((k) => ({
        volumeName: expect.stringMatching(HASHED(`obs-grafana-${k}`)),
        containerPath: `/etc/grafana/${k}`,
        readOnly: true,
      })),
    );
    const cmd = byName("observability-victoriametrics").inputs.command as string[];
    expect(cmd).toContain("-retentionPeriod=30d");
    expect(cmd).toContain("-promscrape.config=/etc/victoriametrics/config/scrape.yaml");
    // Self-scrape (for the built-in vm_* alert rules) costs memory: only with alerting on.
    expect(cmd.some((f) => f.startsWith("-selfScrapeInterval"))).toBe(false);
  });

  it("uploads the rendered collector config, scrape config and Grafana files, byte for byte", () => {
    const files = renderFiles(scotty, {
      collector: { memoryLimitMib: 128, hostmetrics: true, debug: false, hostRootPath: "/hostfs" },
      dashboards: { hostmetrics: true, jaegerUiUrl: "http://127.0.0.1:16686" },
    });
    const content = (path: string): string => {
      const f = files.find((x) => x.path === path);
      if (!f) throw new Error(`no ${path}`);
      return f.content;
    };
    // The services' roots are read-only, so their carriers take the uploads (ConfigFiles).
    for (const name of SERVICES) expect(byName(name).inputs.uploads).toBeUndefined();
    expect(carrierUploads("observability-collector-config")).toEqual([
      { file: "/etc/otelcol/config.yaml", content: content("collector/config.yaml") },
    ]);
    expect(carrierUploads("observability-victoriametrics-config")).toEqual([
      {
        file: "/etc/victoriametrics/config/scrape.yaml",
        content: content("victoriametrics/scrape.yaml"),
      },
    ]);
    const grafanaUploads = carrierUploads("observability-grafana-files");
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
    const files = byName("observability-grafana-files").inputs;
    expect(isSecretValue(files.uploads)).toBe(false);
    expect(JSON.stringify(files.uploads)).not.toContain("admin_password");
    const carrier = byName("observability-grafana-secrets").inputs;
    expect(isSecretValue(carrier.uploads)).toBe(true);
    expect(unwrap(carrier.uploads)).toEqual([
      { file: "/secrets/admin_password", content: PASSWORD, permissions: "0440" },
    ]);
    expect(carrier).toMatchObject({ start: false, mustRun: false, networkMode: "none" });
    expect(carrier.volumes).toEqual([{ volumeName: "obs-grafana-secrets", containerPath: "/secrets" }]);
    expect(byName("observability-grafana").inputs.user).toBe("472:0");
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
    // Root-owned, read by VictoriaMetrics (10003) through its supplementary group 0.
    expect(unwrap(carrier.uploads)).toEqual([
      { file: "/secrets/admin_key", content: VM_KEY, permissions: "0440" },
    ]);
    expect(byName("observability-victoriametrics").inputs).toMatchObject({
      user: "10003:10003",
      groupAdds: ["0"],
    });
    for (const r of recorded) expect(plainStrings(r.inputs).filter((x) => x.includes(VM_KEY))).toEqual([]);
    expect(await pulumi.isSecret(outputs.victoriaMetricsAdminKey as pulumi.Output<string>)).toBe(true);
    expect(await value(outputs.victoriaMetricsAdminKey as pulumi.Output<string>)).toBe(VM_KEY);
  });

  it("lets the collector see the host's root read-only, for the host dashboard (root_path /hostfs)", () => {
    const c = byName("observability-collector").inputs;
    expect(c.volumes).toEqual([
      {
        volumeName: expect.stringMatching(HASHED("obs-otel-collector-otelcol")),
        containerPath: "/etc/otelcol",
        readOnly: true,
      },
      { hostPath: "/", containerPath: "/hostfs", readOnly: true },
    ]);
    const config = carrierUploads("observability-collector-config")[0]?.content as string;
    expect(config).toMatch(/host_metrics:\n(.*\n)*?\s+root_path: \/hostfs\n/);
  });

  it("gives the Go programs under a memory limit a GOMEMLIMIT of 80% of it", () => {
    expect(byName("observability-collector").inputs.envs).toContain("GOMEMLIMIT=102MiB");
    expect(byName("observability-victoriametrics").inputs.envs).toContain("GOMEMLIMIT=115MiB");
  });

  it("sets memorySwap equal to memory on every container (no swap, and no drift after up)", () => {
    for (const r of recorded.filter((x) => x.type === "docker:index/container:Container")) {
      expect(r.inputs.memorySwap).toBe(r.inputs.memory);
      expect(r.inputs.memory).toBeGreaterThan(0);
    }
  });

  it("stops every running service with SIGTERM and a grace period before replacing or destroying it", () => {
    // Without destroyGraceSeconds the provider stops with a timeout of 0 (SIGKILL): VictoriaMetrics
    // loses what it has not flushed yet, Grafana's SQLite may be cut mid-write.
    const services = recorded.filter(
      (x) =>
        x.type === "docker:index/container:Container" &&
        x.inputs.start !== false &&
        x.inputs.mustRun !== false,
    );
    expect(services.map((r) => r.name).sort()).toEqual([
      "observability-collector",
      "observability-grafana",
      "observability-jaeger",
      "observability-victoriametrics",
    ]);
    for (const r of services)
      expect([r.name, r.inputs.destroyGraceSeconds]).toEqual([r.name, STOP_GRACE_SECONDS]);
  });

  it("uploads the catalogue's documents with the dashboards, so a PR preview shows them", () => {
    const uploads = carrierUploads("observability-grafana-files");
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

describe.each([true, false])("container hardening (preview=%s)", (preview) => {
  beforeAll(async () => {
    setup(preview);
    await build();
  });

  it("runs every service as its own non-root uid, read-only, without capabilities or privilege escalation", () => {
    const expected: Record<string, { user: string; cpus: string }> = {
      "observability-collector": { user: "10001:10001", cpus: "1.0" },
      "observability-jaeger": { user: "10002:10002", cpus: "0.5" },
      "observability-victoriametrics": { user: "10003:10003", cpus: "1.0" },
      "observability-grafana": { user: "472:0", cpus: "1.0" },
    };
    for (const [name, want] of Object.entries(expected)) {
      const c = byName(name).inputs;
      expect([name, c.user, c.cpus]).toEqual([name, want.user, want.cpus]);
      expect(c.readOnly).toBe(true);
      expect(c.capabilities).toEqual({ drops: ["ALL"] });
      expect(c.securityOpts).toEqual(["no-new-privileges:true"]);
      expect(c.tmpfs).toEqual({ "/tmp": "rw,noexec,nosuid,nodev,size=16m" });
      // RLIMIT_NPROC of the uid (the provider has no pidsLimit): see README, "Security".
      expect(c.ulimits).toEqual([{ name: "nproc", soft: 512, hard: 512 }]);
      expect(c.privileged).toBeUndefined();
    }
    // RLIMIT_NPROC counts per uid on the host: one uid per service keeps the limits apart.
    const uids = Object.values(expected).map((e) => e.user.split(":")[0]);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it("mounts every volume of a service read-only except its data volume", () => {
    const writable = (name: string): string[] =>
      (byName(name).inputs.volumes as Mount[]).filter((v) => v.readOnly !== true).map((v) => v.containerPath);
    expect(writable("observability-collector")).toEqual([]);
    expect(byName("observability-jaeger").inputs.volumes).toBeUndefined();
    expect(writable("observability-victoriametrics")).toEqual(["/victoria-metrics-data"]);
    expect(writable("observability-grafana")).toEqual(["/var/lib/grafana"]);
  });

  it("creates the carriers never started, with no network, no capabilities and an unprivileged user", () => {
    for (const name of CARRIERS) {
      const c = byName(name).inputs;
      expect([name, c.start, c.mustRun, c.networkMode, c.user]).toEqual([
        name,
        false,
        false,
        "none",
        "65534:65534",
      ]);
      expect(c.capabilities).toEqual({ drops: ["ALL"] });
      expect(c.securityOpts).toEqual(["no-new-privileges:true"]);
      // Not read-only: Docker refuses the provider's uploads (through "/") on a read-only root.
      expect(c.readOnly).toBeUndefined();
      expect((unwrap(c.uploads) as unknown[] | undefined)?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it("gives VictoriaMetrics' data volume to its uid with a one-shot chown that has only CHOWN and DAC_READ_SEARCH", () => {
    const o = byName("observability-victoriametrics-data-owner").inputs;
    expect(o).toMatchObject({
      entrypoints: ["/bin/chown"],
      command: ["-R", "10003:10003", "/data"],
      user: "0:0",
      start: true,
      mustRun: false,
      attach: true,
      restart: "no",
      readOnly: true,
      networkMode: "none",
      securityOpts: ["no-new-privileges:true"],
    });
    expect(o.capabilities).toEqual({ drops: ["ALL"], adds: ["CAP_CHOWN", "CAP_DAC_READ_SEARCH"] });
    expect(o.volumes).toEqual([{ volumeName: "obs-victoriametrics-data", containerPath: "/data" }]);
  });
});

describe("hardening settings", () => {
  it("takes the cpus config per container", async () => {
    setup(false, { cpus: { collector: 2, victoriametrics: 1.5, grafana: 0.25, jaeger: 10 } });
    await build();
    expect(byName("observability-collector").inputs.cpus).toBe("2.0");
    expect(byName("observability-victoriametrics").inputs.cpus).toBe("1.5");
    expect(byName("observability-grafana").inputs.cpus).toBe("0.25");
    expect(byName("observability-jaeger").inputs.cpus).toBe("10.");
  });

  it("fails the update, with chown's output, when the data volume's owner could not be set", () => {
    expect(
      chownFailure("obs-vm-data-owner", "10003:10003", "obs-vm-data", 1, "chown: /data/x: denied\n"),
    ).toBe("obs-vm-data-owner: chown -R 10003:10003 of volume obs-vm-data exited 1: chown: /data/x: denied");
    expect(chownFailure("o", "1:1", "v", 0, "")).toBeUndefined();
    // Previews (and mocks) know no exit code yet.
    expect(chownFailure("o", "1:1", "v", undefined, undefined)).toBeUndefined();
  });

  it("names a config volume after its files: a changed file gives a new volume, the rest keep theirs", () => {
    const a = [
      { path: "/etc/x/a.yaml", content: "a: 1" },
      { path: "/etc/x/b.yaml", content: "b: 2" },
    ];
    expect(contentHash(a)).toMatch(/^[0-9a-f]{12}$/);
    expect(contentHash([...a].reverse())).toBe(contentHash(a));
    expect(contentHash([a[0]!, { path: "/etc/x/b.yaml", content: "b: 3" }])).not.toBe(contentHash(a));
    expect(contentHash([a[0]!])).not.toBe(contentHash(a));
    // Path and content are delimited: moving text between them changes the hash.
    expect(contentHash([{ path: "/etc/x/ab", content: "c" }])).not.toBe(
      contentHash([{ path: "/etc/x/a", content: "bc" }]),
    );
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
    expect(containers.map((c) => c.name).sort()).toEqual(
      [...SERVICES, ...CARRIERS, "observability-victoriametrics-data-owner"].sort(),
    );
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
      "observability-collector-config",
      "observability-jaeger",
      "observability-victoriametrics",
      "observability-victoriametrics-config",
      "observability-victoriametrics-data-owner",
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
      collector: { memoryLimitMib: 128, hostmetrics: true, debug: false, hostRootPath: "/hostfs" },
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
    const uploads = carrierUploads("observability-grafana-files");
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
