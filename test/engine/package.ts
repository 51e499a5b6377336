// The real engine on a user's own project (issue 14, "Done when"): the package packed from a copy of
// the sources, installed from the tarball into a new project outside the repository, and there
// `pulumi preview` of the user's own Pulumi program (test/package/project.ts: infra/index.ts builds
// the stack from the user's `shop` catalogue) with the real CLI, Node language host and providers.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_FILES, USER_DEPENDENCIES } from "../package/project";
import type { Checks } from "./harness";
import { engineTmp, log, previewSteps, pulumiOk, REPO, tail, typeAndName } from "./harness";

/** Runs a command of the user's project; a non-zero exit throws with its output. */
function run(cmd: string, args: readonly string[], cwd: string): string {
  const env: NodeJS.ProcessEnv = {};
  // None of npm's variables of the calling `npm run` (they would change the install).
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("npm_") && k !== "INIT_CWD" && !k.startsWith("TS_NODE_")) env[k] = v;
  }
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env, timeout: 900_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} exited ${r.status}\n${tail(r.stdout ?? "")}\n${tail(r.stderr ?? "")}`,
    );
  }
  return r.stdout;
}

/** Packs a copy of the sources (what git would clone) and returns the tarball's path. */
function pack(work: string): string {
  const src = path.join(work, "src");
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: REPO,
    encoding: "utf8",
  })
    .split("\0")
    .filter(
      (f) => f !== "" && fs.existsSync(path.join(REPO, f)) && fs.lstatSync(path.join(REPO, f)).isFile(),
    );
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(src, f)), { recursive: true });
    fs.copyFileSync(path.join(REPO, f), path.join(src, f));
  }
  // The build tools only; the installed package never sees this folder.
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(src, "node_modules"));
  const packed = JSON.parse(
    run("npm", ["pack", "--json", "--pack-destination", work, "--loglevel=error"], src),
  ) as {
    filename: string;
  }[];
  return path.join(work, packed[0]!.filename);
}

/** The user's project: the tarball, the pinned peers, the files of test/package, a Pulumi.yaml. */
function userProject(work: string, tarball: string): string {
  const app = path.join(work, "shop");
  fs.mkdirSync(app, { recursive: true });
  fs.writeFileSync(
    path.join(app, "package.json"),
    `${JSON.stringify({ name: "shop", private: true, dependencies: { "observability-stack": `file:${tarball}`, ...USER_DEPENDENCIES } }, null, 2)}\n`,
  );
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], app);
  for (const [file, content] of Object.entries(PROJECT_FILES)) {
    fs.mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    fs.writeFileSync(path.join(app, file), content);
  }
  // Compiled by the project's own TypeScript; Pulumi runs the JavaScript (no ts-node in the project).
  run("npx", ["--no-install", "tsc", "-p", "tsconfig.json"], app);
  fs.writeFileSync(
    path.join(app, "Pulumi.yaml"),
    "name: shop-infra\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: build/infra/index.js\n",
  );
  return app;
}

/** `pulumi preview` of the user's project: the stack's resources, from the user's catalogue. */
export function checkPackagePreview(c: Checks): void {
  const work = path.join(engineTmp(), "package");
  fs.mkdirSync(work, { recursive: true });
  const started = Date.now();
  const app = userProject(work, pack(work));
  log(
    `[preview] user's project packed, installed and compiled in ${((Date.now() - started) / 1000).toFixed(0)}s`,
  );
  c.ok(!path.resolve(app).startsWith(REPO), "the user's project is outside the repository");
  pulumiOk(app, ["stack", "init", "dev"]);

  const plan = pulumiOk(app, ["preview", "--json"]);
  log(`[preview] user's project: pulumi preview --json: ${plan.seconds.toFixed(1)}s`);
  const steps = previewSteps(plan.stdout);
  const names = steps.map((s) => typeAndName(s.urn));
  c.ok(
    steps.length > 0 && steps.every((s) => s.op === "create"),
    "user's project: a fresh stack only creates",
  );
  for (const want of [
    "observability-stack:stack:ObservabilityStack::observability",
    "pulumi:pulumi:Stack::shop-infra-dev",
    "docker:index/container:Container::observability-collector",
    "docker:index/container:Container::observability-grafana",
    "docker:index/container:Container::observability-jaeger",
    "docker:index/container:Container::observability-victoriametrics",
  ]) {
    c.ok(names.includes(want), `user's project: the plan has ${want}`, `  plan: ${names.join(", ")}`);
  }
  const json = plan.stdout;
  const containerNames = [...json.matchAll(/"name":\s*"(shop-[a-z-]+)"/g)].map((m) => m[1]);
  c.ok(
    ["shop-grafana", "shop-jaeger", "shop-otel-collector", "shop-victoriametrics"].every((n) =>
      containerNames.includes(n),
    ),
    "user's project: the containers carry the program's name prefix shop-",
    `  names: ${[...new Set(containerNames)].join(", ")}`,
  );

  const diff = pulumiOk(app, ["preview", "--diff", "--show-full-output"]);
  fs.writeFileSync(path.join(engineTmp(), "package-preview-diff.txt"), diff.stdout);
  const text = diff.stdout;
  c.ok(
    text.includes("shop-orders.json"),
    "user's project: the preview uploads the dashboard of the user's group",
  );
  c.ok(
    text.includes("shop_orders_total") && text.includes("shop_checkout_duration_seconds_bucket"),
    "user's project: the uploaded dashboards query the user's metrics by their Prometheus names",
  );
  c.ok(!/scotty/.test(text), "user's project: nothing of the built-in scotty catalogue is in the preview");
}
