// Shared by the real-engine tests (scripts/engine.sh runs them): the `pulumi` CLI as a user runs it,
// on a copy of the project, with a file backend and a passphrase in a temporary folder.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const REPO = path.resolve(__dirname, "../..");

/** The temp folder scripts/engine.sh made (PULUMI_HOME with the plugins installed is inside it). */
export function engineTmp(): string {
  const t = process.env.ENGINE_TMP;
  if (t === undefined || !fs.existsSync(t)) {
    throw new Error(
      "ENGINE_TMP is not set: run this through scripts/engine.sh (npm run test:preview / test:up)",
    );
  }
  return t;
}

export function log(msg: string): void {
  process.stdout.write(`${msg}\n`);
}

/** Failures are collected, not thrown, so that one run reports every broken check. */
export class Checks {
  private readonly failures: string[] = [];
  private passed = 0;
  constructor(private readonly prefix: string) {}
  ok(cond: boolean, what: string, detail = ""): boolean {
    if (cond) {
      this.passed++;
      log(`[${this.prefix}] ok: ${what}`);
    } else {
      this.failures.push(what);
      log(`[${this.prefix}] FAIL: ${what}${detail ? `\n${detail}` : ""}`);
    }
    return cond;
  }
  /** Prints the summary; the process exits 1 when anything failed. */
  finish(): void {
    log(`[${this.prefix}] ${this.passed} passed, ${this.failures.length} failed`);
    if (this.failures.length > 0) {
      for (const f of this.failures) log(`[${this.prefix}]   failed: ${f}`);
      process.exitCode = 1;
    }
  }
}

/**
 * Copies the project (what git tracks, as it is in the working tree) into `dest`, with node_modules
 * linked, so that `pulumi stack init` (which writes `encryptionsalt` into Pulumi.<stack>.yaml) and
 * config changes touch no tracked file.
 */
export function copyProject(dest: string): string {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO,
    encoding: "utf8",
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  fs.mkdirSync(dest, { recursive: true });
  for (const rel of listed.stdout.split("\0")) {
    if (rel === "" || rel.startsWith("test/") || rel.startsWith(".github/")) continue;
    const src = path.join(REPO, rel);
    // Deleted in the working tree, or not a plain file (a node_modules link, say).
    if (!fs.existsSync(src) || !fs.lstatSync(src).isFile() || rel.split("/")[0] === "node_modules") continue;
    const to = path.join(dest, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(src, to);
  }
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dest, "node_modules"), "dir");
  return dest;
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** One `pulumi` command in `cwd`, against the file backend under ENGINE_TMP. */
export function pulumi(
  cwd: string,
  args: readonly string[],
  opts: { input?: string; timeoutS?: number } = {},
): Run {
  const tmp = engineTmp();
  const start = Date.now();
  const r = spawnSync("pulumi", [...args, "--non-interactive"], {
    cwd,
    encoding: "utf8",
    input: opts.input,
    timeout: (opts.timeoutS ?? 900) * 1000,
    maxBuffer: 256 * 1024 * 1024,
    env: {
      ...process.env,
      PULUMI_HOME: path.join(tmp, "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${path.join(tmp, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "engine-test-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      NO_COLOR: "1",
    },
  });
  const run = {
    status: r.status ?? -1,
    stdout: r.stdout ?? "",
    stderr: (r.stderr ?? "") + (r.error ? `\n${String(r.error)}` : ""),
    seconds: (Date.now() - start) / 1000,
  };
  // What a secret-revealing command prints stays out of the log (the tests search the log for secrets).
  const shown = args.includes("--show-secrets") ? "(output not logged: --show-secrets)" : run.stdout;
  fs.appendFileSync(
    path.join(tmp, "pulumi-commands.log"),
    `$ pulumi ${args.join(" ")}  (exit ${run.status}, ${run.seconds.toFixed(1)}s)\n${shown}\n${run.stderr}\n`,
  );
  return run;
}

/** Like {@link pulumi}, but a non-zero exit throws with the command's output. */
export function pulumiOk(
  cwd: string,
  args: readonly string[],
  opts: { input?: string; timeoutS?: number } = {},
): Run {
  const r = pulumi(cwd, args, opts);
  if (r.status !== 0) {
    throw new Error(
      `pulumi ${args.join(" ")} failed (exit ${r.status}):\n${tail(r.stdout)}\n${tail(r.stderr)}`,
    );
  }
  return r;
}

export function tail(text: string, lines = 40): string {
  return text.split("\n").slice(-lines).join("\n");
}

/** A step of `pulumi preview --json`. */
export interface PreviewStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff?: boolean }>;
}

export function previewSteps(json: string): PreviewStep[] {
  const parsed = JSON.parse(json) as { steps?: PreviewStep[] };
  return parsed.steps ?? [];
}

/** `type::name` of a URN (the last two parts; the parent chain is dropped). */
export function typeAndName(urn: string): string {
  const parts = urn.split("::");
  const type = (parts[2] ?? "").split("$").pop() ?? "";
  return `${type}::${parts[3] ?? ""}`;
}

/**
 * A catalogue module for the copy of the project: the built-in scotty catalogue plus one new metric
 * and one changed description. Its dashboard and METRICS.md changes are what a PR preview must show.
 */
export const CHANGED_CATALOGUE = {
  file: "changed-catalogue.ts",
  newMetricPromName: "scotty_tasks_retried_total",
  changedDescription: "Tasks running right now (changed description, to be seen in the preview).",
  source: `import { defineMetrics, scotty } from "./definitions";
import type { MetricSpec } from "./definitions";

const groups = Object.fromEntries(
  scotty.groups.map((g) => [g.key, { title: g.title, ...(g.description ? { description: g.description } : {}) }]),
);
const metrics: Record<string, MetricSpec> = { ...(scotty.metrics as Record<string, MetricSpec>) };
const changed = scotty.list.find((m) => m.group === "tasks" && m.kind === "upDownCounter");
if (changed === undefined) throw new Error("scotty has no up-down counter in its tasks group");
metrics[changed.key] = { ...metrics[changed.key], description: "Tasks running right now (changed description, to be seen in the preview)." } as MetricSpec;
metrics.tasksRetried = {
  name: "scotty.tasks.retried",
  kind: "counter",
  unit: "{task}",
  description: "Tasks started again after a failure.",
  group: "tasks",
} as MetricSpec;

export default defineMetrics({
  name: scotty.name,
  title: scotty.title,
  groups,
  seriesBudget: scotty.seriesBudget + 10,
  metrics,
} as Parameters<typeof defineMetrics>[0]);
`,
};

/**
 * Checks that `pulumi preview --diff` text shows the changed catalogue readably: the dashboard of the
 * affected group and METRICS.md in plain text, and no uploaded file hidden as a secret.
 */
export function checkDefinitionsDiff(c: Checks, label: string, diff: string, secret: string): void {
  // The generated files are the uploads of Grafana's carrier (stack/config-files.ts: Grafana's root is
  // read-only, and Docker refuses uploads there).
  const grafana = resourceBlock(diff, "docker:index/container:Container", "observability-grafana-files");
  c.ok(grafana !== undefined, `${label}: the preview shows the Grafana files' carrier`, tail(diff));
  const g = grafana ?? "";
  const name = CHANGED_CATALOGUE.newMetricPromName;
  c.ok(
    /scotty-tasks\.json/.test(g) && new RegExp(`expr\\s*:\\s*".*${name}`).test(g),
    `${label}: the tasks dashboard file shows a query of the new metric ${name} in plain text`,
  );
  c.ok(
    /METRICS\.md/.test(g) &&
      g.split("\n").some((l) => l.includes("|") && l.includes(CHANGED_CATALOGUE.changedDescription)),
    `${label}: METRICS.md shows the changed description (a table row) in plain text`,
  );
  c.ok(!/uploads\s*:\s*\[secret\]/.test(g), `${label}: the Grafana files' uploads are not one [secret]`);
  c.ok(!diff.includes(secret), `${label}: the Grafana admin password appears nowhere in the preview`);
}

/**
 * The lines of a preview --diff that belong to one resource (from its header line to the next
 * resource header at the same or a lower indent).
 */
export function resourceBlock(diff: string, type: string, name: string): string | undefined {
  const lines = diff.split("\n");
  const header = new RegExp(`^(\\s*)[-+~ ]*\\s*[+~\\-]*\\s*${escape(type)}: \\(\\S+\\)`);
  for (let i = 0; i < lines.length; i++) {
    const m = header.exec(lines[i] ?? "");
    if (!m) continue;
    // The URN line follows the header; match the resource name there.
    const block: string[] = [lines[i] ?? ""];
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j] ?? "";
      if (
        /^\s*[-+~ ]*\s*[a-z]+:index\/[a-zA-Z]+:[A-Za-z]+: \(/.test(l) ||
        /^\s*[-+~ ]*\s*[a-z-]+:[a-z]+:[A-Za-z]+: \(/.test(l)
      )
        break;
      block.push(l);
    }
    const text = block.join("\n");
    if (
      new RegExp(`::${escape(name)}\\b`).test(text) &&
      !new RegExp(`::${escape(name)}-`).test(text.split("\n")[1] ?? "")
    )
      return text;
  }
  return undefined;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
