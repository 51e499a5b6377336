import * as fs from "node:fs";
import * as path from "node:path";
import { scotty } from "./scotty";

const GOLDEN = path.join(__dirname, "__golden__", "scotty-prometheus-names.json");

describe("the scotty catalogue", () => {
  // The reviewed names live in a golden file, so adding a metric (README "Adding a metric") is a
  // reviewed diff of that file: `npm run test:update-golden` rewrites it.
  it("has exactly the Prometheus names of the reviewed golden file, by group", () => {
    const byGroup = Object.fromEntries(
      scotty.groups.map((g) => [g.title, g.metrics.map((m) => m.prometheusName)]),
    );
    const actual = `${JSON.stringify(byGroup, null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === "1") {
      fs.mkdirSync(path.dirname(GOLDEN), { recursive: true });
      fs.writeFileSync(GOLDEN, actual);
    }
    expect(actual).toBe(fs.readFileSync(GOLDEN, "utf8"));
    // Every metric is in exactly one group: none is missing from the golden file's view.
    expect(Object.values(byGroup).flat().sort()).toEqual(scotty.list.map((m) => m.prometheusName).sort());
  });

  it("follows OTel conventions: active counts are up-down counters, no total or unit in names", () => {
    for (const m of scotty.list) {
      if (m.name.endsWith(".active")) expect(m.kind).toBe("upDownCounter");
      expect(m.name).not.toMatch(/total|_ms|seconds/);
    }
  });

  it("declares bounded attributes and buckets for every histogram", () => {
    for (const m of scotty.list) {
      for (const a of m.attributes) expect(a.values?.length).toBeGreaterThan(0);
      if (m.kind === "histogram") expect(m.buckets?.length).toBeGreaterThan(3);
    }
    expect(scotty.list.reduce((n, m) => n + m.maxSeries, 0)).toBeLessThanOrEqual(scotty.seriesBudget);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(scotty.list[0])).toBe(true);
  });
});
