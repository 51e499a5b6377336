import { BURN_ALERT_NAME, ruleGroups, type AlertingRule } from "../alerts";
import { buildDashboards, sloDashboards } from "../dashboards";
import { dashboardsMarkdown } from "./documents";
import {
  defineMetrics,
  labelName,
  scotty,
  scottyAlerting,
  seriesNames,
  type Catalogue,
} from "../definitions";
import { catalogueDocument, metricsJson, metricsMarkdown, type CatalogueDocument } from ".";

// A second catalogue, unlike scotty: a gauge with unit 1, a `/`-unit, a maxValues attribute, an
// attribute key that is not a valid label, a `|` in a description and a title.
const shop = defineMetrics({
  name: "shop",
  title: "Shop | checkout",
  groups: {
    checkout: { title: "Checkout", description: "Orders and payments." },
    cache: { title: "Cache" },
  },
  metrics: {
    orders: {
      name: "shop.orders",
      kind: "counter",
      unit: "{order}",
      description: "Orders placed (paid | unpaid).",
      group: "checkout",
      attributes: {
        "payment.method": { values: ["card", "invoice"] },
        "shop.region": { description: "Sales region.", maxValues: 12 },
      },
    },
    checkoutLatency: {
      name: "shop.checkout.latency",
      kind: "histogram",
      unit: "ms",
      description: "Time from cart to confirmation.",
      group: "checkout",
      buckets: [50, 100, 250, 1000],
    },
    cacheHits: {
      name: "shop.cache.hit",
      kind: "gauge",
      unit: "1",
      description: "Share of cache lookups that hit.",
      group: "cache",
    },
    throughput: {
      name: "shop.cache.throughput",
      kind: "gauge",
      unit: "By/s",
      description: "Bytes served from the cache.",
      group: "cache",
    },
  },
});

function doc(c: Catalogue): CatalogueDocument {
  return JSON.parse(metricsJson(c)) as CatalogueDocument;
}

describe.each([
  ["scotty", scotty],
  ["shop", shop],
])("metrics.json for %s", (_name, catalogue) => {
  const d = doc(catalogue);

  it("has every metric, in declaration order, with the names the definitions compute", () => {
    expect(d.catalogue).toEqual({
      name: catalogue.name,
      title: catalogue.title,
      seriesBudget: catalogue.seriesBudget,
    });
    expect(d.metrics.map((m) => m.key)).toEqual(catalogue.list.map((m) => m.key));
    for (const [i, m] of d.metrics.entries()) {
      const r = catalogue.list[i]!;
      expect(m.otelName).toBe(r.name);
      expect(m.prometheusName).toBe(r.prometheusName);
      expect(m.series).toEqual(seriesNames(r.name, r.unit, r.kind));
      expect([m.kind, m.unit, m.description, m.naming]).toEqual([r.kind, r.unit, r.description, r.naming]);
      expect(m.group).toEqual({
        key: r.group,
        title: catalogue.groups.find((g) => g.key === r.group)!.title,
      });
      expect(m.buckets).toEqual(r.buckets);
      expect(m.maxSeries).toBe(r.maxSeries);
      expect(m.cardinalityLimit).toBe(r.cardinalityLimit);
    }
  });

  it("lists each attribute with its label and its values or its bound", () => {
    for (const [i, m] of d.metrics.entries()) {
      const r = catalogue.list[i]!;
      expect(m.attributes.map((a) => a.key)).toEqual(r.attributes.map((a) => a.key));
      for (const a of m.attributes) {
        expect(a.label).toBe(labelName(a.key));
        const ra = r.attributes.find((x) => x.key === a.key)!;
        if (ra.values !== undefined) {
          expect(a.values).toEqual(ra.values);
          expect(a.maxValues).toBeUndefined();
        } else {
          expect(a.values).toBeUndefined();
          expect(a.maxValues).toBe(ra.cardinality);
        }
      }
    }
  });

  it("is the document with sorted keys, and the same bytes every time", () => {
    expect(JSON.parse(metricsJson(catalogue))).toEqual(
      JSON.parse(JSON.stringify(catalogueDocument(catalogue))),
    );
    expect(metricsJson(catalogue)).toBe(metricsJson(catalogue));
    const keysSorted = (v: unknown): boolean =>
      Array.isArray(v)
        ? v.every(keysSorted)
        : v !== null && typeof v === "object"
          ? Object.keys(v).join() === Object.keys(v).sort().join() && Object.values(v).every(keysSorted)
          : true;
    expect(keysSorted(JSON.parse(metricsJson(catalogue)))).toBe(true);
    expect(metricsJson(catalogue).endsWith("}\n")).toBe(true);
  });
});

describe("metrics.json details", () => {
  it("scotty: 26 metrics in 5 groups; histograms carry their buckets and three series", () => {
    const d = doc(scotty);
    expect(d.metrics).toHaveLength(26);
    expect(d.groups.map((g) => g.key)).toEqual(["logs", "shell", "websocket", "tasks", "system"]);
    const duration = d.metrics.find((m) => m.key === "logStreamDuration")!;
    expect(duration.series).toEqual([
      "scotty_log_stream_duration_seconds_bucket",
      "scotty_log_stream_duration_seconds_sum",
      "scotty_log_stream_duration_seconds_count",
    ]);
    expect(duration.buckets).toEqual(scotty.byKey.logStreamDuration.buckets);
  });

  it("shop: unit words, ratio gauges, per-units and label names follow the exporter's rules", () => {
    const d = doc(shop);
    const by = Object.fromEntries(d.metrics.map((m) => [m.key, m]));
    expect(by.orders!.prometheusName).toBe("shop_orders_total");
    expect(by.checkoutLatency!.series[0]).toBe("shop_checkout_latency_milliseconds_bucket");
    expect(by.cacheHits!.prometheusName).toBe("shop_cache_hit_ratio");
    expect(by.throughput!.prometheusName).toBe("shop_cache_throughput_bytes_per_second");
    expect(by.orders!.attributes).toEqual([
      { key: "payment.method", label: "payment_method", values: ["card", "invoice"] },
      { key: "shop.region", label: "shop_region", description: "Sales region.", maxValues: 12 },
    ]);
    expect(by.orders!.maxSeries).toBe(24);
    expect(d.groups.map((g) => g.key)).toEqual(["checkout", "cache"]);
  });
});

describe("METRICS.md", () => {
  it.each([
    ["scotty", scotty],
    ["shop", shop],
  ])("%s: one table per group, one row per metric, each with its series and labels", (_name, catalogue) => {
    const md = metricsMarkdown(catalogue);
    const d = doc(catalogue);
    for (const g of d.groups) expect(md).toContain(`\n## ${g.title.replace(/\|/g, "\\|")}\n`);
    const rows = md.split("\n").filter((l) => l.startsWith("| `"));
    expect(rows).toHaveLength(d.metrics.length);
    for (const [i, m] of d.metrics.entries()) {
      const row = rows[i]!;
      expect(row.startsWith(`| \`${m.otelName}\` | `)).toBe(true);
      for (const s of m.series) expect(row).toContain(`\`${s}\``);
      for (const a of m.attributes) expect(row).toContain(`\`${a.label}\``);
      // Seven cells: the row's unescaped pipes are its borders and separators.
      expect(row.split(/(?<!\\)\|/).length - 2).toBe(7);
    }
    expect(md).toBe(metricsMarkdown(catalogue));
  });

  it("escapes | in cells and titles, shows bounds and label renames", () => {
    const md = metricsMarkdown(shop);
    expect(md).toContain("# Shop \\| checkout metrics");
    expect(md).toContain("Orders placed (paid \\| unpaid).");
    expect(md).toContain("`shop_region` (`shop.region`): up to 12 values");
    expect(md).toContain("`payment_method` (`payment.method`): `card`, `invoice`");
    expect(md).toContain("| 50, 100, 250, 1000 |");
    expect(md).toContain("Catalogue `shop`: 4 metrics in 2 groups; at most 27 attribute sets");
  });
});

describe("DASHBOARDS.md", () => {
  const dashboards = buildDashboards(scotty);
  const md = dashboardsMarkdown(dashboards);

  it("has one section per dashboard and, per row, every panel with its type, width, unit and queries", () => {
    const sections = md.split("\n").filter((l) => l.startsWith("## "));
    expect(sections).toEqual(dashboards.map((d) => `## ${d.title}`));
    const esc = (t: string) => t.replace(/\|/g, "\\|");
    for (const d of dashboards) {
      const section = md.split("\n## ").find((x) => x.startsWith(`${d.title}\n`)) ?? "";
      for (const p of d.panels) {
        const line = `| ${esc(p.title)} | ${p.type} | ${p.gridPos.w} | \`${p.unit}\` | ${p.exprs.map((e) => `\`${esc(e)}\``).join("<br>")} |`;
        expect(section.split("\n")).toContain(line);
      }
    }
    // The RED row is open, the detail rows collapsed.
    expect(md).toContain("### Tasks finished: rate, errors, duration\n");
    expect(md).toContain("### Task duration (collapsed)\n");
  });

  it("is deterministic", () => {
    expect(dashboardsMarkdown(buildDashboards(scotty))).toBe(md);
  });
});

describe("objectives and alerts in metrics.json and METRICS.md", () => {
  const doc = catalogueDocument(scottyAlerting);
  const alerting = doc.alerting;
  if (alerting === undefined) throw new Error("no alerting section");
  const groups = ruleGroups(scottyAlerting);
  const rules = groups.flatMap((g) => g.rules);
  const alertRules = rules.filter((r): r is AlertingRule => "alert" in r);

  it("is absent for a catalogue without alerting (its documents are unchanged)", () => {
    expect(catalogueDocument(scotty).alerting).toBeUndefined();
    expect(metricsMarkdown(scotty)).not.toContain("## Objectives");
  });

  it("lists each objective: SLI, target, window, error budget, SLO dashboard, recorded windows", () => {
    expect(
      alerting.objectives.map((o) => [o.key, o.sli.kind, o.target, o.window, o.errorBudget, o.dashboard]),
    ).toEqual(
      scottyAlerting.alerting.objectives.map((o) => [
        o.key,
        o.sli.kind,
        o.target,
        o.window,
        o.errorBudget,
        sloDashboards(scottyAlerting).find((d) => d.title.endsWith(o.title))?.uid,
      ]),
    );
    expect(alerting.objectives[0]?.sli).toEqual({
      kind: "availability",
      metric: "tasks",
      totalSeries: "scotty_tasks_total",
      failure: { label: "task_status", values: ["failed"] },
      where: [],
    });
    expect(alerting.objectives[1]?.sli).toMatchObject({
      kind: "latency",
      threshold: 30,
      le: "30",
      unit: "s",
    });
    for (const o of alerting.objectives)
      expect(o.recordedWindows).toEqual(
        rules
          .filter((r) => "record" in r && r.labels.objective === o.key && r.labels.window !== undefined)
          .map((r) => r.labels.window),
      );
  });

  it("lists every generated alert with severity, windows, for, summary and runbook, in the rule file's order", () => {
    expect(alerting.alerts.map((a) => [a.name, a.severity, a.summary, a.expr])).toEqual(
      alertRules.map((r) => [r.alert, r.labels.severity, r.annotations.summary, r.expr]),
    );
    const burn = alerting.alerts.filter((a) => a.name === BURN_ALERT_NAME);
    expect(burn.map((a) => [a.objective, a.severity, a.burnRate, a.windows])).toEqual([
      ["tasksAvailability", "page", 14.4, ["1h", "5m"]],
      ["tasksAvailability", "page", 6, ["6h", "30m"]],
      ["tasksAvailability", "ticket", 1, ["3d", "6h"]],
      ["taskLatency", "page", 14.4, ["1h", "5m"]],
      ["taskLatency", "page", 6, ["6h", "30m"]],
      ["taskLatency", "ticket", 1, ["3d", "6h"]],
    ]);
    const p99 = alerting.alerts.find((a) => a.name === "TaskDurationP99High");
    expect([p99?.windows, p99?.for, p99?.catalogue]).toEqual([["15m"], "15m", "scotty"]);
    const down = alerting.alerts.find((a) => a.name === "ScrapeTargetDown");
    expect([down?.severity, down?.catalogue, down?.runbookUrl?.startsWith("https://")]).toEqual([
      "page",
      "observability-stack",
      true,
    ]);
    expect(alerting.records.length).toBe(rules.length - alertRules.length);
  });

  it("gives the windows at the rules' windowScale", () => {
    const scaled = catalogueDocument(scottyAlerting, { alerting: { windowScale: 1 / 30 } }).alerting;
    expect(scaled?.windowScale).toBeCloseTo(1 / 30);
    expect(scaled?.alerts.find((a) => a.name === BURN_ALERT_NAME)?.windows).toEqual(["2m", "10s"]);
    expect(metricsMarkdown(scottyAlerting, { alerting: { windowScale: 1 / 30 } })).toContain(
      "Windows scaled by alerting.windowScale",
    );
  });

  it("METRICS.md has a row per objective and per alert, and the same bytes every time", () => {
    const md = metricsMarkdown(scottyAlerting);
    const section = (title: string) => {
      const rest = md.slice(md.indexOf(`\n## ${title}\n`) + 1);
      const end = rest.indexOf("\n## ", 1);
      return (end < 0 ? rest : rest.slice(0, end))
        .split("\n")
        .filter((l) => /^\| [^-]/.test(l))
        .slice(1);
    };
    expect(section("Objectives")).toHaveLength(scottyAlerting.alerting.objectives.length);
    expect(section("Objectives")[0]).toBe(
      "| Tasks succeed (`tasksAvailability`) | availability: `tasks` not failed (failure `task_status` ∈ `failed`) | 99.5% | 30d | 0.5% | `scotty-slo-tasksavailability` | Share of finished tasks that did not fail. |",
    );
    const alertRows = section("Alerts");
    expect(alertRows).toHaveLength(alertRules.length);
    expect(alertRows[0]).toMatch(
      /^\| `ErrorBudgetBurn` \| page \| `tasksAvailability`, burn rate 14\.4× \| 1h and 5m \| 0s \| /,
    );
    // Templates keep their pipes, escaped for the table.
    expect(alertRows[0]).toContain("{{ $value \\| humanizePercentage }}");
    expect(alertRows.find((l) => l.startsWith("| `ScrapeTargetDown` (built-in) | page |"))).toBeDefined();
    expect(metricsMarkdown(scottyAlerting)).toBe(md);
    expect(metricsJson(scottyAlerting)).toBe(metricsJson(scottyAlerting));
  });
});
