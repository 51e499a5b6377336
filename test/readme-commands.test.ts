// Every shell command of the README (its ```sh, ```bash, ```shell and ```console blocks) is in exactly
// one of two lists (issue 18: a newcomer follows the README alone, so its commands must work):
// - RUN_HERE: needs neither Docker nor the Pulumi CLI, so this test runs it, as written, in a temporary
//   user project or a temporary copy of this repository (never in the checkout), and checks its exit
//   code and what it printed or wrote;
// - NOT_RUN_HERE: needs a real Docker engine, the Pulumi CLI, the npm registry or the internet (or is
//   this very suite); each names the test that runs it for real (npm run test:preview / test:up through
//   scripts/engine.sh, the e2e, test/package), and a passage of that test's code is checked to be there,
//   so the claim cannot silently go stale. Where no test runs it, `gap` says so.
// A README command in neither list fails, and so does a listed command the README no longer has.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { startFakeStore, type FakeStore } from "../check/fake-store";
import type { Labels } from "../check/store";
import { scotty } from "../definitions";
import { loadCatalogue } from "../render/load";
import { copyProject } from "./engine/harness";

const ROOT = path.join(__dirname, "..");
const README_FILE = path.join(ROOT, "README.md");

/** A command line of the README and where it is. */
interface ReadmeCommand {
  readonly command: string;
  readonly line: number;
}

const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "console"]);

/**
 * The command lines of the shell blocks of `markdown`: one per line (a trailing `\` joins the next),
 * without a `$ ` prompt and without a trailing ` # comment`, whitespace collapsed. In a ```console
 * block only `$ ` lines are commands (the rest is their output).
 */
function readmeCommands(markdown: string): ReadmeCommand[] {
  const lines = markdown.split("\n");
  const out: ReadmeCommand[] = [];
  let fence: { indent: string; lang: string } | undefined;
  let pending: { text: string; line: number } | undefined;
  lines.forEach((raw, i) => {
    if (fence === undefined) {
      const open = /^(\s*)```\s*([\w-]*)\s*$/.exec(raw);
      if (open !== null) fence = { indent: open[1] as string, lang: (open[2] as string).toLowerCase() };
      return;
    }
    if (/^\s*```\s*$/.test(raw)) {
      fence = undefined;
      pending = undefined;
      return;
    }
    if (!SHELL_LANGUAGES.has(fence.lang)) return;
    let text = raw.startsWith(fence.indent) ? raw.slice(fence.indent.length) : raw.trimStart();
    if (pending === undefined) {
      if (fence.lang === "console") {
        if (!text.startsWith("$ ")) return;
        text = text.slice(2);
      } else if (text.startsWith("$ ")) text = text.slice(2);
      if (text.trim() === "" || text.trimStart().startsWith("#")) return;
    }
    const start = pending?.line ?? i + 1;
    const joined = `${pending?.text ?? ""}${text}`;
    if (/\\\s*$/.test(joined)) {
      pending = { text: `${joined.replace(/\\\s*$/, "")} `, line: start };
      return;
    }
    pending = undefined;
    const command = joined
      .replace(/\s+#\s.*$/, "")
      .replace(/\s+/g, " ")
      .trim();
    if (command !== "") out.push({ command, line: start });
  });
  return out;
}

// --- how the runnable commands run -------------------------------------------------------------------

/** What a run of one command produced. */
interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The folder it ran in. */
  readonly cwd: string;
}

/** What the commands run against, set up once for all of them. */
interface Ctx {
  /** A user's project: the README's `metrics.ts` (the shop catalogue), the package linked as npm links it. */
  readonly project: string;
  /** A copy of this repository (node_modules linked), with the README's catalogue as `my-metrics.ts`. */
  readonly repo: string;
  /** A Prometheus-API store holding every series an app on the scotty catalogue writes, job scotty. */
  readonly scottyStore: FakeStore;
  /** The same for the README's shop catalogue, job shop. */
  readonly shopStore: FakeStore;
  /** An OTLP/HTTP (JSON) receiver for the example app's metrics. */
  readonly sink: { readonly url: string; readonly metricNames: Set<string> };
}

interface RunHere {
  /** The command exactly as the README has it (normalised as readmeCommands does). */
  readonly command: string;
  /** A user's project (`npx observability-stack …`) or this repository (`npm run …`, `npx ts-node …`). */
  readonly in: "project" | "repo";
  /** What differs from a user's run here, and why; absent when it runs exactly as written. */
  readonly adapted?: string;
  readonly env?: (ctx: Ctx) => Readonly<Record<string, string>>;
  /** Arguments appended to the command (see `adapted`). */
  readonly append?: (ctx: Ctx) => string;
  /** The checks of its exit code and of what it printed or wrote. */
  readonly expect: (run: Run, ctx: Ctx) => void;
}

interface Coverage {
  /** A file of this repository that runs the command, or what it does, for real. */
  readonly file: string;
  /** A passage of that file that does it (checked to be there). */
  readonly evidence: RegExp;
  /** What that test does, and how it differs from the README's command. */
  readonly how: string;
}

interface NotRunHere {
  readonly command: string;
  /** Why this test cannot run it. */
  readonly needs: string;
  readonly coveredBy: readonly Coverage[];
  /** What of the command no test runs. */
  readonly gap?: string;
}

/** A run's folder, exit code and the end of its output, for a failure message. */
function show(run: Run): string {
  return `in ${run.cwd}, exit ${run.code}\n--- stdout\n${run.stdout.slice(-3000)}\n--- stderr\n${run.stderr.slice(-3000)}`;
}

function expectExit(run: Run, code: number): void {
  if (run.code !== code) throw new Error(`expected exit ${code}, got ${run.code}: ${show(run)}`);
}

function readOut(dir: string, file: string): string {
  const p = path.join(dir, "out", file);
  if (!fs.existsSync(p)) throw new Error(`${p} was not written`);
  return fs.readFileSync(p, "utf8");
}

/** A render of the README's shop catalogue into <cwd>/out: its metrics, its dashboard, the collector config. */
function expectShopRender(run: Run): void {
  expectExit(run, 0);
  expect(run.stdout).toMatch(/^render: \d+ files in out\/ \(2 metrics, \d+ dashboards, \d+ panels\)/m);
  const metricsMd = readOut(run.cwd, "METRICS.md");
  expect(metricsMd).toContain("shop_orders_total");
  expect(metricsMd).toContain("shop_checkout_duration_seconds_bucket");
  const dashboard = JSON.parse(readOut(run.cwd, "grafana/dashboards/shop-orders.json")) as { uid?: string };
  expect(dashboard.uid).toBe("shop-orders");
  expect(readOut(run.cwd, "collector/config.yaml")).toMatch(/^receivers:/m);
  const names = (JSON.parse(readOut(run.cwd, "metrics.json")) as { metrics: { otelName: string }[] }).metrics
    .map((m) => m.otelName)
    .sort();
  expect(names).toEqual(["shop.checkout.duration", "shop.orders"]);
}

/** The text report of a check that found the store clean for `job`, and asked the store for it. */
function expectCleanCheck(run: Run, store: FakeStore, catalogue: string, job: string): void {
  expectExit(run, 0);
  expect(run.stdout).toContain(`check: catalogue ${catalogue} against ${store.url}, job ${job},`);
  expect(run.stdout).toMatch(/^check: clean \(0 errors, .*\); exit 0$/m);
  expect(store.requests).toContain("/api/v1/series");
}

const FAKE_STORE_NOTE =
  "`--url <a fake Prometheus API>` appended (a later --url wins): the README's URL is the stack's " +
  "VictoriaMetrics on 127.0.0.1:8428, which this test does not own (an e2e may run one there); the " +
  "fake store (check/fake-store.ts) holds every series an app on the catalogue writes, so the check is clean";

const RUN_HERE: readonly RunHere[] = [
  {
    command: "npx ts-node --transpile-only examples/scotty-app.ts",
    in: "repo",
    adapted:
      "EXAMPLE_DURATION_MS=1000 and EXAMPLE_EXPORT_INTERVAL_MS=400 (the README's knobs) for a short run; " +
      "metrics to a local OTLP/HTTP receiver and OTEL_EXPORTER_OTLP_ENDPOINT to a closed port, so that " +
      "nothing reaches a collector that may listen on 4317 here",
    env: (ctx) => ({
      EXAMPLE_DURATION_MS: "1000",
      EXAMPLE_EXPORT_INTERVAL_MS: "400",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:1",
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${ctx.sink.url}/v1/metrics`,
    }),
    expect: (run, ctx) => {
      expectExit(run, 0);
      // "it honours OTEL_EXPORTER_OTLP_ENDPOINT … and prints what it recorded"
      expect(run.stdout).toContain("exporting every 400 ms to http://127.0.0.1:1");
      expect(run.stdout).toContain("shut down cleanly");
      for (const m of scotty.list) expect(run.stdout).toContain(`  ${m.key} (${m.name}): `);
      // "records every scotty metric"
      const missing = scotty.list.filter((m) => !ctx.sink.metricNames.has(m.name)).map((m) => m.name);
      expect(missing).toEqual([]);
    },
  },
  {
    command: "npm run check -- --job scotty",
    in: "repo",
    adapted: FAKE_STORE_NOTE,
    append: (ctx) => ` --url ${ctx.scottyStore.url}`,
    expect: (run, ctx) => expectCleanCheck(run, ctx.scottyStore, "scotty", "scotty"),
  },
  {
    command: "npm run check -- --job scotty --json",
    in: "repo",
    adapted: FAKE_STORE_NOTE,
    append: (ctx) => ` --url ${ctx.scottyStore.url}`,
    expect: (run, ctx) => {
      expectExit(run, 0);
      // npm prints its "> script" banner on stdout before the report.
      const json = run.stdout.slice(run.stdout.indexOf("{"));
      const report = JSON.parse(json) as {
        version: number;
        status: string;
        exitCode: number;
        catalogue: string;
        url: string;
        jobs: string[];
        summary: { errors: number; metrics: number; queries: number };
      };
      expect(report).toMatchObject({
        version: 1,
        status: "clean",
        exitCode: 0,
        catalogue: "scotty",
        url: ctx.scottyStore.url,
        jobs: ["scotty"],
      });
      expect(report.summary.errors).toBe(0);
      expect(report.summary.metrics).toBe(scotty.list.length);
      expect(report.summary.queries).toBeGreaterThan(0);
    },
  },
  {
    command: "npx observability-stack render --definitions ./metrics.ts --out out",
    in: "project",
    expect: (run) => expectShopRender(run),
  },
  {
    command: "npx observability-stack render --help",
    in: "project",
    expect: (run) => {
      expectExit(run, 0);
      expect(run.stdout).toContain(
        "usage: observability-stack render [--definitions <module>] [--out <dir>]",
      );
      expect(run.stdout).toMatch(/exit codes: 0 written, 1 nothing written .*, 2 usage error/);
    },
  },
  {
    command: "npm run render -- --definitions ./my-metrics.ts --out out",
    in: "repo",
    adapted:
      "my-metrics.ts is the README's shop catalogue importing ./definitions (in this repository the " +
      "package is its sources, not an installed observability-stack)",
    expect: (run) => expectShopRender(run),
  },
  {
    command:
      "npx observability-stack check --definitions ./metrics.ts --url http://127.0.0.1:8428 --job shop",
    in: "project",
    adapted: FAKE_STORE_NOTE,
    append: (ctx) => ` --url ${ctx.shopStore.url}`,
    expect: (run, ctx) => expectCleanCheck(run, ctx.shopStore, "shop", "shop"),
  },
];

const ENGINE_UP = "test/engine/up.ts";
const ENGINE_PREVIEW = "test/engine/preview.ts";
const HARNESS = "test/engine/harness.ts";

const NOT_RUN_HERE: readonly NotRunHere[] = [
  {
    command: "npm ci && pulumi stack select --create dev && pulumi up",
    needs: "the Pulumi CLI and a Docker engine",
    coveredBy: [
      {
        file: ENGINE_UP,
        evidence:
          /pulumiOk\(project, \["stack", "init", "dev"\]\)[\s\S]*pulumi\(project, \["up", "--yes", "--skip-preview", \.\.\.excludes\]\)/,
        how:
          "npm run test:up (scripts/engine.sh up): `pulumi stack init dev` and `pulumi up` of Pulumi.yaml + " +
          "index.ts on a copy of the project, with the name prefix obs-enginetest and without the Grafana image",
      },
      { file: ".ci/run", evidence: /^npm ci\b/m, how: "CI installs with npm ci from a clean clone" },
    ],
    gap: "`stack select --create` itself (the engine tests use `stack init` on a fresh backend)",
  },
  {
    command: "npm test",
    needs: "nothing, but it is the suite this test runs in",
    coveredBy: [{ file: ".ci/run", evidence: /^npm test$/m, how: "CI runs it from a clean clone" }],
  },
  {
    command: "curl -fsSL https://get.pulumi.com | sh -s -- --version 3.248.0",
    needs: "the internet (get.pulumi.com)",
    coveredBy: [
      {
        file: "scripts/pulumi-tools.sh",
        evidence: /Versions come from versions\.json \(pulumi, pulumiDocker, pulumiRandom\)/,
        how: "the engine tests build the same pinned CLI (versions.json `pulumi`) from source instead",
      },
    ],
  },
  {
    command: "pulumi login --local",
    needs: "the Pulumi CLI",
    coveredBy: [
      {
        file: HARNESS,
        evidence: /PULUMI_BACKEND_URL: `file:\/\//,
        how: "every engine-test pulumi command uses a file backend (what `login --local` selects), in a temp folder",
      },
    ],
  },
  {
    command: "export PULUMI_CONFIG_PASSPHRASE='choose a long passphrase'",
    needs: "a shell session that runs the Pulumi commands after it (it sets nothing on its own)",
    coveredBy: [
      {
        file: HARNESS,
        evidence: /PULUMI_CONFIG_PASSPHRASE: "engine-test-passphrase"/,
        how: "every engine-test pulumi command runs with a passphrase set this way",
      },
    ],
  },
  {
    command: "pulumi stack output grafanaAdminPassword --show-secrets",
    needs: "the Pulumi CLI and an up-ed stack",
    coveredBy: [
      {
        file: ENGINE_UP,
        evidence: /"stack",\s*"output",\s*"grafanaAdminPassword",\s*"--show-secrets"/,
        how: "test:up reads the generated password so, and checks it is nowhere else",
      },
    ],
  },
  {
    command: "pulumi stack output --show-secrets",
    needs: "the Pulumi CLI and an up-ed stack",
    coveredBy: [
      {
        file: ENGINE_UP,
        evidence: /"stack", "output", "--json"/,
        how: "test:up lists every output (`stack output --json`) and reads both secrets with --show-secrets",
      },
    ],
    gap: "this exact form (all outputs with secrets in clear)",
  },
  {
    command: "pulumi config set definitions ./test/fixtures/scotty-alerting.ts",
    needs: "the Pulumi CLI and a stack",
    coveredBy: [
      {
        file: "stack/alerting-stack.test.ts",
        evidence: /definitions: path\.join\(__dirname, "\.\.", "test", "fixtures", "scotty-alerting\.ts"\)/,
        how: "the mock tests set `definitions` to that fixture and get its rules in vmalert",
      },
    ],
    gap: "no real-engine test runs the stack with alerting on",
  },
  {
    command: "pulumi config set --path alerting.enabled true",
    needs: "the Pulumi CLI and a stack",
    coveredBy: [
      {
        file: "stack/alerting-settings.test.ts",
        evidence: /resolveAlerting\("true", DEFAULT_PORTS\)/,
        how: "the text `true` (what `--path` may store) turns alerting on with every default",
      },
    ],
    gap: "no real-engine test runs the stack with alerting on",
  },
  {
    command: "pulumi config set --path alerting.webhookUrl https://hooks.example.com/alerts",
    needs: "the Pulumi CLI and a stack",
    coveredBy: [
      {
        file: "stack/alerting-stack.test.ts",
        evidence: /webhookUrl: "http:\/\/receiver\.example:5001\/alerts"/,
        how: "the mock tests set a webhook URL and find it in the Alertmanager config",
      },
    ],
    gap: "no real-engine test runs the stack with alerting on",
  },
  {
    command: "pulumi config set --path ports.grafana 3001",
    needs: "the Pulumi CLI and a stack",
    coveredBy: [
      {
        file: "stack/settings.test.ts",
        evidence: /resolveSettings\(\{ ports: \{ grafana: 4317 \} \}\)/,
        how: "the mock tests resolve a `ports.grafana` override and refuse a port used twice",
      },
    ],
    gap: "no real-engine test changes a published port",
  },
  {
    command: "curl -i http://127.0.0.1:13133/",
    needs: "the stack's collector running",
    coveredBy: [
      {
        file: ENGINE_UP,
        evidence: /httpOk\("http:\/\/127\.0\.0\.1:13133\/"\)/,
        how: "test:up probes the collector's health_check on that URL until it answers 200",
      },
    ],
  },
  {
    command:
      "curl -s http://127.0.0.1:8888/metrics | grep -E 'otelcol_(receiver_refused|exporter_send_failed)'",
    needs: "the stack's collector running",
    coveredBy: [
      {
        file: ENGINE_UP,
        evidence: /"otelcol_receiver_accepted_metric_points",\s*"otelcol_exporter_sent_metric_points"/,
        how:
          "test:up checks that the collector's own metrics (served on 8888, scraped by VictoriaMetrics) " +
          "reach the store; the e2e provokes the send-failed series",
      },
    ],
    gap: "the host-side curl of 8888 itself",
  },
  {
    command: "docker logs obs-otel-collector",
    needs: "a Docker engine and the stack's collector container",
    coveredBy: [
      {
        file: ENGINE_UP,
        evidence: /collector: `\$\{PREFIX\}-otel-collector`/,
        how: "test:up checks the collector container under the name <namePrefix>-otel-collector",
      },
    ],
    gap: "no test reads the container's logs",
  },
  {
    command: "pulumi destroy",
    needs: "the Pulumi CLI and a Docker engine",
    coveredBy: [
      {
        file: ENGINE_UP,
        evidence: /pulumi\(project, \["destroy", "--yes", "--skip-preview"\]\)/,
        how: "test:up destroys its stack and checks what is removed and which data volumes stay",
      },
    ],
  },
  {
    command: "pulumi config set deleteDataOnDestroy true && pulumi up && pulumi destroy",
    needs: "the Pulumi CLI and a Docker engine",
    coveredBy: [
      {
        file: "stack/settings.test.ts",
        evidence: /resolveSettings\(\{ deleteDataOnDestroy: true \}\)\.deleteDataOnDestroy/,
        how: "the mock tests resolve the setting",
      },
      {
        file: ENGINE_UP,
        evidence: /pulumi\(project, \["destroy", "--yes", "--skip-preview"\]\)/,
        how: "test:up runs `pulumi destroy` (with the setting off)",
      },
    ],
    gap: "no test destroys with deleteDataOnDestroy set, so that the volumes go is not checked",
  },
  {
    command: "docker volume rm obs-victoriametrics-data obs-grafana-data",
    needs: "a Docker engine",
    coveredBy: [
      {
        file: ENGINE_UP,
        evidence: /docker\(\["volume", "rm", "-f", v\]\)/,
        how: "test:up removes its own data volumes (obs-enginetest-…) so after its destroy",
      },
    ],
  },
  {
    command: "npm install observability-stack @opentelemetry/api",
    needs: "the npm registry (or a tarball / git URL) and a project of your own",
    coveredBy: [
      {
        file: "test/package/package.test.ts",
        evidence: /"observability-stack": `file:\$\{tarball\}`, \.\.\.USER_DEPENDENCIES/,
        how: "in npm test: the packed tarball installed into a new project with @opentelemetry/api",
      },
    ],
  },
  {
    command:
      "npm install @pulumi/pulumi@3.248.0 @pulumi/docker@5.2.0 @pulumi/random@4.21.2 @pulumiverse/grafana@2.40.0",
    needs: "the npm registry and a project of your own",
    coveredBy: [
      {
        file: "test/package/project.ts",
        evidence: /export const USER_DEPENDENCIES/,
        how: "the new project of test/package (and of test:preview's user project) installs these pins",
      },
      {
        file: "test/engine/package.ts",
        evidence: /\.\.\.USER_DEPENDENCIES/,
        how: "test:preview previews that project's own Pulumi program with the real engine",
      },
    ],
  },
  {
    command: "pulumi config set definitions ./my-metrics.ts",
    needs: "the Pulumi CLI and a stack",
    coveredBy: [
      {
        file: ENGINE_PREVIEW,
        evidence:
          /pulumiOk\(project, \["config", "set", "definitions", `\.\/\$\{CHANGED_CATALOGUE\.file\}`\]\)/,
        how: "test:preview sets a catalogue module of its own so and checks the preview --diff shows it",
      },
      {
        file: ENGINE_UP,
        evidence:
          /pulumiOk\(project, \["config", "set", "definitions", `\.\/\$\{CHANGED_CATALOGUE\.file\}`\]\)/,
        how: "test:up does the same on the up-ed stack",
      },
    ],
  },
];

// --- set-up ---------------------------------------------------------------------------------------------

/** The series an app on this package writes for these metrics: every declared value appears. */
function storeSeries(
  job: string,
  metrics: readonly {
    readonly seriesNames: readonly string[];
    readonly attributes: readonly { readonly label: string; readonly values?: readonly string[] }[];
  }[],
): Labels[] {
  const base = { job, instance: "i-1", otel_scope_name: job, otel_scope_version: "" };
  const series: Labels[] = [
    { __name__: "target_info", job, instance: "i-1", telemetry_sdk_language: "nodejs" },
  ];
  for (const m of metrics) {
    const first: Record<string, string> = {};
    for (const a of m.attributes) first[a.label] = a.values?.[0] ?? "v1";
    const sets = [
      first,
      ...m.attributes.flatMap((a) => (a.values ?? []).map((v) => ({ ...first, [a.label]: v }))),
    ];
    for (const name of m.seriesNames) {
      for (const attrs of sets) {
        const s = { __name__: name, ...base, ...attrs };
        series.push(
          ...(name.endsWith("_bucket")
            ? [
                { ...s, le: "1" },
                { ...s, le: "+Inf" },
              ]
            : [s]),
        );
      }
    }
  }
  return series;
}

/** The README's own catalogue module: its ```ts block that default-exports the shop catalogue. */
function readmeCatalogue(markdown: string): string {
  const blocks = [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
  const found = blocks.find((b) => /^export default defineMetrics\(/m.test(b) && /name: "shop"/.test(b));
  if (found === undefined) {
    throw new Error(
      'README.md has no ```ts block with `export default defineMetrics({ name: "shop", … })`: the ' +
        "metrics.ts that `npx observability-stack render --definitions ./metrics.ts` renders. Fix: keep that " +
        "example, or change the user-project commands of RUN_HERE in test/readme-commands.test.ts",
    );
  }
  return found;
}

/**
 * A user's project as `npm install observability-stack` leaves it: the package under node_modules
 * (a link to this repository, whose dist/ `npm test` has just built) and its bin in node_modules/.bin.
 * npm makes the bin executable when it installs; dist/ is not, so the bin is a shim that runs it.
 */
function userProject(dir: string, catalogue: string): string {
  const bin = path.join(ROOT, "dist/cli/main.js");
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing. Fix: npm run build (npm test builds first)`);
  fs.mkdirSync(path.join(dir, "node_modules/.bin"), { recursive: true });
  fs.symlinkSync(ROOT, path.join(dir, "node_modules/observability-stack"), "dir");
  const shim = path.join(dir, "node_modules/.bin/observability-stack");
  fs.writeFileSync(shim, `#!/bin/sh\nexec node ${JSON.stringify(bin)} "$@"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "shop", private: true })}\n`);
  fs.writeFileSync(path.join(dir, "metrics.ts"), catalogue);
  return dir;
}

async function startSink(): Promise<{ url: string; metricNames: Set<string>; close: () => Promise<void> }> {
  const metricNames = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/v1/metrics") {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as {
          resourceMetrics?: { scopeMetrics?: { metrics?: { name: string }[] }[] }[];
        };
        for (const r of body.resourceMetrics ?? [])
          for (const s of r.scopeMetrics ?? []) for (const m of s.metrics ?? []) metricNames.add(m.name);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    metricNames,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The environment a user's shell would give: none of the calling npm's or ts-node's variables. */
function cleanEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(npm_|TS_NODE_|OTEL_)/i.test(k) && k !== "INIT_CWD") env[k] = v;
  }
  // npx must use the local bin or fail, never fetch a package; no update check.
  return { ...env, npm_config_yes: "false", npm_config_update_notifier: "false", NO_COLOR: "1", ...extra };
}

const COMMAND_TIMEOUT_MS = 90_000;

/** Runs `command` with bash in `cwd`; its whole process group is killed after the timeout. */
function runShell(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", command], { cwd, env, detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${COMMAND_TIMEOUT_MS} ms)`;
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, COMMAND_TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, cwd });
    });
  });
}

/** Runs `tasks` at most `limit` at a time (the machine has 2 cores). */
function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T>[] {
  let active = 0;
  const queue: (() => void)[] = [];
  return tasks.map(
    (task) =>
      new Promise<T>((resolve, reject) => {
        const start = (): void => {
          active++;
          task()
            .then(resolve, reject)
            .finally(() => {
              active--;
              queue.shift()?.();
            });
        };
        if (active < limit) start();
        else queue.push(start);
      }),
  );
}

// --- the tests --------------------------------------------------------------------------------------------

const README = fs.readFileSync(README_FILE, "utf8");
const COMMANDS = readmeCommands(README);

describe("readmeCommands", () => {
  it("reads sh/bash/console blocks only, joins continuations, drops prompts, comments and output", () => {
    const md = [
      "```sh",
      "npm ci && pulumi up   # install, then run",
      "# a comment",
      "",
      "docker run \\",
      "  --rm x",
      "```",
      "```ts",
      "npm run not-a-command",
      "```",
      "  ```console",
      "  $ npm run check -- --job a",
      "  check: clean",
      "  ```",
      "```",
      "echo untagged",
      "```",
    ].join("\n");
    expect(readmeCommands(md)).toEqual([
      { command: "npm ci && pulumi up", line: 2 },
      { command: "docker run --rm x", line: 5 },
      { command: "npm run check -- --job a", line: 12 },
    ]);
  });
});

describe("README commands", () => {
  it("has commands to check", () => {
    expect(COMMANDS.length).toBeGreaterThan(10);
  });

  it("every README command is in exactly one of RUN_HERE and NOT_RUN_HERE", () => {
    const run = new Set(RUN_HERE.map((c) => c.command));
    const notRun = new Set(NOT_RUN_HERE.map((c) => c.command));
    const both = [...run].filter((c) => notRun.has(c));
    expect(both).toEqual([]);
    const unclassified = COMMANDS.filter((c) => !run.has(c.command) && !notRun.has(c.command));
    if (unclassified.length > 0) {
      throw new Error(
        `${unclassified.map((c) => `README.md:${c.line}: ${c.command}`).join("\n")}\n` +
          `is in neither list of test/readme-commands.test.ts. Fix: classify it there: add it to RUN_HERE ` +
          `(with the exit code and what it must print or write) if it runs without Docker, the Pulumi CLI ` +
          `or the network, else to NOT_RUN_HERE with the real-engine test that runs it.`,
      );
    }
  });

  it("every listed command is still in the README (a changed command is re-classified, not kept)", () => {
    const inReadme = new Set(COMMANDS.map((c) => c.command));
    const stale = [...RUN_HERE, ...NOT_RUN_HERE].map((c) => c.command).filter((c) => !inReadme.has(c));
    if (stale.length > 0) {
      throw new Error(
        `${stale.join("\n")}\nis listed in test/readme-commands.test.ts but is no longer a command of README.md. ` +
          `Fix: remove it from the list (or correct it to the README's new wording)`,
      );
    }
  });

  it.each(NOT_RUN_HERE.map((c) => [c.command, c] as const))(
    "not run here, covered by a real test: %s",
    (_command, c) => {
      expect(c.coveredBy.length).toBeGreaterThan(0);
      for (const cov of c.coveredBy) {
        const file = path.join(ROOT, cov.file);
        if (!fs.existsSync(file))
          throw new Error(`${c.command}: covered by ${cov.file}, which does not exist`);
        if (!cov.evidence.test(fs.readFileSync(file, "utf8"))) {
          throw new Error(
            `${c.command}: ${cov.file} no longer does what NOT_RUN_HERE says (${cov.how}): ${cov.evidence} ` +
              `not found. Fix: point the entry at the test that runs it now, or say so in its gap`,
          );
        }
      }
    },
  );
});

describe("README commands that run here", () => {
  // Every command runs once, started in beforeAll (two at a time); each test awaits its own run.
  let tmp: string;
  let ctx: Ctx | undefined;
  let closers: (() => Promise<void>)[] = [];
  const runs = new Map<string, Promise<Run>>();

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "readme-commands-"));
    const catalogue = readmeCatalogue(README);
    const project = userProject(path.join(tmp, "project"), catalogue);
    const repo = copyProject(path.join(tmp, "repo"));
    const mine = catalogue.replace(/from "observability-stack\/definitions"/g, 'from "./definitions"');
    fs.writeFileSync(path.join(repo, "my-metrics.ts"), mine);
    const shop = loadCatalogue("./metrics.ts", project).catalogue;
    const scottyStore = await startFakeStore({ series: { scotty: storeSeries("scotty", scotty.list) } });
    const shopStore = await startFakeStore({ series: { shop: storeSeries("shop", shop.list) } });
    const sink = await startSink();
    closers = [scottyStore.close, shopStore.close, sink.close];
    const c: Ctx = { project, repo, scottyStore, shopStore, sink };
    ctx = c;
    const tasks = RUN_HERE.map(
      (spec) => () =>
        runShell(
          spec.command + (spec.append?.(c) ?? ""),
          spec.in === "project" ? c.project : c.repo,
          cleanEnv(spec.env?.(c) ?? {}),
        ),
    );
    pool(tasks, 2).forEach((p, i) => runs.set((RUN_HERE[i] as RunHere).command, p));
    // Settled before the tests look, so that no run is left behind if one fails early.
    await Promise.allSettled([...runs.values()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    // Only the folder this test made (node_modules inside it are links: rmSync removes the link).
    if (tmp !== undefined && process.env.README_COMMANDS_KEEP_TMP !== "1") {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it.each(RUN_HERE.map((c) => [c.command, c] as const))("%s", async (command, spec) => {
    const run = runs.get(command);
    if (run === undefined || ctx === undefined) throw new Error("beforeAll did not start the commands");
    spec.expect(await run, ctx);
  });

  it("wrote nothing into the checkout", () => {
    // The user-project and repository runs went to the temp folder: no catalogue of theirs in the
    // checkout, and its out/ (if any) is not a render of theirs.
    for (const file of ["my-metrics.ts", "metrics.ts"])
      expect(fs.existsSync(path.join(ROOT, file))).toBe(false);
    const rendered = path.join(ROOT, "out/metrics.json");
    if (fs.existsSync(rendered)) expect(fs.readFileSync(rendered, "utf8")).not.toContain('"name": "shop"');
  });
});
