// The published entry point must load from the built package by name, work, and not load Pulumi: apps
// install this package for its instruments. Runs against dist/ (`npm test` builds first).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.join(__dirname, "..");

describe("observability-stack/instrumentation", () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(root, "dist/instrumentation/index.js"))) {
      throw new Error("dist/ is missing: run `npm run build` (npm test does it first)");
    }
  });

  it("loads by package name, records through the no-op mode, and pulls in no @pulumi module", () => {
    const script = `
      const { createMetrics } = require("observability-stack/instrumentation");
      const { scotty } = require("observability-stack/definitions");
      const m = createMetrics(scotty, { disabled: true });
      m.logStreamErrors.add(1, { "error.type": "timeout" });
      m.track("tasksActive", { duration: "taskDuration" }).end({ "task.status": "succeeded" });
      const keys = Object.keys(require("observability-stack/instrumentation")).sort();
      const pulumi = Object.keys(require.cache).filter((k) => k.includes("/@pulumi/") || k.includes("/@pulumiverse/"));
      m.shutdown().then(() => process.stdout.write(JSON.stringify({ keys, pulumi, enabled: m.enabled })));`;
    const out = JSON.parse(
      execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" }),
    ) as {
      keys: string[];
      pulumi: string[];
      enabled: boolean;
    };
    expect(out.keys).toEqual(
      expect.arrayContaining(["createMetrics", "MetricsConfigError", "resolveExportConfig"]),
    );
    expect(out.pulumi).toEqual([]);
    expect(out.enabled).toBe(false);
  });

  it("ships .d.ts files", () => {
    expect(fs.existsSync(path.join(root, "dist/instrumentation/index.d.ts"))).toBe(true);
  });
});
