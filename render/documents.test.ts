import { buildDashboards } from "../dashboards";
import { dashboardsMarkdown } from "./documents";
import { defineMetrics, labelName, scotty, seriesNames, type Catalogue } from "../definitions";
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
