import { defineMetrics, scotty } from "../definitions";
import type { Catalogue } from "../definitions";
import { cpuSampler, systemMetrics } from "./system";

describe("system-health metrics", () => {
  it("are the metrics declared observedBy (scotty's memoryUsage, cpuUsage and uptime)", () => {
    expect(systemMetrics(scotty).map((m) => [m.key, m.observedBy])).toEqual([
      ["memoryUsage", "process.memory"],
      ["cpuUsage", "process.cpu"],
      ["uptime", "process.uptime"],
    ]);
  });

  it("are never chosen by key: a catalogue without observedBy has none", () => {
    const c = defineMetrics({
      name: "c",
      groups: { g: { title: "G" } },
      metrics: {
        memoryUsage: { name: "c.memory.usage", kind: "gauge", unit: "By", description: "d", group: "g" },
        uptime: { name: "c.uptime", kind: "counter", unit: "s", description: "d", group: "g" },
      },
    });
    expect(systemMetrics(c)).toEqual([]);
  });

  it("re-checks the shape of a catalogue object not made by defineMetrics, naming the metric", () => {
    const valid = defineMetrics({
      name: "c",
      groups: { g: { title: "G" } },
      metrics: { up: { name: "c.up", kind: "counter", unit: "s", description: "d", group: "g" } },
    });
    const forged = {
      ...valid,
      list: [{ ...valid.list[0]!, observedBy: "process.cpu" as const }],
    } as Catalogue;
    expect(() => systemMetrics(forged)).toThrow(
      /catalogue "c": metric "up" \(c\.up\): observedBy "process\.cpu" needs a gauge with unit "%"/,
    );
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
