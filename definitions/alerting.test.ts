// defineAlerting: each objective and alert shape, each validation error (message names the objective
// or alert and the fix), and the compile-time checks (ts-jest type-checks this file, so an unused
// expect-error directive fails the suite).
import { defineAlerting, durationSeconds, goFloatString, hasAlerting } from "./alerting";
import type { AlertingSpec } from "./alerting";
import { defineMetrics } from "./define";
import { scottyAlerting } from "./scotty-alerting";
import { scotty } from "./scotty";
import { DefinitionError } from "./validate";

const shop = defineMetrics({
  name: "shop",
  groups: { main: { title: "Main" } },
  metrics: {
    orders: {
      name: "shop.orders",
      kind: "counter",
      unit: "{order}",
      description: "Orders, by outcome.",
      group: "main",
      attributes: {
        outcome: { values: ["ok", "rejected", "error"], failure: ["error"] },
        region: { values: ["eu", "us"] },
      },
    },
    payments: {
      name: "shop.payments",
      kind: "counter",
      unit: "{payment}",
      description: "Payments tried.",
      group: "main",
      attributes: { region: { values: ["eu", "us"] } },
    },
    paymentErrors: {
      name: "shop.payment.errors",
      kind: "counter",
      unit: "{error}",
      description: "Payments that failed.",
      group: "main",
      attributes: { region: { values: ["eu", "us"] } },
      failuresOf: "payments",
    },
    checkoutDuration: {
      name: "shop.checkout.duration",
      kind: "histogram",
      unit: "s",
      description: "Checkout time.",
      group: "main",
      buckets: [0.1, 0.25, 0.5, 1, 5],
      attributes: { region: { values: ["eu", "us"] } },
    },
    queue: {
      name: "shop.queue.length",
      kind: "gauge",
      unit: "{order}",
      description: "Orders waiting.",
      group: "main",
      aggregation: "max",
    },
    memory: {
      name: "shop.memory.usage",
      kind: "gauge",
      unit: "By",
      description: "Memory.",
      group: "main",
      attributes: { type: { values: ["rss", "heap"], partition: true, headline: "rss" } },
    },
  },
});

type Shop = (typeof shop)["metrics"];

/** The problems of a defineAlerting call that must fail. */
function problemsOf(spec: AlertingSpec<Shop>): readonly string[] {
  try {
    defineAlerting(shop, spec);
  } catch (e) {
    expect(e).toBeInstanceOf(DefinitionError);
    return (e as DefinitionError).problems;
  }
  throw new Error("defineAlerting accepted the spec");
}

const base = { target: 99.5, window: "30d" } as const;
const alertBase = { for: "5m", severity: "ticket", summary: "Something." } as const;

describe("objectives", () => {
  it("availability from a counter's declared failure values", () => {
    const c = defineAlerting(shop, {
      objectives: { ordersOk: { sli: "availability", metric: "orders", ...base } },
    });
    const [o] = c.alerting.objectives;
    expect(o).toMatchObject({
      key: "ordersOk",
      title: "Orders ok",
      target: 99.5,
      errorBudget: 0.005,
      window: "30d",
      windowSeconds: 2_592_000,
      sli: {
        kind: "availability",
        totalSeries: "shop_orders_total",
        where: [],
        failure: { kind: "values", match: { key: "outcome", label: "outcome", values: ["error"] } },
      },
    });
  });

  it("availability with failure values given, a where filter and the default window", () => {
    const c = defineAlerting(shop, {
      objectives: {
        eu: {
          sli: "availability",
          metric: "orders",
          target: 99.9,
          failure: { outcome: ["error", "rejected"] },
          where: { region: ["eu"] },
        },
      },
    });
    const o = c.alerting.objectives[0];
    expect(o?.window).toBe("30d");
    expect(o?.errorBudget).toBe(0.001);
    expect(o?.sli).toMatchObject({
      failure: { kind: "values", match: { key: "outcome", values: ["error", "rejected"] } },
      where: [{ key: "region", label: "region", values: ["eu"] }],
    });
  });

  it("availability from a paired error counter", () => {
    const c = defineAlerting(shop, {
      objectives: {
        pay: { sli: "availability", metric: "payments", errors: "paymentErrors", ...base, window: "4w" },
      },
    });
    expect(c.alerting.objectives[0]?.window).toBe("28d");
    expect(c.alerting.objectives[0]?.sli).toMatchObject({
      totalSeries: "shop_payments_total",
      failure: { kind: "counter", series: "shop_payment_errors_total" },
    });
  });

  it("availability of a histogram counts its _count series", () => {
    const c = defineAlerting(shop, {
      objectives: {
        checkout: { sli: "availability", metric: "checkoutDuration", failure: { region: ["us"] }, ...base },
      },
    });
    expect(c.alerting.objectives[0]?.sli).toMatchObject({
      totalSeries: "shop_checkout_duration_seconds_count",
    });
  });

  it("latency at a bucket boundary, with the le the collector writes", () => {
    const c = defineAlerting(shop, {
      objectives: { fast: { sli: "latency", metric: "checkoutDuration", threshold: 0.25, ...base } },
    });
    expect(c.alerting.objectives[0]?.sli).toMatchObject({
      kind: "latency",
      bucketSeries: "shop_checkout_duration_seconds_bucket",
      countSeries: "shop_checkout_duration_seconds_count",
      threshold: 0.25,
      le: "0.25",
    });
  });

  it("a latency threshold off the buckets names the metric and the nearest boundaries", () => {
    const [p] = problemsOf({
      objectives: { fast: { sli: "latency", metric: "checkoutDuration", threshold: 0.3, ...base } },
    });
    expect(p).toBe(
      'objective "fast": threshold 0.3 is not a bucket boundary of histogram "shop.checkout.duration" (key checkoutDuration); ' +
        "only a boundary can be selected with le. The nearest are 0.25 and 0.5. Fix: use one of 0.1, 0.25, 0.5, 1, 5, or add 0.3 to its buckets.",
    );
    const [beyond] = problemsOf({
      objectives: { fast: { sli: "latency", metric: "checkoutDuration", threshold: 10, ...base } },
    });
    expect(beyond).toContain("The nearest are 5.");
  });

  it.each([
    [
      { sli: "availability", metric: "queue", ...base },
      'metric "queue" is a gauge, but this needs a counter or histogram',
    ],
    [
      { sli: "latency", metric: "orders", threshold: 1, ...base },
      'metric "orders" is a counter, but this needs a histogram',
    ],
    [
      { sli: "availability", metric: "nope", ...base },
      'metric "nope" is not a metric key of catalogue "shop"',
    ],
    [
      { sli: "availability", metric: "payments", ...base },
      'Fix: errors: "paymentErrors" (its paired error counter)',
    ],
    [
      { sli: "availability", metric: "orders", failure: { outcome: ["eror"] }, ...base },
      '"eror", not a declared value of attribute "outcome"',
    ],
    [
      { sli: "availability", metric: "orders", failure: { colour: ["red"] }, ...base },
      'names attribute "colour", which metric "shop.orders"',
    ],
    [
      { sli: "availability", metric: "orders", failure: { outcome: ["error"], region: ["us"] }, ...base },
      "failure is read from 2 attributes",
    ],
    [
      { sli: "availability", metric: "orders", where: { outcome: ["ok"] }, ...base },
      'where and failure both select attribute "outcome"',
    ],
    [
      {
        sli: "availability",
        metric: "payments",
        errors: "paymentErrors",
        failure: { region: ["eu"] },
        ...base,
      },
      "either errors",
    ],
    [
      { sli: "availability", metric: "payments", errors: "payments", ...base },
      'errors "payments" is the metric itself',
    ],
    [
      { sli: "availability", metric: "orders", errors: "paymentErrors", where: { outcome: ["ok"] }, ...base },
      "does not have, so good and bad",
    ],
    [
      { sli: "availability", metric: "orders", target: 100 },
      "target 100 must be a percentage above 0 and below 100",
    ],
    [
      { sli: "availability", metric: "orders", target: 90 },
      "could never fire. Fix: a target of at least 93.06",
    ],
    [{ sli: "availability", metric: "orders", target: 99, window: "6h" }, 'window "6h" is shorter than 1d'],
    [
      { sli: "availability", metric: "orders", target: 99, window: "30 days" },
      'window "30 days" is not a duration',
    ],
    [
      { sli: "availability", metric: "orders", target: 99, runbookUrl: "wiki/orders" },
      'runbookUrl "wiki/orders" is not an http(s) URL',
    ],
    [{ sli: "availability", metric: "orders", target: 99, title: " " }, "title must be a non-empty string"],
    [{ sli: "quality", metric: "orders", target: 99 }, 'sli "quality" is not "availability" or "latency"'],
  ])("rejects %j", (objective, message) => {
    const problems = problemsOf({ objectives: { o: objective as never } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('objective "o": ');
    expect(problems[0]).toContain(message);
  });

  it("rejects a key that cannot be a label value or uid", () => {
    expect(
      problemsOf({ objectives: { "1 bad": { sli: "availability", metric: "orders", ...base } } })[0],
    ).toContain('objective "1 bad": the key must start with a letter');
  });

  it("lists every problem at once, in the catalogue's DefinitionError", () => {
    expect(() =>
      defineAlerting(shop, {
        objectives: { a: { sli: "availability", metric: "orders", target: 0 } },
        alerts: { B: { metric: "queue", above: 1, ...alertBase, severity: "urgent" as never } },
      }),
    ).toThrow(
      /^Invalid metric catalogue "shop" \(2 problems\):\n {2}- objective "a": target 0[^\n]*\n {2}- alert "B": severity "urgent"/,
    );
  });
});

describe("alerts", () => {
  it("the default measure: rate for counters and histograms, value for gauges", () => {
    const c = defineAlerting(shop, {
      alerts: {
        OrdersHigh: { metric: "orders", above: 10, ...alertBase },
        CheckoutsLow: { metric: "checkoutDuration", below: 0.1, ...alertBase },
        QueueLong: { metric: "queue", above: 100, ...alertBase, for: "10m", severity: "page" },
      },
    });
    expect(
      c.alerting.alerts.map((a) => [a.name, a.measure, a.comparison, a.threshold, a.window, a.for]),
    ).toEqual([
      ["OrdersHigh", "rate", ">", 10, "5m", "5m"],
      ["CheckoutsLow", "rate", "<", 0.1, "5m", "5m"],
      ["QueueLong", "value", ">", 100, "5m", "10m"],
    ]);
    expect(c.alerting.alerts[2]).toMatchObject({ aggregation: "max", severity: "page" });
  });

  it("errorRatio reads failure values and paired error counters; by and where resolve to labels", () => {
    const c = defineAlerting(shop, {
      alerts: {
        OrderErrors: { metric: "orders", measure: "errorRatio", above: 0.05, by: ["region"], ...alertBase },
        PaymentErrors: {
          metric: "payments",
          measure: "errorRatio",
          above: 0.1,
          where: { region: ["eu"] },
          ...alertBase,
        },
        CheckoutSlow: {
          metric: "checkoutDuration",
          measure: "p99",
          above: 2,
          window: "15m",
          ...alertBase,
          for: "0s",
        },
      },
    });
    const [orders, payments, slow] = c.alerting.alerts;
    expect(orders?.by).toEqual(["region"]);
    expect(orders?.failures).toMatchObject({ values: [{ key: "outcome", values: ["error"] }], counters: [] });
    expect(payments?.failures?.counters.map((x) => x.series)).toEqual(["shop_payment_errors_total"]);
    expect(payments?.where).toEqual([{ key: "region", label: "region", values: ["eu"] }]);
    expect(slow).toMatchObject({ measure: "p99", window: "15m", for: "0s", forSeconds: 0 });
  });

  it.each([
    [{ metric: "orders", ...alertBase }, "give exactly one of above and below"],
    [{ metric: "orders", above: 1, below: 0, ...alertBase }, "give exactly one of above and below"],
    [{ metric: "orders", above: Number.NaN, ...alertBase }, "above must be a finite number"],
    [
      { metric: "queue", measure: "rate", above: 1, ...alertBase },
      'measure "rate" does not apply to gauge "shop.queue.length"',
    ],
    [{ metric: "queue", measure: "errorRatio", above: 1, ...alertBase }, "Fix: use one of value"],
    [
      { metric: "paymentErrors", measure: "errorRatio", above: 0.1, ...alertBase },
      "measure errorRatio needs failures",
    ],
    [{ metric: "memory", above: 1e9, ...alertBase }, 'would combine the values of its partition "type"'],
    [{ metric: "orders", above: 1, by: ["colour"], ...alertBase }, 'by names attribute "colour"'],
    [
      { metric: "orders", above: 1, where: { region: ["mars"] }, ...alertBase },
      '"mars", not a declared value',
    ],
    [{ metric: "orders", above: 1, ...alertBase, for: "5 min" }, 'for "5 min" is not a duration'],
    [{ metric: "orders", above: 1, ...alertBase, window: "0m" }, 'window "0m" is empty'],
    [{ metric: "orders", above: 1, ...alertBase, summary: "" }, "summary must be a non-empty string"],
    [{ metric: "orders", above: 1, ...alertBase, runbookUrl: "ftp://x" }, "is not an http(s) URL"],
    [
      { metric: "nope", above: 1, ...alertBase },
      'metric "nope" is not a metric key of catalogue "shop". Fix: use one of its counter',
    ],
  ])("rejects %j", (alert, message) => {
    const problems = problemsOf({ alerts: { A: alert as never } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('alert "A": ');
    expect(problems[0]).toContain(message);
  });

  it("a partitioned gauge is fine split by or pinned to its partition", () => {
    const c = defineAlerting(shop, {
      alerts: {
        MemoryHigh: { metric: "memory", above: 1e9, by: ["type"], ...alertBase },
        RssHigh: { metric: "memory", above: 1e9, where: { type: ["rss"] }, ...alertBase },
      },
    });
    expect(c.alerting.alerts).toHaveLength(2);
  });

  it("rejects an alert name that is not an identifier", () => {
    expect(
      problemsOf({ alerts: { "orders-high": { metric: "orders", above: 1, ...alertBase } } })[0],
    ).toContain('alert "orders-high": the name must start with a letter');
  });
});

describe("the alerting catalogue", () => {
  it("is the catalogue plus alerting, frozen, and leaves the original alone", () => {
    const c = defineAlerting(shop, {
      objectives: { ok: { sli: "availability", metric: "orders", ...base } },
    });
    expect(c.name).toBe("shop");
    expect(c.list).toBe(shop.list);
    expect(c.byKey.orders).toBe(shop.byKey.orders);
    expect(hasAlerting(c)).toBe(true);
    expect(hasAlerting(shop)).toBe(false);
    expect(Object.isFrozen(c.alerting.objectives[0]?.sli)).toBe(true);
    expect(() => defineAlerting(c, {})).toThrow("defineAlerting was already applied");
  });

  it("refuses what is not a catalogue", () => {
    expect(() => defineAlerting({} as never, {})).toThrow(
      "defineAlerting: the first argument is not a catalogue",
    );
  });

  it("scotty: task availability from task.status failed, task latency at 30 s, two plain alerts", () => {
    expect(scottyAlerting.list).toBe(scotty.list);
    expect(
      scottyAlerting.alerting.objectives.map((o) => [
        o.key,
        o.sli.kind,
        o.target,
        o.window,
        o.sli.metric.key,
      ]),
    ).toEqual([
      ["tasksAvailability", "availability", 99.5, "30d", "tasks"],
      ["taskLatency", "latency", 99, "30d", "taskDuration"],
    ]);
    expect(scottyAlerting.alerting.objectives[0]?.sli).toMatchObject({
      failure: { kind: "values", match: { label: "task_status", values: ["failed"] } },
    });
    expect(scottyAlerting.alerting.objectives[1]?.sli).toMatchObject({ le: "30" });
    expect(scottyAlerting.alerting.alerts.map((a) => a.name)).toEqual([
      "TaskDurationP99High",
      "TaskOutputBufferHigh",
    ]);
  });
});

describe("compile-time checks", () => {
  it("rejects unknown metric keys, wrong kinds, unknown attributes and values", () => {
    const check = (spec: AlertingSpec<Shop>): AlertingSpec<Shop> => spec;
    // @ts-expect-error: "order" is not a metric key
    check({ objectives: { a: { sli: "availability", metric: "order", target: 99 } } });
    // @ts-expect-error: a gauge cannot be an availability SLI
    check({ objectives: { a: { sli: "availability", metric: "queue", target: 99 } } });
    // @ts-expect-error: a counter has no latency
    check({ objectives: { a: { sli: "latency", metric: "orders", threshold: 1, target: 99 } } });
    const failure = { outcome: ["eror"] } as const;
    // @ts-expect-error: "eror" is not a declared value of outcome
    check({ objectives: { a: { sli: "availability", metric: "orders", failure, target: 99 } } });
    // @ts-expect-error: errors must be a counter key
    check({ objectives: { a: { sli: "availability", metric: "payments", errors: "queue", target: 99 } } });
    // @ts-expect-error: a gauge has no rate
    check({ alerts: { A: { metric: "queue", measure: "rate", above: 1, ...alertBase } } });
    // @ts-expect-error: "colour" is not an attribute of orders
    check({ alerts: { A: { metric: "orders", by: ["colour"], above: 1, ...alertBase } } });
    // @ts-expect-error: above and below together
    check({ alerts: { A: { metric: "orders", above: 1, below: 2, ...alertBase } } });
    // @ts-expect-error: "urgent" is not a severity
    check({ alerts: { A: { metric: "orders", above: 1, ...alertBase, severity: "urgent" } } });
    expect(check({})).toEqual({});
  });
});

describe("helpers", () => {
  it("durationSeconds reads one-unit Prometheus durations", () => {
    expect([
      durationSeconds("30s"),
      durationSeconds("5m"),
      durationSeconds("2h"),
      durationSeconds("3d"),
      durationSeconds("4w"),
    ]).toEqual([30, 300, 7200, 259_200, 2_419_200]);
    expect([
      durationSeconds("1h30m"),
      durationSeconds("1.5h"),
      durationSeconds("05m"),
      durationSeconds(""),
    ]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("goFloatString writes le values as Go's FormatFloat(v, 'f', -1, 64)", () => {
    expect([1, 0.25, 2.5, 300, 1e-7, 1.5e-7, 1e21, 1.25e22, -2e-8].map(goFloatString)).toEqual([
      "1",
      "0.25",
      "2.5",
      "300",
      "0.0000001",
      "0.00000015",
      "1000000000000000000000",
      "12500000000000000000000",
      "-0.00000002",
    ]);
  });
});
