// The benchmark's synthetic catalogue (bench/render.bench.ts), also used by the render-cost tests:
// `metrics` metrics spread round-robin over `groups` groups, every kind and shape in turn.
import { defineMetrics, type Catalogue, type MetricSpec } from "../definitions";

/** A catalogue of `metrics` metrics in `groups` groups: counters, failure counters, histograms, up-down counters. */
export function benchCatalogue(metrics: number, groups: number): Catalogue {
  const groupSpecs = Object.fromEntries(
    Array.from({ length: groups }, (_, g) => [`g${g}`, { title: `Group ${g}` }]),
  );
  const specs: Record<string, MetricSpec> = {};
  for (let i = 0; i < metrics; i++) {
    const group = `g${i % groups}`;
    const base = { description: `Metric ${i}.`, group };
    switch (i % 4) {
      case 0:
        specs[`m${i}`] = {
          ...base,
          name: `bench.g${i % groups}.requests${i}`,
          kind: "counter",
          unit: "{request}",
          requests: {},
        };
        break;
      case 1:
        specs[`m${i}`] = {
          ...base,
          name: `bench.g${i % groups}.errors${i}`,
          kind: "counter",
          unit: "{error}",
          failuresOf: `m${i - 1}`,
          attributes: { reason: { values: ["a", "b", "c"] } },
        };
        break;
      case 2:
        specs[`m${i}`] = {
          ...base,
          name: `bench.g${i % groups}.duration${i}`,
          kind: "histogram",
          unit: "s",
          buckets: [0.1, 0.5, 1, 5],
        };
        break;
      default:
        specs[`m${i}`] = {
          ...base,
          name: `bench.g${i % groups}.slots${i}`,
          kind: "upDownCounter",
          unit: "{slot}",
          attributes: { state: { values: ["used", "free"], partition: true, inUse: ["used"] } },
        };
    }
  }
  return defineMetrics({ name: "bench", groups: groupSpecs, metrics: specs, seriesBudget: metrics * 10 });
}
