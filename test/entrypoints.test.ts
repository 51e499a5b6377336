// The published entry points must load from the built package by name, and apps that import them must
// not load Pulumi. Runs against dist/ (`npm test` builds first).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.join(__dirname, "..");

function loadInChild(specifier: string): { keys: string[]; pulumi: string[] } {
  const script = `
    import(${JSON.stringify(specifier)}).then((m) => {
      const pulumi = Object.keys(require.cache).filter((k) => k.includes("/@pulumi/") || k.includes("/@pulumiverse/"));
      process.stdout.write(JSON.stringify({ keys: Object.keys(m).sort(), pulumi }));
    });`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" })) as {
    keys: string[];
    pulumi: string[];
  };
}

describe("package entry points", () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(root, "dist/definitions/index.js"))) {
      throw new Error("dist/ is missing: run `npm run build` (npm test does it first)");
    }
  });

  it("observability-stack/definitions loads by package name without any @pulumi module", () => {
    const { keys, pulumi } = loadInChild("observability-stack/definitions");
    expect(keys).toEqual(
      expect.arrayContaining(["defineMetrics", "prometheusName", "labelName", "seriesNames", "scotty"]),
    );
    expect(pulumi).toEqual([]);
  });

  it("ships .d.ts files for the definitions", () => {
    expect(fs.existsSync(path.join(root, "dist/definitions/index.d.ts"))).toBe(true);
  });
});
