import { defineMetrics, scotty } from "../definitions";
import { cpuSampler, systemMetrics, systemShapeProblem } from "./system";

describe("system-health metrics", () => {
  it("finds scotty's memoryUsage, cpuUsage and uptime", () => {
    expect(systemMetrics(scotty).map((m) => m.key)).toEqual(["memoryUsage", "cpuUsage", "uptime"]);
  });

  it("rejects a system key whose shape does not fit, naming the metric and the fix", () => {
    const c = defineMetrics({
      name: "c",
      groups: { g: { title: "G" } },
      metrics: {
        memoryUsage: { name: "c.memory.usage", kind: "gauge", unit: "By", description: "d", group: "g" },
        cpuUsage: { name: "c.cpu.usage", kind: "gauge", unit: "%", description: "d", group: "g" },
      },
    });
    expect(systemShapeProblem(c.byKey.cpuUsage)).toBeUndefined();
    expect(systemShapeProblem(c.byKey.memoryUsage)).toMatch(
      /^metric "memoryUsage" \(c\.memory\.usage\): must be a gauge with unit "By" and one attribute "memory\.type".*rename the key/,
    );
    expect(() => systemMetrics(c)).toThrow(/catalogue "c": metric "memoryUsage"/);
  });

  it("samples CPU time as a fraction of one core since the previous sample", () => {
    let now = 0;
    const sample = cpuSampler(() => now);
    now = 200;
    const end = Date.now() + 50;
    while (Date.now() < end) Math.sqrt(Math.random()); // burn CPU for ~50 ms of the 200 "ms"
    const fraction = sample()!;
    expect(fraction).toBeGreaterThan(0.05);
    expect(fraction).toBeLessThan(2);
    expect(sample()).toBeUndefined(); // no time passed
  });
});
