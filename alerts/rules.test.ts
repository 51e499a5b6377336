import { parse } from "yaml";
import { defineAlerting, defineMetrics, hostmetrics, otelcol, scottyAlerting } from "../definitions";
import type { AlertingCatalogue } from "../definitions";
import { BUILTIN_ALERT_NAMES } from "./builtin";
import type { AlertingRule, RecordingRule, RuleGroup } from "./model";
import {
  BUDGET_REMAINING_RECORD,
  BURN_ALERT_NAME,
  OBJECTIVE_RECORD,
  SLI_ERROR_RECORD,
  STACK_CATALOGUE_LABEL,
} from "./model";
import { ruleExpressions, ruleFileYaml, ruleGroups } from "./rules";
import { parsePromQL } from "./test/parse";

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
        region: { values: ["eu", "us.east"] },
      },
    },
    payments: {
      name: "shop.payments",
      kind: "counter",
      unit: "{payment}",
      description: "Payments tried.",
      group: "main",
    },
    paymentErrors: {
      name: "shop.payment.errors",
      kind: "counter",
      unit: "{error}",
      description: "Payments that failed.",
      group: "main",
      failuresOf: "payments",
      zeroWhenAbsent: true,
    },
    checkoutDuration: {
      name: "shop.checkout.duration",
      kind: "histogram",
      unit: "s",
      description: "Checkout time.",
      group: "main",
      buckets: [0.1, 0.25, 1],
      attributes: { region: { values: ["eu", "us.east"] } },
    },
    queue: {
      name: "shop.queue.length",
      kind: "gauge",
      unit: "{order}",
      description: "Orders waiting.",
      group: "main",
      aggregation: "max",
    },
  },
});

const shopAlerting = defineAlerting(shop, {
  objectives: {
    orders: { sli: "availability", metric: "orders", target: 99.5, where: { region: ["us.east"] } },
    payments: {
      sli: "availability",
      metric: "payments",
      errors: "paymentErrors",
      target: 99.9,
      window: "7d",
    },
    checkout: {
      sli: "latency",
      metric: "checkoutDuration",
      threshold: 0.25,
      target: 99,
      runbookUrl: "https://runbooks.example.com/checkout",
    },
  },
  alerts: {
    OrdersRate: { metric: "orders", above: 5, for: "5m", severity: "ticket", summary: "Many orders." },
    OrdersIncrease: {
      metric: "orders",
      measure: "increase",
      below: 1,
      window: "1h",
      by: ["region"],
      for: "0s",
      severity: "ticket",
      summary: "No orders.",
    },
    OrderErrors: {
      metric: "orders",
      measure: "errorRatio",
      above: 0.05,
      for: "10m",
      severity: "page",
      summary: "Orders fail.",
    },
    PaymentErrors: {
      metric: "payments",
      measure: "errorRatio",
      above: 0.1,
      for: "5m",
      severity: "page",
      summary: "Payments fail.",
    },
    CheckoutSlow: {
      metric: "checkoutDuration",
      measure: "p99",
      above: 0.5,
      where: { region: ["eu"] },
      for: "15m",
      severity: "ticket",
      summary: "Slow.",
      description: "Checkout p99 above 500 ms.",
      runbookUrl: "https://runbooks.example.com/slow",
    },
    QueueLong: { metric: "queue", above: 100, for: "5m", severity: "page", summary: "Queue." },
  },
});

const isRecord = (r: RecordingRule | AlertingRule): r is RecordingRule => "record" in r;
const group = (groups: RuleGroup[], name: string): RuleGroup => {
  const g = groups.find((x) => x.name === name);
  if (g === undefined) throw new Error(`no group ${name}: ${groups.map((x) => x.name).join(", ")}`);
  return g;
};
const rule = (g: RuleGroup, name: string): AlertingRule => {
  const r = g.rules.find((x) => !isRecord(x) && x.alert === name);
  if (r === undefined || isRecord(r)) throw new Error(`no alert ${name} in ${g.name}`);
  return r;
};

const CATALOGUES: [string, AlertingCatalogue][] = [
  ["scotty", scottyAlerting],
  ["shop", shopAlerting],
];

describe("every rule expression", () => {
  it.each(CATALOGUES.flatMap(([n, c]) => [1, 0.01, 0.0001].map((s) => [n, c, s] as const)))(
    "of %s at windowScale %d parses as PromQL and names only series that exist",
    (_name, catalogue, windowScale) => {
      const exprs = ruleExpressions(ruleGroups(catalogue, { windowScale }));
      expect(exprs.length).toBeGreaterThan(20);
      // What the pipeline writes: the catalogue's series, the collector's own, the records, `up`
      // (VictoriaMetrics' scrapes) and VictoriaMetrics' self-metrics (app/vmstorage at v1.151.0).
      const known = new Set([
        ...[catalogue, otelcol, hostmetrics].flatMap((c) => c.list.flatMap((m) => m.seriesNames)),
        SLI_ERROR_RECORD,
        "up",
        "vm_free_disk_space_bytes",
        "vm_total_disk_space_bytes",
        "vm_storage_is_read_only",
        "vm_rows_ignored_total",
      ]);
      for (const { group: g, rule: r, expr } of exprs) {
        const p = parsePromQL(expr);
        expect({ g, r, expr, errors: p.errors }).toEqual({ g, r, expr, errors: 0 });
        for (const m of p.metrics) expect({ r, m, known: known.has(m) }).toEqual({ r, m, known: true });
        // Every range is a whole number of seconds, minutes, hours or days, never empty.
        for (const d of p.ranges) expect(d).toMatch(/^[1-9][0-9]*(s|m|h|d)$/);
      }
    },
  );
});

describe("objective rules", () => {
  const groups = ruleGroups(scottyAlerting);
  const tasks = group(groups, "scotty-slo-tasksAvailability");

  it("one group per objective, the plain alerts and the built-in rules, every minute", () => {
    expect(groups.map((g) => [g.name, g.interval])).toEqual([
      ["scotty-slo-tasksAvailability", "1m"],
      ["scotty-slo-taskLatency", "1m"],
      ["scotty-alerts", "1m"],
      [STACK_CATALOGUE_LABEL, "1m"],
    ]);
  });

  it("records the error ratio under one name, with the window as a label", () => {
    const records = tasks.rules.filter(isRecord).filter((r) => r.record === SLI_ERROR_RECORD);
    expect(records.map((r) => r.labels)).toEqual(
      ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"].map((window) => ({
        objective: "tasksAvailability",
        catalogue: "scotty",
        window,
      })),
    );
    expect(records[2]?.expr).toBe(
      '(sum by (job) (rate(scotty_tasks_total{task_status="failed"}[1h])) or sum by (job) (rate(scotty_tasks_total[1h])) * 0) / ' +
        "sum by (job) (rate(scotty_tasks_total[1h]))",
    );
  });

  it("records the target and the budget left over the objective window", () => {
    const records = tasks.rules.filter(isRecord);
    expect(records.find((r) => r.record === OBJECTIVE_RECORD)).toEqual({
      record: OBJECTIVE_RECORD,
      expr: "vector(0.995)",
      labels: { objective: "tasksAvailability", catalogue: "scotty" },
    });
    expect(records.find((r) => r.record === BUDGET_REMAINING_RECORD)?.expr).toBe(
      `1 - ${SLI_ERROR_RECORD}{catalogue="scotty",objective="tasksAvailability",window="30d"} / 0.005`,
    );
  });

  it("three burn-rate alerts: 14.4x over 1h and 5m, 6x over 6h and 30m page; 1x over 3d and 6h is a ticket", () => {
    const alerts = tasks.rules.filter((r): r is AlertingRule => !isRecord(r));
    expect(
      alerts.map((a) => [
        a.alert,
        a.labels.severity,
        a.labels.burn_rate,
        a.labels.long_window,
        a.labels.short_window,
      ]),
    ).toEqual([
      [BURN_ALERT_NAME, "page", "14.4", "1h", "5m"],
      [BURN_ALERT_NAME, "page", "6", "6h", "30m"],
      [BURN_ALERT_NAME, "ticket", "1", "3d", "6h"],
    ]);
    const sli = (w: string) =>
      `(sum by (job) (rate(scotty_tasks_total{task_status="failed"}[${w}])) or sum by (job) (rate(scotty_tasks_total[${w}])) * 0) / ` +
      `sum by (job) (rate(scotty_tasks_total[${w}]))`;
    expect(alerts[0]?.expr).toBe(`(${sli("1h")}) > (14.4 * 0.005) and (${sli("5m")}) > (14.4 * 0.005)`);
    expect(alerts[0]?.for).toBeUndefined();
    expect(alerts[0]?.labels).toMatchObject({ objective: "tasksAvailability", catalogue: "scotty" });
    expect(alerts[0]?.annotations.summary).toContain(
      "burning 14.4x as fast as the 30d target 99.5% allows, over 1h and 5m",
    );
  });

  it("latency: 1 - observations at or under the threshold's bucket / all, per job", () => {
    const latency = group(groups, "scotty-slo-taskLatency").rules.filter(isRecord);
    expect(latency[0]?.expr).toBe(
      '1 - (sum by (job) (rate(scotty_task_duration_seconds_bucket{le="30"}[5m])) / sum by (job) (rate(scotty_task_duration_seconds_count[5m])))',
    );
  });

  it("availability with where filters, a paired error counter, another window and a runbook", () => {
    const g = ruleGroups(shopAlerting, { builtinRules: false });
    const orders = group(g, "shop-slo-orders").rules.filter(isRecord)[0];
    expect(orders?.expr).toBe(
      '(sum by (job) (rate(shop_orders_total{region="us.east",outcome="error"}[5m])) or sum by (job) (rate(shop_orders_total{region="us.east"}[5m])) * 0) / ' +
        'sum by (job) (rate(shop_orders_total{region="us.east"}[5m]))',
    );
    const payments = group(g, "shop-slo-payments");
    const windows = payments.rules.filter(isRecord).filter((r) => r.record === SLI_ERROR_RECORD);
    expect(windows.map((r) => r.labels.window)).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d", "7d"]);
    expect(windows[0]?.expr).toBe(
      "(sum by (job) (rate(shop_payment_errors_total[5m])) or sum by (job) (rate(shop_payments_total[5m])) * 0) / sum by (job) (rate(shop_payments_total[5m]))",
    );
    expect(payments.rules.filter(isRecord).find((r) => r.record === BUDGET_REMAINING_RECORD)?.expr).toContain(
      'window="7d"} / 0.001',
    );
    const checkout = group(g, "shop-slo-checkout").rules.filter((r): r is AlertingRule => !isRecord(r));
    expect(checkout[0]?.annotations.runbook_url).toBe("https://runbooks.example.com/checkout");
    expect(checkout[0]?.expr).toContain("> (14.4 * 0.01)");
  });

  it("an objective window among the standard ones is recorded once", () => {
    const c = defineAlerting(shop, {
      objectives: { o: { sli: "availability", metric: "orders", target: 99.5, window: "3d" } },
    });
    const records = ruleGroups(c)[0]
      ?.rules.filter(isRecord)
      .filter((r) => r.record === SLI_ERROR_RECORD);
    expect(records?.map((r) => r.labels.window)).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
  });
});

describe("plain alerts", () => {
  const g = group(ruleGroups(shopAlerting), "shop-alerts");

  it.each([
    ["OrdersRate", "sum by (job) (rate(shop_orders_total[5m])) > 5", "5m"],
    ["OrdersIncrease", "sum by (job, region) (increase(shop_orders_total[1h])) < 1", undefined],
    [
      "OrderErrors",
      '((sum by (job) (rate(shop_orders_total{outcome="error"}[5m])) or sum by (job) (rate(shop_orders_total[5m])) * 0)) / ' +
        "sum by (job) (rate(shop_orders_total[5m])) > 0.05",
      "10m",
    ],
    [
      "PaymentErrors",
      "((sum by (job) (rate(shop_payment_errors_total[5m])) or sum by (job) (rate(shop_payments_total[5m])) * 0)) / " +
        "sum by (job) (rate(shop_payments_total[5m])) > 0.1",
      "5m",
    ],
    [
      "CheckoutSlow",
      'histogram_quantile(0.99, sum by (le, job) (rate(shop_checkout_duration_seconds_bucket{region="eu"}[5m]))) > 0.5',
      "15m",
    ],
    ["QueueLong", "max by (job) (shop_queue_length) > 100", "5m"],
  ])("%s: %s for %s", (name, expr, forDuration) => {
    const r = rule(g, name);
    expect(r.expr).toBe(expr);
    expect(r.for).toBe(forDuration);
    expect(r.labels.catalogue).toBe("shop");
  });

  it("labels severity and catalogue; annotations summary, description, runbook_url", () => {
    expect(rule(g, "CheckoutSlow")).toMatchObject({
      labels: { severity: "ticket", catalogue: "shop" },
      annotations: {
        summary: "Slow.",
        description: "Checkout p99 above 500 ms.",
        runbook_url: "https://runbooks.example.com/slow",
      },
    });
    expect(rule(g, "QueueLong").annotations).toEqual({ summary: "Queue." });
  });

  it("a name of a built-in rule is refused, unless the built-in rules are off", () => {
    const c = defineAlerting(shop, {
      alerts: { ScrapeTargetDown: { metric: "queue", above: 1, for: "1m", severity: "page", summary: "x" } },
    });
    expect(() => ruleGroups(c)).toThrow('alert "ScrapeTargetDown" has the name of a built-in rule');
    expect(ruleGroups(c, { builtinRules: false }).map((x) => x.name)).toEqual(["shop-alerts"]);
    const burn = defineAlerting(shop, {
      alerts: { ErrorBudgetBurn: { metric: "queue", above: 1, for: "1m", severity: "page", summary: "x" } },
    });
    expect(() => ruleGroups(burn, { builtinRules: false })).toThrow(
      'alert "ErrorBudgetBurn" is the burn-rate alerts',
    );
  });
});

describe("built-in rules", () => {
  const builtin = group(ruleGroups(scottyAlerting), STACK_CATALOGUE_LABEL);

  it("cover the collector refusing, failing, dropping and its queue, scrapes and VictoriaMetrics' storage", () => {
    expect(builtin.rules.map((r) => (isRecord(r) ? r.record : r.alert))).toEqual([...BUILTIN_ALERT_NAMES]);
    expect(BUILTIN_ALERT_NAMES).toEqual([
      "CollectorRefusingMetricPoints",
      "CollectorRefusingSpans",
      "CollectorSendFailingMetricPoints",
      "CollectorSendFailingSpans",
      "CollectorDroppingMetricPoints",
      "CollectorDroppingSpans",
      "CollectorQueueFilling",
      "ScrapeTargetDown",
      "VictoriaMetricsDiskSpaceLow",
      "VictoriaMetricsReadOnly",
      "VictoriaMetricsRowsIgnored",
    ]);
    for (const r of builtin.rules) expect(!isRecord(r) && r.labels.catalogue).toBe(STACK_CATALOGUE_LABEL);
  });

  it("use the collector's series names from its catalogue", () => {
    expect(rule(builtin, "CollectorDroppingSpans")).toMatchObject({
      expr: "sum by (job, exporter) (rate(otelcol_exporter_enqueue_failed_spans[5m])) > 0",
      for: "1m",
      labels: { severity: "page" },
    });
    expect(rule(builtin, "CollectorQueueFilling").expr).toBe(
      "max by (job, instance, exporter, data_type) (otelcol_exporter_queue_size) / " +
        "max by (job, instance, exporter, data_type) (otelcol_exporter_queue_capacity) > 0.8",
    );
    expect(rule(builtin, "ScrapeTargetDown")).toMatchObject({
      expr: "up == 0",
      for: "2m",
      labels: { severity: "page" },
    });
  });
});

describe("windowScale", () => {
  const groups = ruleGroups(scottyAlerting, { windowScale: 0.01 });

  it("scales every window, label, for and interval, to whole seconds of at least 1s", () => {
    const tasks = group(groups, "scotty-slo-tasksAvailability");
    expect(tasks.interval).toBe("1s"); // 60 s × 0.01 = 0.6 s, raised to 1 s
    expect(
      tasks.rules
        .filter(isRecord)
        .filter((r) => r.record === SLI_ERROR_RECORD)
        .map((r) => r.labels.window),
    ).toEqual(["3s", "18s", "36s", "72s", "216s", "864s", "2592s", "432m"]);
    const alerts = tasks.rules.filter((r): r is AlertingRule => !isRecord(r));
    expect(alerts.map((a) => [a.labels.long_window, a.labels.short_window])).toEqual([
      ["36s", "3s"],
      ["216s", "18s"],
      ["2592s", "216s"],
    ]);
    expect(alerts[0]?.expr).toContain("[36s]");
    // The burn-rate factors and the budget do not scale.
    expect(alerts[0]?.expr).toContain("> (14.4 * 0.005)");
    const plain = group(groups, "scotty-alerts");
    expect(rule(plain, "TaskOutputBufferHigh").for).toBe("6s");
    expect(rule(plain, "TaskDurationP99High").expr).toContain("[9s]");
    expect(rule(group(groups, STACK_CATALOGUE_LABEL), "VictoriaMetricsRowsIgnored").expr).toContain("[3s]");
  });

  it("is the same rules otherwise: same groups, names and labels but the windows", () => {
    const full = ruleGroups(scottyAlerting);
    const shape = (gs: RuleGroup[]) =>
      gs.map((g) => [
        g.name,
        g.rules.map((r) => (isRecord(r) ? r.record : r.alert)),
        g.rules.map((r) => Object.keys(r.labels)),
      ]);
    expect(shape(groups)).toEqual(shape(full));
  });

  it.each([0, -1, 2, Number.NaN, "0.1"])("refuses %p", (windowScale) => {
    expect(() => ruleGroups(scottyAlerting, { windowScale: windowScale as number })).toThrow(
      "Invalid render option alerting.windowScale",
    );
  });

  it("the file notes the scale", () => {
    expect(ruleFileYaml(groups, { windowScale: 0.01 })).toContain(
      "# Windows, 'for' and intervals scaled by alerting.windowScale = 0.01.",
    );
    expect(ruleFileYaml(ruleGroups(scottyAlerting))).not.toContain("windowScale");
  });
});

describe("the rule file", () => {
  it("is deterministic YAML that reads back as the groups", () => {
    const a = ruleFileYaml(ruleGroups(scottyAlerting));
    expect(ruleFileYaml(ruleGroups(scottyAlerting))).toBe(a);
    expect(a.startsWith("# Generated by observability-stack.")).toBe(true);
    expect(parse(a)).toEqual({ groups: JSON.parse(JSON.stringify(ruleGroups(scottyAlerting))) });
  });

  it("has unique group names and, per group, unique rules", () => {
    for (const [, c] of CATALOGUES) {
      const groups = ruleGroups(c);
      expect(new Set(groups.map((g) => g.name)).size).toBe(groups.length);
      for (const g of groups) {
        const keys = g.rules.map((r) => JSON.stringify([isRecord(r) ? r.record : r.alert, r.labels, r.expr]));
        expect(new Set(keys).size).toBe(keys.length);
      }
    }
  });
});
