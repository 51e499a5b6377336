// The pure judgement of a snapshot, and the closest-name rules, with a small catalogue of our own.
import { defineMetrics, scotty } from "../definitions";
import { analyze } from "./analyze";
import { closestMetric } from "./closest";
import type { Snapshot } from "./gather";

const shop = defineMetrics({
  name: "shop",
  groups: { orders: { title: "Orders" } },
  metrics: {
    orders: {
      name: "shop.orders",
      kind: "counter",
      unit: "{order}",
      description: "Orders placed.",
      group: "orders",
      attributes: {
        "payment.method": { values: ["card", "cash"], failure: ["cash"] },
        region: { maxValues: 2 },
      },
    },
  },
});

const job = "shop";
const order = (method: string, region: string) => ({
  __name__: "shop_orders_total",
  job,
  instance: "i",
  payment_method: method,
  region,
});

function snapshot(
  series: Snapshot["jobs"][number]["series"],
  queries: Snapshot["jobs"][number]["queries"] = [],
): Snapshot {
  return { start: 0, end: 3600, jobs: [{ job, series, queries }] };
}

describe("analyze", () => {
  it("reports more values of an open attribute than its maxValues", () => {
    const f = analyze(
      shop,
      snapshot([order("card", "eu"), order("cash", "us"), order("card", "asia")]),
      "the last 1h",
    );
    expect(f.map((x) => [x.kind, x.label, x.values])).toEqual([
      ["label-values-over-limit", "region", ["asia", "eu", "us"]],
    ]);
    expect(f[0]?.message).toContain("more than the maxValues 2");
  });

  it("ignores the pipeline's labels, otel_scope_* and the job's resource labels (from target_info)", () => {
    const f = analyze(
      shop,
      snapshot([
        { ...order("card", "eu"), otel_scope_name: "x", otel_scope_schema_url: "", service_version: "1" },
        { __name__: "target_info", job, instance: "i", service_version: "1" },
      ]),
      "the last 1h",
    );
    expect(f).toEqual([]);
  });

  it("a query empty only because a filtered value never occurred is a warning naming the filter", () => {
    const expr = 'sum(rate(shop_orders_total{job=~"shop",payment_method=~"cash"}[5m]))';
    const f = analyze(
      shop,
      snapshot(
        [order("card", "eu")],
        [{ expr, refs: [{ dashboard: "shop-orders", panel: "Errors", expr }], series: 0 }],
      ),
      "the last 1h",
    );
    expect(f.map((x) => [x.kind, x.severity, x.label])).toEqual([["query-empty", "warning", undefined]]);
    expect(f[0]?.message).toContain('no series has payment_method=~"cash"');
    expect(f[0]?.queries).toEqual([{ dashboard: "shop-orders", panel: "Errors", expr }]);
  });

  it("a query empty although its series and values exist is an error", () => {
    const expr = 'sum(rate(shop_orders_total{job=~"shop"}[5m]))';
    const f = analyze(
      shop,
      snapshot([order("card", "eu")], [{ expr, refs: [{ dashboard: "d", panel: "p", expr }], series: 0 }]),
      "the last 1h",
    );
    expect(f.map((x) => [x.kind, x.severity])).toEqual([["query-empty", "error"]]);
  });
});

describe("closestMetric", () => {
  it("finds a missing _total (a counter sent as a gauge or up-down counter)", () => {
    const c = closestMetric("shop_orders", shop.list);
    expect(c?.metric.name).toBe("shop.orders");
    expect(c?.reason).toContain("a counter's series ends in _total");
  });

  it("finds a unit mismatch among the collector's unit words", () => {
    const c = closestMetric("scotty_log_stream_duration_milliseconds_count", scotty.list);
    expect(c?.metric.name).toBe("scotty.log_stream.duration");
    expect(c?.reason).toContain('unit "ms" (_milliseconds) instead of the catalogue\'s "s" (_seconds)');
    expect(closestMetric("scotty_log_stream_bytes_kilobytes_total", scotty.list)?.metric.name).toBe(
      "scotty.log_stream.bytes",
    );
  });

  it("finds a unit written into the name, and the untranslated dotted name", () => {
    expect(closestMetric("scotty_task_duration_msec_count", scotty.list)?.reason).toContain(
      'unit word "msec"',
    );
    expect(closestMetric("scotty.task.duration", scotty.list)?.metric.name).toBe("scotty.task.duration");
  });

  it("does not guess for a name that is not a catalogue name with other suffixes", () => {
    expect(closestMetric("scotty_cache_evictions_total", scotty.list)).toBeUndefined();
    expect(closestMetric("scotty_tasks_retried_total", scotty.list)).toBeUndefined();
  });
});
