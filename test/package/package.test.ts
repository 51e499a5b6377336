// The package as a new user gets it (issue 14): `npm pack` of the project, the tarball installed into a
// temporary project outside this repository (its own package.json, nothing from this repo's
// node_modules), and there: a TypeScript catalogue rendered by the bin, a strict node16 app that
// records every metric against a local OTLP/HTTP sink, the definitions imported from an .mjs, the types
// checked under nodenext and bundler resolution, and a Pulumi program built from the catalogue under
// pulumi.runtime.setMocks. Slow (an npm install from the registry, --prefer-offline uses npm's cache).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_FILES, SHOP_METRICS, USER_DEPENDENCIES } from "./project";

const ROOT = path.join(__dirname, "..", "..");
jest.setTimeout(900_000);

/**
 * The environment of a process in the user's project: none of npm's variables from `npm test` (INIT_CWD
 * would move relative paths, npm_config_* would change the install), and no PATH entry into this repo.
 */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("npm_") || k === "INIT_CWD" || k === "NODE_PATH" || k.startsWith("TS_NODE_")) continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((p) => !path.resolve(p).startsWith(ROOT))
    .join(path.delimiter);
  return { ...env, ...extra };
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string, extra: Record<string, string> = {}): Run {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: userEnv(extra), timeout: 600_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs and requires exit 0, showing the output when it is not. */
function ok(cmd: string, args: string[], cwd: string, extra: Record<string, string> = {}): string {
  const r = run(cmd, args, cwd, extra);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

let work: string;
let app: string;
let tarball: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "obs-package-"));
  // Pack a copy of the sources (what git would clone: tracked and new, not ignored), so the pack's
  // clean build never touches the dist/ that other tests of this run read.
  const src = path.join(work, "src");
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f !== "" && fs.existsSync(path.join(ROOT, f)));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(src, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(src, f));
  }
  // The build tools only; the installed package never sees this folder.
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(src, "node_modules"));
  const packed = JSON.parse(
    ok("npm", ["pack", "--json", "--pack-destination", work], src, { npm_config_loglevel: "error" }),
  ) as { filename: string }[];
  tarball = path.join(work, packed[0]!.filename);

  app = path.join(work, "shop");
  fs.mkdirSync(app);
  fs.writeFileSync(
    path.join(app, "package.json"),
    `${JSON.stringify(
      {
        name: "shop",
        private: true,
        dependencies: { "observability-stack": `file:${tarball}`, ...USER_DEPENDENCIES },
      },
      null,
      2,
    )}\n`,
  );
  ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], app);
  for (const [file, content] of Object.entries(PROJECT_FILES)) {
    fs.mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    fs.writeFileSync(path.join(app, file), content);
  }
});

afterAll(() => {
  if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it("holds the built entry points, their types and the bin, and no tests or sources", () => {
    const listed = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean);
    for (const entry of ["definitions", "instrumentation", "collector", "dashboards", "stack"]) {
      expect(listed).toContain(`package/dist/${entry}/index.js`);
      expect(listed).toContain(`package/dist/${entry}/index.d.ts`);
    }
    expect(listed).toContain("package/dist/cli/main.js");
    expect(listed).toContain("package/dist/versions.json");
    expect(listed.filter((f) => /\.test\.|\.map$|\/test\/|\.ts$/.test(f) && !f.endsWith(".d.ts"))).toEqual(
      [],
    );
    // Every path package.json names exists in the tarball.
    const pkg = JSON.parse(
      fs.readFileSync(path.join(app, "node_modules/observability-stack/package.json"), "utf8"),
    ) as {
      exports: Record<string, string | Record<string, string>>;
      bin: Record<string, string>;
    };
    const named = [
      ...Object.values(pkg.exports).flatMap((v) => (typeof v === "string" ? [v] : Object.values(v))),
      ...Object.values(pkg.bin),
    ];
    for (const p of named) expect(listed).toContain(`package/${path.posix.normalize(p)}`);
  });

  it("declares @opentelemetry/api a peer and the @pulumi packages optional peers (an app installs no Pulumi)", () => {
    const lock = JSON.parse(fs.readFileSync(path.join(app, "package-lock.json"), "utf8")) as {
      packages: Record<string, { peerDependencies?: Record<string, string>; peerDependenciesMeta?: object }>;
    };
    const ours = lock.packages["node_modules/observability-stack"]!;
    expect(Object.keys(ours.peerDependencies ?? {}).sort()).toEqual([
      "@opentelemetry/api",
      "@pulumi/docker",
      "@pulumi/pulumi",
      "@pulumi/random",
      "@pulumiverse/grafana",
    ]);
    expect(Object.keys(ours.peerDependenciesMeta ?? {}).sort()).toEqual([
      "@pulumi/docker",
      "@pulumi/pulumi",
      "@pulumi/random",
      "@pulumiverse/grafana",
    ]);
  });
});

describe("in the user's project", () => {
  it("the bin renders the TypeScript catalogue, without a build step", () => {
    const r = run(
      "npx",
      ["--no-install", "observability-stack", "render", "--definitions", "./metrics.ts", "--out", "out"],
      app,
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^render: \d+ files in out\/ \(4 metrics, \d+ dashboards, \d+ panels\)\n$/);
    const doc = JSON.parse(fs.readFileSync(path.join(app, "out", "metrics.json"), "utf8")) as {
      metrics: { otelName: string; prometheusName: string }[];
    };
    expect(Object.fromEntries(doc.metrics.map((m) => [m.otelName, m.prometheusName]))).toEqual(SHOP_METRICS);
    expect(fs.existsSync(path.join(app, "out", "grafana", "dashboards", "shop-orders.json"))).toBe(true);
    expect(fs.readFileSync(path.join(app, "out", "collector", "config.yaml"), "utf8")).toContain("otlp");
  });

  it("the bin has --help, and the exit codes and errors of npm run render", () => {
    const help = run("npx", ["--no-install", "observability-stack", "--help"], app);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: observability-stack <command>/);
    const renderHelp = run("npx", ["--no-install", "observability-stack", "render", "--help"], app);
    expect(renderHelp.status).toBe(0);
    expect(renderHelp.stdout).toMatch(
      /^usage: observability-stack render \[--definitions <module>\] \[--out <dir>\]/,
    );

    const bad = run(
      "npx",
      ["--no-install", "observability-stack", "render", "--definitions", "bad.ts", "--out", "bad-out"],
      app,
    );
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(
      /^render: the catalogue in "bad\.ts" is invalid\. Invalid metric catalogue "bad" .*"seconds".*"s"/s,
    );
    expect(bad.stderr).toMatch(/Nothing was written\.\n$/);
    expect(fs.existsSync(path.join(app, "bad-out"))).toBe(false);

    const missing = run(
      "npx",
      ["--no-install", "observability-stack", "render", "--definitions", "nowhere.ts"],
      app,
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^render: cannot find the definitions module "nowhere\.ts" .*Fix: /);

    const usage = run("npx", ["--no-install", "observability-stack", "render", "--bogus"], app);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^render: unknown argument "--bogus"\nusage: observability-stack render/);
    const unknown = run("npx", ["--no-install", "observability-stack", "deploy"], app);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^observability-stack: unknown command "deploy"/);
  });

  it("compiles with strict TypeScript (node16); the app exports every metric to an OTLP sink", async () => {
    ok("npx", ["--no-install", "tsc", "-p", "tsconfig.json"], app);
    const names = new Set<string>();
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.url === "/v1/metrics") {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as {
            resourceMetrics: { scopeMetrics: { metrics: { name: string }[] }[] }[];
          };
          for (const r of body.resourceMetrics)
            for (const s of r.scopeMetrics) for (const m of s.metrics) names.add(m.name);
        }
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, [path.join("build", "app.js")], {
          cwd: app,
          env: userEnv({
            OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "http/json",
            OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `http://127.0.0.1:${port}/v1/metrics`,
          }),
        });
        let stdout = "";
        let stderr = "";
        p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        p.on("close", (code) => resolve({ code, stdout, stderr }));
      });
      expect(out.stderr).toBe("");
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout.trim())).toEqual({ done: true, pulumiModulesLoaded: 0 });
      expect([...names].sort()).toEqual(Object.keys(SHOP_METRICS).sort());
    } finally {
      server.close();
    }
  });

  it("types resolve under nodenext (an .mts) and bundler resolution", () => {
    ok("npx", ["--no-install", "tsc", "-p", "esm/tsconfig.json"], app);
    ok("npx", ["--no-install", "tsc", "-p", "bundler/tsconfig.json"], app);
  });

  it("an .mjs imports the definitions, collector, dashboards and instrumentation by name", () => {
    const out = JSON.parse(ok(process.execPath, ["check.mjs"], app)) as Record<string, unknown>;
    expect(out).toEqual({
      name: "esm_hits_total",
      metrics: ["esm_hits_total"],
      dashboards: expect.arrayContaining(["esm-g"]) as unknown,
      collector: true,
      createMetrics: "function",
    });
  });

  it.each([
    ["preview", true],
    ["update", false],
  ])("the user's Pulumi program builds the stack from its catalogue under mocks (%s)", (mode) => {
    const out = JSON.parse(
      ok(process.execPath, [path.join("build", "infra", "mocks.js"), mode], app, {
        PULUMI_CONFIG: "{}",
      }),
    ) as { catalogue: string; resources: string[]; containers: string[]; uploads: string[] };
    expect(out.catalogue).toBe("shop");
    // The four services, and only names with the prefix the program's settings gave.
    expect(out.containers).toEqual(
      expect.arrayContaining(["shop-grafana", "shop-jaeger", "shop-otel-collector", "shop-victoriametrics"]),
    );
    expect(out.containers.filter((n) => !n.startsWith("shop-"))).toEqual([]);
    expect(out.resources).toContain("observability-stack:stack:ObservabilityStack observability");
    expect(out.uploads).toContain("/etc/grafana/dashboards/shop-orders.json");
    expect(out.uploads.filter((f) => f.includes("scotty"))).toEqual([]);
  });
});
