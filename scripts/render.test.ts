// `npm run render` as users run it: a child process, real files, real exit codes.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { scotty } from "../definitions";
import { renderFiles, renderStats } from "../render";

const ROOT = path.join(__dirname, "..");
const DEFINITIONS = path.join(ROOT, "definitions");
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
    expect(listFiles(out)).toEqual(expected.map((f) => f.path).sort());
    for (const f of expected) expect(fs.readFileSync(path.join(out, f.path), "utf8")).toBe(f.content);
    const s = renderStats(expected);
    expect(r.stdout).toBe(
      `render: ${s.files} files in out/ (${s.metrics} metrics, ${s.dashboards} dashboards, ${s.panels} panels)\n`,
    );
    // No temp folders left next to the output.
    expect(fs.readdirSync(tmp)).toEqual(["out"]);
  });

  it("replaces an earlier render as a whole (stale files go)", () => {
    const out = path.join(tmp, "again");
    expect(render(tmp, ["--out", "again"]).status).toBe(0);
    fs.writeFileSync(path.join(out, "grafana", "dashboards", "stale.json"), "{}");
    const r = render(tmp, ["--out=again"]);
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(out, "grafana", "dashboards", "stale.json"))).toBe(false);
    expect(listFiles(out)).toEqual(
      renderFiles(scotty)
        .map((f) => f.path)
        .sort(),
    );
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
