// The e2e's panel-value evaluator, on hand-computed cases: if it were wrong, the e2e would compare the
// panels with wrong expectations.
import { defineMetrics } from "../../definitions";
import type { LedgerFile } from "../../examples/ledger";
import { evaluate, histogramQuantile, truthFromLedgers, type RawSeries, type TruthSeries } from "./values";

const cat = defineMetrics({
  name: "shop",
  groups: { g: { title: "G" } },
  metrics: {
    orders: {
      name: "shop.orders",
      kind: "counter",
      unit: "{order}",
      description: "Orders.",
      group: "g",
      attributes: { "order.status": { values: ["ok", "failed"] } },
    },
    hitRatio: { name: "shop.cache.hit_ratio", kind: "gauge", unit: "1", description: "Hits.", group: "g" },
    latency: {
      name: "shop.latency",
      kind: "histogram",
      unit: "s",
      description: "Latency.",
      group: "g",
      buckets: [0.1, 0.5, 1],
    },
  },
});

const ledger = (instanceId: string, series: LedgerFile["series"]): LedgerFile => ({
  serviceName: "shop",
  instanceId,
  startedAt: 0,
  endedAt: 0,
  uptimeAtExit: 0,
  series,
});

describe("truthFromLedgers", () => {
  const ledgers = [
    ledger("a", [
      {
        key: "orders",
        attributes: { "order.status": "ok" },
        entries: [
          [1000, 2],
          [1500, 3],
          [2500, 5],
        ],
      },
      {
        key: "hitRatio",
        attributes: {},
        entries: [
          [1000, 0.5],
          [2100, 0.9],
        ],
      },
      {
        key: "latency",
        attributes: {},
        entries: [
          [900, 0.05],
          [1100, 0.7],
          [1900, 3],
        ],
      },
    ]),
  ];
  const stored: RawSeries[] = [
    {
      metric: { __name__: "shop_orders_total", instance: "a", order_status: "ok" },
      timestamps: [1200, 2000, 3000],
      values: [9, 9, 9],
    },
    { metric: { __name__: "shop_cache_hit_ratio", instance: "a" }, timestamps: [2000, 3000], values: [0, 0] },
    {
      metric: { __name__: "shop_latency_seconds_bucket", instance: "a", le: "0.5" },
      timestamps: [1000, 2000],
      values: [0, 0],
    },
    {
      metric: { __name__: "shop_latency_seconds_bucket", instance: "a", le: "+Inf" },
      timestamps: [1000, 2000],
      values: [0, 0],
    },
    { metric: { __name__: "shop_latency_seconds_sum", instance: "a" }, timestamps: [2000], values: [0] },
    {
      metric: { __name__: "shop_orders_total", instance: "b", order_status: "ok" },
      timestamps: [2000],
      values: [1],
    },
  ];
  const truth = truthFromLedgers(cat, ledgers, stored);

  it("gives each stored sample the ledger's value at its time, not the stored value", () => {
    const v = (name: string, le?: string) =>
      truth.series.find((s) => s.labels.__name__ === name && s.labels.le === le)?.values;
    expect(v("shop_orders_total")).toEqual([2, 5, 10]);
    expect(v("shop_cache_hit_ratio")).toEqual([0.5, 0.9]);
    expect(v("shop_latency_seconds_bucket", "0.5")).toEqual([1, 1]);
    expect(v("shop_latency_seconds_bucket", "+Inf")).toEqual([1, 3]);
    expect(v("shop_latency_seconds_sum")).toEqual([3.75]);
  });

  it("reports stored series no ledger recorded, and recorded series never stored", () => {
    expect(truth.unexplained).toEqual(['shop_orders_total{instance="b",order_status="ok"}']);
    expect(truthFromLedgers(cat, ledgers, stored.slice(1)).lost).toEqual([
      JSON.stringify(["orders", "a", "ok"]),
    ]);
  });
});

describe("evaluate", () => {
  const s = (labels: Record<string, string>, timestamps: number[], values: number[]): TruthSeries => ({
    labels,
    timestamps,
    values,
  });
  const series = [
    s({ __name__: "shop_orders_total", instance: "a", order_status: "ok" }, [0, 10_000], [0, 90]),
    s({ __name__: "shop_orders_total", instance: "a", order_status: "failed" }, [0, 10_000], [0, 10]),
    s({ __name__: "shop_orders_total", instance: "b", order_status: "ok" }, [0, 5_000, 10_000], [0, 50, 20]),
    s({ __name__: "shop_orders_total", instance: "b", order_status: "failed" }, [10_000], [5]),
    s({ __name__: "shop_cache_hit_ratio", instance: "a" }, [0, 10_000], [0.2, 0.85]),
    s({ __name__: "shop_cache_hit_ratio", instance: "b" }, [0, 10_000], [0.1, 0.65]),
  ];
  const one = (v: ReturnType<typeof evaluate>) => [...v.values()].map((x) => x.value);

  it("rates are (last - first) / seconds, with counter resets, and need two samples", () => {
    // a: 9/s + 1/s; b: (50 + 20) / 10 s = 7/s (a reset at 10 s); b's failed series has one sample.
    expect(one(evaluate({ op: "rate", catalogue: "shop", metric: "orders" }, cat, series))).toEqual([17]);
    const byInstance = evaluate(
      { op: "rate", catalogue: "shop", metric: "orders", by: ["instance"] },
      cat,
      series,
    );
    expect(Object.fromEntries([...byInstance.values()].map((x) => [x.labels.instance, x.value]))).toEqual({
      a: 10,
      b: 7,
    });
  });

  it("a ratio of rates, and a gauge averaged rather than summed", () => {
    const failed = {
      op: "rate",
      catalogue: "shop",
      metric: "orders",
      filters: [{ label: "order_status", values: ["failed"] }],
    } as const;
    const all = { op: "rate", catalogue: "shop", metric: "orders" } as const;
    expect(one(evaluate({ op: "ratio", numerator: [failed], denominator: [all] }, cat, series))).toEqual([
      1 / 17,
    ]);
    const avg = evaluate(
      { op: "value", catalogue: "shop", metric: "hitRatio", aggregation: "avg" },
      cat,
      series,
    );
    expect(one(avg)[0]).toBeCloseTo(0.75, 12);
  });

  it("maxShare takes the largest in-use share per instance", () => {
    const m = {
      op: "maxShare",
      catalogue: "shop",
      metric: "orders",
      label: "order_status",
      inUse: ["failed"],
    } as const;
    // a: 1 / 10; b: its failed series has no rate, so 0 / 7.
    expect(one(evaluate(m, cat, series))).toEqual([0.1]);
  });

  it("histogram_quantile interpolates as Prometheus does", () => {
    const b: [number, number][] = [
      [0.1, 10],
      [0.5, 30],
      [1, 40],
      [Infinity, 50],
    ];
    expect(histogramQuantile(0.5, b)).toBeCloseTo(0.1 + 0.4 * (15 / 20), 12);
    expect(histogramQuantile(0.2, b)).toBeCloseTo(0.1, 12);
    // In the first bucket: from 0.
    expect(histogramQuantile(0.1, b)).toBeCloseTo(0.05, 12);
    // In the +Inf bucket: the highest finite bound.
    expect(histogramQuantile(0.99, b)).toBe(1);
  });
});
