// The fast-path storages' bound handles, at the storage level: what a handle keeps from `bind`, when it
// claims its series, that it resolves its attribute set once, and that it keeps recording into the
// right place when the storage grows. The behaviour seen through `createMetrics` is in bound.test.ts.
import type { Attributes } from "@opentelemetry/api";
import type { HistogramMetricData, SumMetricData, GaugeMetricData } from "@opentelemetry/sdk-metrics";
import { defineMetrics } from "../definitions";
import { AttributeIndex } from "./attributes";
import { FastGauge, FastHistogram, FastSum, MAX_SUM, snapshotAttributes } from "./fast";
import { Reporter } from "./report";

const catalogue = defineMetrics({
  name: "fast",
  groups: { g: { title: "G" } },
  metrics: {
    hits: {
      name: "fast.hits",
      kind: "counter",
      unit: "{hit}",
      description: "Hits.",
      group: "g",
      attributes: { route: { maxValues: 40 }, method: { values: ["GET", "POST"], optional: true } },
    },
    balance: { name: "fast.balance", kind: "upDownCounter", unit: "{unit}", description: "B.", group: "g" },
    level: {
      name: "fast.level",
      kind: "gauge",
      unit: "{unit}",
      description: "Level.",
      group: "g",
      attributes: { tank: { values: ["a", "b"] } },
    },
    sizes: {
      name: "fast.sizes",
      kind: "histogram",
      unit: "By",
      description: "Sizes.",
      group: "g",
      buckets: [10, 100, 1000],
      attributes: { route: { maxValues: 40 } },
    },
  },
});
const NOW: [number, number] = [1, 0];

const sumPoints = (s: FastSum) =>
  (s.collect(NOW) as SumMetricData | undefined)?.dataPoints.map((p) => [p.attributes, p.value]);

describe("snapshotAttributes", () => {
  it("copies own and inherited enumerable properties (the walk resolve does) into a frozen object", () => {
    const original: Record<string, unknown> = Object.create({ inherited: "yes" }) as Record<string, unknown>;
    original.route = "/a";
    const copy = snapshotAttributes(original)!;
    expect(copy).not.toBe(original);
    expect(Object.isFrozen(copy)).toBe(true);
    expect({ ...copy }).toEqual({ inherited: "yes", route: "/a" });
    original.route = "/b";
    expect(copy.route).toBe("/a");
  });

  it("keeps primitives, null and undefined as they are (untyped code), and never throws", () => {
    for (const v of [undefined, null, "GET", 42, true]) expect(snapshotAttributes(v)).toBe(v);
    const throwing = {
      get route(): string {
        throw new Error("boom");
      },
    };
    // Kept itself: it then fails, reported, at each recording, as the unbound call does.
    expect(snapshotAttributes(throwing)).toBe(throwing);
  });
});

describe("BoundSum", () => {
  it("claims its series at the first recording, not at bind, and resolves its set once", () => {
    const storage = new FastSum(catalogue.byKey.hits, new Reporter());
    const resolve = jest.spyOn(AttributeIndex.prototype, "resolve");
    try {
      const h = storage.bind({ route: "/a", method: "GET" });
      expect(storage.seriesCount).toBe(0);
      expect(storage.collect(NOW)).toBeUndefined();
      for (let i = 0; i < 5; i++) h.add(2);
      expect(resolve).toHaveBeenCalledTimes(1);
    } finally {
      resolve.mockRestore();
    }
    expect(sumPoints(storage)).toEqual([[{ route: "/a", method: "GET" }, 10]]);
  });

  it("shares a series with the unbound call and with other handles of the same set", () => {
    const storage = new FastSum(catalogue.byKey.hits, new Reporter());
    const a = storage.bind({ route: "/a" });
    storage.add(1, { route: "/b" });
    a.add(1);
    storage.add(1, { route: "/a" });
    storage.bind({ route: "/a" }).add(1);
    expect(sumPoints(storage)).toEqual([
      [{ route: "/b" }, 1],
      [{ route: "/a" }, 3],
    ]);
  });

  it("stays valid across collections (cumulative)", () => {
    const storage = new FastSum(catalogue.byKey.balance, new Reporter());
    const h = storage.bind();
    h.add(5);
    expect(sumPoints(storage)).toEqual([[{}, 5]]);
    h.add(-7);
    expect(sumPoints(storage)).toEqual([[{}, -2]]);
  });

  it("does not cache a refused set: every recording is dropped and counted", () => {
    const reporter = new Reporter();
    const storage = new FastSum(catalogue.byKey.hits, reporter);
    const h = storage.bind({ route: "/a", method: "PUT" } as unknown as Attributes);
    for (let i = 0; i < 3; i++) h.add(1);
    expect(reporter.dropped).toBe(3);
    expect(storage.seriesCount).toBe(0);
  });

  it("refuses bad values and out-of-range sums without throwing, the series unchanged", () => {
    const reporter = new Reporter();
    const storage = new FastSum(catalogue.byKey.hits, reporter);
    const h = storage.bind({ route: "/a" });
    h.add(1);
    for (const v of [NaN, -1, Infinity, "2", undefined, MAX_SUM * 2]) {
      expect(() => h.add(v as number)).not.toThrow();
    }
    const big = storage.bind({ route: "/b" });
    big.add(MAX_SUM);
    big.add(MAX_SUM); // the sum would leave the range
    expect(reporter.dropped).toBe(7);
    expect(sumPoints(storage)).toEqual([
      [{ route: "/a" }, 1],
      [{ route: "/b" }, MAX_SUM],
    ]);
  });

  it("reports an exception from the attribute object at each recording instead of throwing", () => {
    const reporter = new Reporter();
    const storage = new FastSum(catalogue.byKey.hits, reporter);
    const h = storage.bind({
      get route(): string {
        throw new Error("boom");
      },
    } as unknown as Attributes);
    expect(() => {
      h.add(1);
      h.add(1);
    }).not.toThrow();
    expect(reporter.dropped).toBe(2);
  });
});

describe("BoundGauge", () => {
  it("keeps the last value of its series; refuses non-finite values", () => {
    const reporter = new Reporter();
    const storage = new FastGauge(catalogue.byKey.level, reporter);
    const a = storage.bind({ tank: "a" });
    a.record(3);
    storage.record(4, { tank: "b" });
    a.record(-2);
    a.record(NaN);
    expect(reporter.dropped).toBe(1);
    expect((storage.collect(NOW) as GaugeMetricData).dataPoints.map((p) => [p.attributes, p.value])).toEqual([
      [{ tank: "a" }, -2],
      [{ tank: "b" }, 4],
    ]);
  });
});

describe("BoundHistogram", () => {
  it("counts into inclusive upper bounds, with count, sum, min and max", () => {
    const storage = new FastHistogram(catalogue.byKey.sizes, new Reporter());
    const h = storage.bind({ route: "/a" });
    for (const v of [0, 10, 10.5, 100, 1000, 1001]) h.record(v);
    const [p] = (storage.collect(NOW) as HistogramMetricData).dataPoints;
    expect(p!.value).toEqual({
      count: 6,
      sum: 2121.5,
      min: 0,
      max: 1001,
      buckets: { boundaries: [10, 100, 1000], counts: [2, 2, 1, 1] },
    });
  });

  it("keeps recording into its own row after the rows grow for new series", () => {
    const storage = new FastHistogram(catalogue.byKey.sizes, new Reporter());
    const first = storage.bind({ route: "/0" });
    first.record(5);
    // New series reallocate the rows; the handle must not hold on to the old array.
    for (let i = 1; i < 30; i++) storage.bind({ route: `/${i}` }).record(500);
    first.record(50);
    const points = (storage.collect(NOW) as HistogramMetricData).dataPoints;
    expect(points).toHaveLength(30);
    expect(points[0]!.attributes).toEqual({ route: "/0" });
    expect(points[0]!.value).toMatchObject({ count: 2, sum: 55, buckets: { counts: [1, 1, 0, 0] } });
    expect(points.slice(1).every((p) => p.value.count === 1 && p.value.sum === 500)).toBe(true);
  });
});
