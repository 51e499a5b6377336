import { buildDashboards } from ".";
import { defineMetrics, hostmetrics, otelcol, scotty } from "../definitions";
import type { Catalogue } from "../definitions";
import { LINT_RULES, lintDashboard, lintQuery, type LintContext, type LintRule } from "./lint";

// A user catalogue with every shape the generators handle: requests with a failure attribute, a
// paired failure counter, a ratio gauge, a partition with in-use values and one of distinct figures.
const shop = defineMetrics({
  name: "shop",
  title: "Shop",
  groups: { api: { title: "API" }, cache: { title: "Cache" } },
  metrics: {
    requests: {
      name: "shop.http.requests",
      kind: "histogram",
      unit: "ms",
      description: "HTTP requests served.",
      group: "api",
      buckets: [5, 10, 50, 100, 500],
      requests: { saturation: "inFlight", latency: { warning: 250, critical: 1000 } },
      attributes: {
        "http.route": { values: ["/cart", "/pay"] },
        "http.status_class": { values: ["2xx", "4xx", "5xx"], failure: ["5xx"] },
      },
    },
    inFlight: {
      name: "shop.http.in_flight",
      kind: "upDownCounter",
      unit: "{request}",
      description: "In flight.",
      group: "api",
    },
    timeouts: {
      name: "shop.http.timeouts",
      kind: "counter",
      unit: "{request}",
      description: "Requests that timed out.",
      group: "api",
      failuresOf: "requests",
    },
    hitRatio: {
      name: "shop.cache.hit_ratio",
      kind: "gauge",
      unit: "1",
      description: "Hit ratio.",
      group: "cache",
    },
    slots: {
      name: "shop.cache.slots",
      kind: "upDownCounter",
      unit: "{slot}",
      description: "Cache slots.",
      group: "cache",
      attributes: { state: { values: ["used", "free"], partition: true, inUse: ["used"] } },
    },
    memory: {
      name: "shop.cache.memory",
      kind: "gauge",
      unit: "By",
      description: "Cache memory figures.",
      group: "cache",
      aggregation: "sum",
      attributes: { figure: { values: ["resident", "allocated"], partition: true, headline: "resident" } },
    },
  },
});

function context(app: Catalogue): LintContext {
  return { catalogues: [app, hostmetrics, otelcol], appCatalogues: [app] };
}

describe("the dashboard lint", () => {
  for (const catalogue of [scotty, shop] as Catalogue[]) {
    it(`passes on every rendered dashboard of the ${catalogue.name} catalogue`, () => {
      const dashboards = buildDashboards(catalogue);
      expect(dashboards.length).toBeGreaterThan(3);
      const problems = dashboards.flatMap((d) => lintDashboard(d.model, context(catalogue)));
      expect(problems).toEqual([]);
    });
  }

  const ctx = context(shop);
  // One failing input per rule: the rule fires on it, and only rules that should.
  const failing: Record<LintRule, string> = {
    "rate-over-counters":
      'sum(rate(shop_http_in_flight{job=~"$job",instance=~"$instance"}[$__rate_interval]))',
    "rate-interval": 'sum(rate(shop_http_timeouts_total{job=~"$job",instance=~"$instance"}[5m]))',
    "job-instance-matchers": 'sum(rate(shop_http_timeouts_total{job=~"$job"}[$__rate_interval]))',
    "no-partition-sum": 'sum(shop_cache_memory_bytes{job=~"$job",instance=~"$instance"})',
    "no-non-additive-sum": 'sum(shop_cache_hit_ratio{job=~"$job",instance=~"$instance"})',
    "no-label-less-fallback":
      'sum by (exporter) (rate(otelcol_exporter_send_failed_spans{job="otelcol"}[$__rate_interval])) or vector(0)',
    "query-parses": "sum(rate(",
    "templated-datasource": "",
    "panel-unit": "",
    "stat-thresholds": "",
  };
  for (const [rule, expr] of Object.entries(failing) as [LintRule, string][]) {
    if (expr === "") continue;
    it(`rule ${rule} (${LINT_RULES[rule]}) rejects a failing query`, () => {
      expect(lintQuery(expr, ctx).map((p) => p.rule)).toEqual([rule]);
    });
  }

  it("accepts the shapes the rules allow: a partition filtered to one value, the whole of an in-use partition, max over a ratio", () => {
    for (const expr of [
      'sum(shop_cache_memory_bytes{job=~"$job",instance=~"$instance",figure=~"resident"})',
      'sum by (instance) (shop_cache_slots{job=~"$job",instance=~"$instance",state=~"used"}) / sum by (instance) (shop_cache_slots{job=~"$job",instance=~"$instance"})',
      'avg(shop_cache_hit_ratio{job=~"$job",instance=~"$instance"})',
      '(sum(rate(otelcol_exporter_send_failed_spans{job="otelcol"}[$__rate_interval])) or sum(rate(otelcol_exporter_sent_spans{job="otelcol"}[$__rate_interval])) * 0)',
    ]) {
      expect(lintQuery(expr, ctx)).toEqual([]);
    }
  });

  const model = (panel: Record<string, unknown>) => ({
    uid: "t",
    templating: { list: [{ name: "datasource", type: "datasource" }] },
    panels: [{ type: "row", title: "r", panels: [panel] }],
  });
  const ds = { uid: "${datasource}" };
  const good = {
    type: "stat",
    title: "ok",
    datasource: ds,
    fieldConfig: { defaults: { unit: "cps", thresholds: { steps: [{ value: null, color: "text" }] } } },
    targets: [
      { expr: 'sum(rate(shop_http_timeouts_total{job=~"$job",instance=~"$instance"}[$__rate_interval]))' },
    ],
  };

  it("accepts a well-formed stat inside a collapsed row", () => {
    expect(lintDashboard(model(good), ctx)).toEqual([]);
  });

  it("rule templated-datasource rejects a panel with a fixed datasource", () => {
    expect(
      lintDashboard(model({ ...good, datasource: { uid: "victoriametrics" } }), ctx).map((p) => p.rule),
    ).toEqual(["templated-datasource"]);
  });

  it("rule panel-unit rejects a panel without a unit", () => {
    const p = { ...good, fieldConfig: { defaults: { thresholds: good.fieldConfig.defaults.thresholds } } };
    expect(lintDashboard(model(p), ctx).map((x) => x.rule)).toEqual(["panel-unit"]);
  });

  it("rule stat-thresholds rejects a stat with Grafana's default thresholds or none", () => {
    const byDefault = {
      ...good,
      fieldConfig: {
        defaults: {
          unit: "cps",
          thresholds: {
            steps: [
              { value: null, color: "green" },
              { value: 80, color: "red" },
            ],
          },
        },
      },
    };
    expect(lintDashboard(model(byDefault), ctx).map((x) => x.rule)).toEqual(["stat-thresholds"]);
    expect(
      lintDashboard(model({ ...good, fieldConfig: { defaults: { unit: "cps" } } }), ctx).map((x) => x.rule),
    ).toEqual(["stat-thresholds"]);
  });
});
