// Property-based: random recordings (declared values, open values beyond maxValues, absent attributes,
// rejected sets, collections in between) give the same export on the fast path and on the plain SDK
// path, and both match a small model of the lifetime cardinality rules; series stay bounded.
import type { MetricData } from "@opentelemetry/sdk-metrics";
import fc from "fast-check";
import type { Catalogue } from "../definitions";
import { defineMetrics } from "../definitions";
import { createMetrics } from "./create";
import { cumulativeExporter, lastExport, withCardinalityLimit } from "./test/helpers";

const OPEN_POOL = ["v0", "v1", "v2", "v3", "v4"];

const declared = defineMetrics({
  name: "prop",
  groups: { g: { title: "G" } },
  metrics: {
    requests: {
      name: "prop.requests",
      kind: "counter",
      unit: "{request}",
      description: "Requests.",
      group: "g",
      attributes: { route: { maxValues: 3 }, method: { values: ["GET", "POST"] } },
      cardinalityLimit: 12,
    },
    inFlight: {
      name: "prop.in_flight",
      kind: "upDownCounter",
      unit: "{request}",
      description: "In flight.",
      group: "g",
      attributes: { queue: { maxValues: 2 } },
    },
    depth: {
      name: "prop.depth",
      kind: "gauge",
      unit: "{job}",
      description: "Depth.",
      group: "g",
      attributes: { kind: { values: ["a", "b", "c"] } },
    },
    latency: {
      name: "prop.latency",
      kind: "histogram",
      unit: "ms",
      description: "Latency.",
      group: "g",
      buckets: [1, 10, 100],
      attributes: { route: { maxValues: 3 } },
    },
  },
});
// Limits below the attribute sets, so that the limit's overflow is exercised too.
const catalogue: Catalogue = withCardinalityLimit(
  withCardinalityLimit(declared, "requests", 6),
  "depth",
  3,
) as Catalogue;
const metrics = catalogue.list;

type Op =
  { kind: "flush" } | { kind: "record"; metric: number; choices: number[]; value: number; bad: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: "flush" as const }) },
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant("record" as const),
      metric: fc.nat({ max: metrics.length - 1 }),
      choices: fc.array(fc.nat({ max: 5 }), { minLength: 2, maxLength: 2 }),
      // Whole numbers: sums are then exact in any order (the SDK adds per-interval sums up).
      value: fc.integer({ min: -1000, max: 1000 }),
      bad: fc.nat({ max: 9 }).map((n) => n === 0),
    }),
  },
);

/** The recording an op stands for: attributes in declaration order, a bad key last when `bad`. */
function recordingOf(o: Extract<Op, { kind: "record" }>) {
  const m = metrics[o.metric]!;
  const attributes: Record<string, string> = {};
  m.attributes.forEach((a, i) => {
    const pool = a.values ?? OPEN_POOL;
    const c = o.choices[i]! % (pool.length + 1);
    if (c > 0) attributes[a.key] = pool[c - 1]!;
  });
  if (o.bad) attributes["undeclared.key"] = "x";
  const value = m.kind === "counter" || m.kind === "histogram" ? Math.abs(o.value) : o.value;
  return { m, attributes, value };
}

function run(ops: readonly Op[], fastPath: boolean) {
  const exporter = cumulativeExporter();
  const mx = createMetrics(catalogue, { exporter, fastPath, exportIntervalMillis: 3_600_000 });
  const loose = mx as unknown as Record<
    string,
    { add(v: number, a: object): void; record(v: number, a: object): void }
  >;
  return (async () => {
    for (const o of ops) {
      if (o.kind === "flush") {
        await mx.forceFlush();
        continue;
      }
      const { m, attributes, value } = recordingOf(o);
      if (m.kind === "counter" || m.kind === "upDownCounter") loose[m.key]!.add(value, attributes);
      else loose[m.key]!.record(value, attributes);
    }
    await mx.shutdown();
    const all = exporter.getMetrics();
    return all.length === 0 ? new Map<string, MetricData>() : lastExport(exporter).byName;
  })();
}

const keyOf = (attributes: object) =>
  JSON.stringify(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Points as sorted [attribute key, value] pairs (point order carries no meaning). */
function pointsOf(m: MetricData | undefined): [string, unknown][] {
  if (m === undefined) return [];
  return (m.dataPoints as { attributes: object; value: unknown }[])
    .map((p): [string, unknown] => [keyOf(p.attributes), p.value])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const OVERFLOW_KEY = keyOf({ "otel.metric.overflow": true });

/**
 * The spec's rules, written plainly: a set with an open value beyond maxValues, or a new set once
 * `limit` sets exist, is counted in the overflow series; bad sets count nowhere and use up nothing.
 * Returns the expected sums (counters), last values (gauges) and counts (histograms) per series key.
 */
function model(ops: readonly Op[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const seenValues = new Map<string, Set<string>>();
  const admitted = new Map<string, Set<string>>();
  for (const o of ops) {
    if (o.kind === "flush") continue;
    const { m, attributes, value } = recordingOf(o);
    if (o.bad) continue;
    let series = keyOf(attributes);
    const fresh: [Set<string>, string][] = [];
    let beyond = false;
    for (const a of m.attributes) {
      const v = attributes[a.key];
      if (v === undefined || a.values !== undefined) continue;
      const id = `${m.key}/${a.key}`;
      const seen = seenValues.get(id) ?? seenValues.set(id, new Set()).get(id)!;
      if (seen.has(v)) continue;
      if (seen.size + fresh.filter(([s]) => s === seen).length >= a.cardinality) beyond = true;
      else fresh.push([seen, v]);
    }
    const sets = admitted.get(m.key) ?? admitted.set(m.key, new Set()).get(m.key)!;
    if (beyond) series = OVERFLOW_KEY;
    else {
      for (const [s, v] of fresh) s.add(v);
      if (!sets.has(series)) {
        if (sets.size < m.cardinalityLimit) sets.add(series);
        else series = OVERFLOW_KEY;
      }
    }
    const values = out.get(m.name) ?? out.set(m.name, new Map()).get(m.name)!;
    const before = values.get(series) ?? 0;
    values.set(series, m.kind === "gauge" ? value : m.kind === "histogram" ? before + 1 : before + value);
  }
  return out;
}

describe("random recordings (property-based)", () => {
  jest.setTimeout(300_000);

  it("export the same on the fast path and the plain SDK path, as the model says, with bounded series", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 120 }), async (ops) => {
        const [fast, sdk] = await Promise.all([run(ops, true), run(ops, false)]);
        const expected = model(ops);
        for (const m of metrics) {
          const f = pointsOf(fast.get(m.name));
          expect(f).toEqual(pointsOf(sdk.get(m.name)));
          const want = [...(expected.get(m.name) ?? new Map<string, number>())].sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          );
          const got = f.map(([k, v]): [string, number] => [
            k,
            m.kind === "histogram" ? (v as { count: number }).count : (v as number),
          ]);
          expect(got).toEqual(want);
          const sets = m.attributes.reduce((n, a) => n * (a.cardinality + 1), 1);
          expect(f.length).toBeLessThanOrEqual(Math.min(sets, m.cardinalityLimit) + 1);
        }
      }),
      { numRuns: 60 },
    );
  });
});
