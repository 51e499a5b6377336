// `npm run render` as users run it: a child process, real files, real exit codes.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { scotty } from "../definitions";
import { renderFiles, renderStats } from "../render";

const ROOT = path.join(__dirname, "..");
const DEFINITIONS = path.join(ROOT, "definitions");
/** The CLI's list of the files it wrote, in the out folder. */
const MANIFEST = ".observability-stack-render.json";
// ts-node start-up on a busy 2-core machine.
jest.setTimeout(180_000);

function render(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  // npm runs the script in the package root; INIT_CWD tells it where relative paths start.
  const r = spawnSync("npm", ["--prefix", ROOT, "run", "--silent", "render", "--", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, INIT_CWD: cwd },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "render-cli-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run render", () => {
  it("writes every file renderFiles returns, byte for byte, and prints the summary", () => {
    const r = render(tmp, ["--out", "out"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const expected = renderFiles(scotty);
    const out = path.join(tmp, "out");
    expect(listFiles(out)).toEqual([...expected.map((f) => f.path), MANIFEST].sort());
    for (const f of expected) expect(fs.readFileSync(path.join(out, f.path), "utf8")).toBe(f.content);
    // The manifest lists exactly the files written, each with the hash of its content.
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST), "utf8")) as {
      files: Record<string, string>;
    };
    expect(manifest.files).toEqual(
      Object.fromEntries(
        expected
          .map((f) => [f.path, `sha256:${createHash("sha256").update(f.content).digest("hex")}`] as const)
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      ),
    );
    const s = renderStats(expected);
    expect(r.stdout).toBe(
      `render: ${s.files} files in out/ (${s.metrics} metrics, ${s.dashboards} dashboards, ${s.panels} panels)\n`,
    );
    // No temp folders left next to the output.
    expect(fs.readdirSync(tmp)).toEqual(["out"]);
  });

  it("replaces its own earlier render: files the new render no longer produces go", () => {
    const dir = fs.mkdtempSync(path.join(tmp, "shrink-"));
    const module = (groups: string[]) =>
      `import { defineMetrics } from ${JSON.stringify(DEFINITIONS)};
export default defineMetrics({
  name: "shop",
  groups: { ${groups.map((g) => `${g}: { title: "${g}" }`).join(", ")} },
  metrics: { ${groups.map((g) => `${g}: { name: "shop.${g}", kind: "counter", unit: "{x}", description: "d.", group: "${g}" }`).join(", ")} },
});
`;
    fs.writeFileSync(path.join(dir, "shop.ts"), module(["orders", "refunds"]));
    expect(render(dir, ["--definitions", "shop.ts", "--out", "again"]).status).toBe(0);
    const refunds = path.join(dir, "again", "grafana", "dashboards", "shop-refunds.json");
    expect(fs.existsSync(refunds)).toBe(true);
    fs.writeFileSync(path.join(dir, "shop.ts"), module(["orders"]));
    const r = render(dir, ["--definitions=shop.ts", "--out=again"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(fs.existsSync(refunds)).toBe(false);
    expect(fs.existsSync(path.join(dir, "again", "grafana", "dashboards", "shop-orders.json"))).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(["again", "shop.ts"]);
  });

  it("renders a user catalogue given by --definitions (export named catalogue)", () => {
    const dir = fs.mkdtempSync(path.join(tmp, "user-"));
    fs.writeFileSync(
      path.join(dir, "shop.ts"),
      `import { defineMetrics } from ${JSON.stringify(DEFINITIONS)};
export const catalogue = defineMetrics({
  name: "shop",
  groups: { orders: { title: "Orders" } },
  metrics: { orders: { name: "shop.orders", kind: "counter", unit: "{order}", description: "Orders.", group: "orders" } },
});
`,
    );
    const r = render(dir, ["--definitions", "shop.ts", "--out", "rendered"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^render: \d+ files in rendered\/ \(1 metric, \d+ dashboards, \d+ panels\)\n$/);
    const metrics = JSON.parse(fs.readFileSync(path.join(dir, "rendered", "metrics.json"), "utf8")) as {
      metrics: { prometheusName: string }[];
    };
    expect(metrics.metrics.map((m) => m.prometheusName)).toEqual(["shop_orders_total"]);
    expect(fs.existsSync(path.join(dir, "rendered", "grafana", "dashboards", "shop-orders.json"))).toBe(true);
  });
});

describe("npm run render with bad input writes nothing", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(tmp, "bad-"));
    fs.writeFileSync(
      path.join(dir, "invalid.ts"),
      `import { defineMetrics } from ${JSON.stringify(DEFINITIONS)};
export default defineMetrics({
  name: "broken",
  groups: { g: { title: "G" } },
  metrics: { x: { name: "broken.latency_ms", kind: "histogram", unit: "ms", description: "d", group: "g", buckets: [1, 2] } },
});
`,
    );
    fs.writeFileSync(
      path.join(dir, "notcat.js"),
      `module.exports = { catalogue: { name: "x" }, other: 1 };\n`,
    );
  });

  const cases: [string, string[], RegExp][] = [
    [
      "a module that throws DefinitionError",
      ["--definitions", "invalid.ts"],
      /^render: the catalogue in "invalid\.ts" is invalid\. Invalid metric catalogue "broken" .*broken\.latency_ms.*Fix: /s,
    ],
    [
      "a module without a catalogue export",
      ["--definitions", "notcat.js"],
      /^render: the module "notcat\.js" has no catalogue as its default export or as an export named "catalogue" \(its exports: catalogue, other\)\. Fix: /,
    ],
    [
      "a missing module",
      ["--definitions", "nowhere/defs.ts"],
      /^render: cannot find the definitions module "nowhere\/defs\.ts" \(looked for .*nowhere\/defs\.ts.*\)\. Fix: /,
    ],
  ];

  it.each(cases)("%s: exit 1, a message naming the problem, no output folder", (_label, args, message) => {
    const r = render(dir, [...args, "--out", "out"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Nothing was written\.\n$/);
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
    expect(fs.readdirSync(dir).sort()).toEqual(["invalid.ts", "notcat.js"]);
  });

  it("a bad module leaves an earlier render unchanged", () => {
    const earlier = path.join(tmp, "earlier");
    expect(render(tmp, ["--out", "earlier"]).status).toBe(0);
    const before = listFiles(earlier).map((f) => [f, fs.readFileSync(path.join(earlier, f), "utf8")]);
    const r = render(dir, ["--definitions", "invalid.ts", "--out", earlier]);
    expect(r.status).toBe(1);
    expect(listFiles(earlier).map((f) => [f, fs.readFileSync(path.join(earlier, f), "utf8")])).toEqual(
      before,
    );
  });

  it("refuses to replace a folder that is not an earlier render", () => {
    const mine = path.join(dir, "mine");
    fs.mkdirSync(mine);
    fs.writeFileSync(path.join(mine, "notes.txt"), "keep me");
    const r = render(dir, ["--out", "mine"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /mine is not empty and does not hold an earlier render.*Fix: choose an empty or new folder/,
    );
    expect(fs.readdirSync(mine)).toEqual(["notes.txt"]);
    fs.rmSync(mine, { recursive: true });
  });

  it.each([
    [["--bogus"], /^render: unknown argument "--bogus"\nusage: npm run render/],
    [["--out"], /^render: --out needs a value\nusage:/],
    [["--definitions", "--out", "x"], /^render: --definitions needs a value\nusage:/],
  ])("usage error for %j: exit 2", (args, message) => {
    const r = render(dir, args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(path.join(dir, "x"))).toBe(false);
  });
});

/** Every file under `dir` with its content, to prove a refused render changed nothing. */
function snapshot(dir: string): [string, string][] {
  return listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]);
}

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

describe("npm run render never deletes or overwrites a file it did not write (issue 12, item 1)", () => {
  let dir: string;
  /** An earlier render, copied for each case that alters it (a copy is cheaper than a render). */
  let earlier: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(tmp, "safe-"));
    expect(render(dir, ["--out", "earlier"]).status).toBe(0);
    earlier = path.join(dir, "earlier");
  });

  function expectRefused(cwd: string, out: string, message: RegExp, guarded: string): void {
    const before = snapshot(guarded);
    const r = render(cwd, ["--out", out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Fix: .*\nNothing was written\.\n$/);
    expect(snapshot(guarded)).toEqual(before);
  }

  it("refuses a project (package.json or .git) even when it holds a metrics.json", () => {
    const project = path.join(dir, "myproject");
    write(path.join(project, "metrics.json"), "{}");
    write(path.join(project, "src", "app.js"), "console.log(1);\n");
    write(path.join(project, ".git", "HEAD"), "ref: refs/heads/main\n");
    expectRefused(
      dir,
      "myproject",
      /myproject is a project root \(it holds \.git\).*Fix: choose a new folder/,
      project,
    );
    fs.rmSync(path.join(project, ".git"), { recursive: true });
    write(path.join(project, "package.json"), "{}");
    expectRefused(dir, "myproject", /myproject is a project root \(it holds package\.json\)/, project);
  });

  it("refuses a folder with a METRICS.md but no manifest, naming a file it did not write", () => {
    const other = path.join(dir, "other");
    write(path.join(other, "METRICS.md"), "# mine\n");
    write(path.join(other, "src", "app.js"), "x\n");
    expectRefused(
      dir,
      "other",
      /other is not empty and does not hold an earlier render: it holds (METRICS\.md|src\/app\.js), which npm run render did not write \(there is no \.observability-stack-render\.json in it\)/,
      other,
    );
  });

  it("refuses the current folder and every folder that holds it", () => {
    const cwd = path.join(dir, "work");
    write(path.join(cwd, "METRICS.md"), "# x\n");
    write(path.join(cwd, "src", "important.txt"), "keep\n");
    expectRefused(
      cwd,
      ".",
      /--out .*work is the current folder or one that holds it.*Fix: choose a new folder/,
      cwd,
    );
    expectRefused(path.join(cwd, "src"), "..", /is the current folder or one that holds it/, cwd);
  });

  it.each([
    [
      "a file it did not write",
      (d: string) => write(path.join(d, "grafana", "dashboards", "stale.json"), "{}"),
      /holds grafana\/dashboards\/stale\.json, which the earlier render there did not write \(it is not in its \.observability-stack-render\.json\)\. Fix: move grafana\/dashboards\/stale\.json out of/,
    ],
    [
      "a file changed since the render",
      (d: string) => fs.appendFileSync(path.join(d, "METRICS.md"), "my notes\n"),
      /METRICS\.md changed since the earlier render wrote it.*Fix: move your version out of/,
    ],
    [
      "a folder it did not make",
      (d: string) => fs.mkdirSync(path.join(d, "notes")),
      /holds notes\/, which the earlier render there did not write/,
    ],
    [
      "a symbolic link",
      (d: string) => fs.symlinkSync("/etc/hostname", path.join(d, "link")),
      /holds link, which the earlier render there did not write/,
    ],
    [
      "an edited manifest",
      (d: string) => write(path.join(d, MANIFEST), "{}"),
      /\.observability-stack-render\.json is not a manifest written by npm run render.*Fix: /,
    ],
  ])("refuses an earlier render holding %s, and names it", (label, change, message) => {
    const copy = path.join(dir, `copy-${label.replace(/\W+/g, "-")}`);
    fs.cpSync(earlier, copy, { recursive: true, verbatimSymlinks: true });
    change(copy);
    expectRefused(dir, path.basename(copy), message, copy);
  });
});

describe("npm run render cleans up after a killed render (issue 12, item 14)", () => {
  const MARKER = ".observability-stack-render-tmp";

  /** The pid of a process that has exited: a marker with it belongs to a render that is gone. */
  function deadPid(): number {
    const r = spawnSync(process.execPath, ["-e", ""]);
    return r.pid as number;
  }

  function marker(pid: number, host = os.hostname()): string {
    return `${JSON.stringify({ host, pid, tool: "observability-stack render" })}\n`;
  }

  it("removes only the temp folders it can prove a dead render left", () => {
    const dir = fs.mkdtempSync(path.join(tmp, "stale-"));
    const earlier = path.join(dir, "seed");
    expect(render(dir, ["--out", "seed"]).status).toBe(0);
    const temp = (name: string) => path.join(dir, name);
    // Left by a killed render: its prefix, its marker, a process that is gone; and the earlier output
    // it had moved aside (every file matches its manifest).
    write(path.join(temp(".out.render-Ab12Cd"), MARKER), marker(deadPid()));
    write(path.join(temp(".out.render-Ab12Cd"), "collector", "config.yaml"), "partial");
    fs.cpSync(earlier, temp(".out.render-Ef34Gh.old"), { recursive: true });
    // Not provably ours, or still in use: kept.
    const kept = [
      [".out.render-NoMark", "data.txt", "user data"],
      [".out.render-Live01", MARKER, marker(process.pid)],
      [".out.render-Other1", MARKER, marker(deadPid(), "another-host")],
      [".out.render-BadMrk", MARKER, "not a marker"],
      [".other.render-Ab12Cd", MARKER, marker(deadPid())],
      [".out.render-Zz99Yy.old", "METRICS.md", "no manifest"],
    ] as const;
    for (const [folder, file, content] of kept) write(path.join(temp(folder), file), content);
    fs.cpSync(earlier, temp(".out.render-Mod000.old"), { recursive: true });
    fs.appendFileSync(path.join(temp(".out.render-Mod000.old"), "METRICS.md"), "changed\n");

    const r = render(dir, ["--out", "out"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `render: removed ${temp(".out.render-Ab12Cd")}, left by a render that was killed\n`,
    );
    expect(r.stdout).toContain(
      `render: removed ${temp(".out.render-Ef34Gh.old")}, left by a render that was killed\n`,
    );
    expect(fs.readdirSync(dir).sort()).toEqual(
      ["out", "seed", ".out.render-Mod000.old", ...kept.map(([folder]) => folder)].sort(),
    );
    for (const [folder, file, content] of kept) {
      expect(fs.readFileSync(path.join(temp(folder), file), "utf8")).toBe(content);
    }
    // The marker does not end up in the output.
    expect(fs.existsSync(path.join(dir, "out", MARKER))).toBe(false);
  });
});
