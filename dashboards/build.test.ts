import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LRParser } from "@lezer/lr";
import type { SyntaxNode } from "@lezer/common";
import { defineMetrics, hostmetrics, otelcol, scotty } from "../definitions";
import type { Catalogue } from "../definitions";
import {
  buildDashboards,
  dashboardQueries,
  dashboardUid,
  serializeDashboard,
  substituteVariables,
  templateVariables,
  withoutZeroFallbacks,
  type GeneratedDashboard,
} from ".";

// lezer-promql ships as an ES module with a CommonJS build; its types are ESM-only, so load the
// CommonJS build with require and type it with @lezer/lr's (dual) types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require("@prometheus-io/lezer-promql") as { parser: LRParser };

interface Parsed {
  errors: number;
  /** Metric names of vector selectors. */
  metrics: string[];
  /** Per vector selector, its label matchers as `name op value`. */
  selectors: { metric: string; matchers: string[] }[];
}

function parsePromQL(expr: string): Parsed {
  const tree = parser.parse(expr);
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const out: Parsed = { errors: 0, metrics: [], selectors: [] };
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) out.errors += 1;
    if (cursor.name === "VectorSelector") {
      const node = cursor.node;
      const id = node.getChild("Identifier");
      const metric = id === null ? "" : text(id);
      const matchers = (node.getChild("LabelMatchers")?.getChildren("UnquotedLabelMatcher") ?? []).map(
        (m) =>
          `${text(m.getChild("LabelName") as SyntaxNode)}${text(m.getChild("MatchOp") as SyntaxNode)}${text(m.getChild("StringLiteral") as SyntaxNode)}`,
      );
      if (metric !== "") out.metrics.push(metric);
      out.selectors.push({ metric, matchers });
    }
  } while (cursor.next());
  return out;
}

/** Grafana's variables replaced by what makes the query plain PromQL. */
const runnable = (q: string) => substituteVariables(q);

const checkout = defineMetrics({
  name: "checkout",
  title: "Checkout",
  groups: { api: { title: "API" }, payments: { title: "Payments", description: "Card payments." } },
  metrics: {
    requestDuration: {
      name: "checkout.request.duration",
      kind: "histogram",
      unit: "ms",
      description: "Time to answer a checkout request.",
      group: "api",
      buckets: [5, 10, 25, 50, 100, 250, 500, 1000],
      attributes: { "http.route": { values: ["/cart", "/pay"] } },
    },
    responseBytes: {
      name: "checkout.response.size",
      kind: "counter",
      unit: "By",
      description: "Bytes of responses sent.",
      group: "api",
    },
    paymentsPending: {
      name: "checkout.payments.pending",
      kind: "upDownCounter",
      unit: "{payment}",
      description: "Payments waiting for the bank.",
      group: "payments",
    },
    cardDeclines: {
      name: "checkout.card.declines",
      kind: "counter",
      unit: "{decline}",
      description: "Card payments declined.",
      group: "payments",
      attributes: { reason: { maxValues: 20 } },
    },
  },
});

type AnyPanel = Record<string, unknown> & {
  id: number;
  type: string;
  title: string;
  targets?: { expr: string }[];
  fieldConfig?: { defaults?: { unit?: string } };
  options?: { yAxis?: { unit?: string } };
};

/** Every panel, those inside collapsed rows included. */
function panels(d: GeneratedDashboard): AnyPanel[] {
  const out: AnyPanel[] = [];
  for (const p of d.model.panels as (AnyPanel & { panels?: AnyPanel[] })[]) {
    out.push(p);
    out.push(...(p.panels ?? []));
  }
  return out;
}

function seriesOf(...catalogues: Catalogue[]): Set<string> {
  return new Set(catalogues.flatMap((c) => c.list.flatMap((m) => m.seriesNames)));
}

const scottyDashboards = buildDashboards(scotty);
const byUid = (list: GeneratedDashboard[], uid: string) =>
  list.find((d) => d.uid === uid) as GeneratedDashboard;

describe("buildDashboards(scotty)", () => {
  it("makes the overview, one dashboard per group, the host and the pipeline dashboards, in a stable order", () => {
    expect(scottyDashboards.map((d) => d.uid)).toEqual([
      "scotty-overview",
      ...scotty.groups.map((g) => `scotty-${g.key}`),
      "hostmetrics-host",
      "otelcol-pipeline",
    ]);
    for (const d of scottyDashboards) {
      expect(d.model.uid).toBe(d.uid);
      expect(d.model.title).toBe(d.title);
      expect(d.folder).toBe("Observability");
      expect(d.uid.length).toBeLessThanOrEqual(40);
      // A provisioned dashboard file is the bare model, not {dashboard: …}.
      expect(d.model).not.toHaveProperty("dashboard");
    }
  });

  it("matches the reviewed golden file for the tasks dashboard byte for byte", () => {
    // Not named *.json: prettier would reformat it, and the point is the generator's exact bytes.
    const file = join(__dirname, "__golden__", "scotty-tasks.json.golden");
    const actual = serializeDashboard(byUid(scottyDashboards, "scotty-tasks"));
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, actual);
    expect(actual).toBe(readFileSync(file, "utf8"));
  });

  it("is deterministic: building again gives the same bytes", () => {
    const again = buildDashboards(scotty).map(serializeDashboard);
    expect(again).toEqual(scottyDashboards.map(serializeDashboard));
  });

  it("gives unique uids and, per dashboard, unique panel ids", () => {
    expect(new Set(scottyDashboards.map((d) => d.uid)).size).toBe(scottyDashboards.length);
    for (const d of scottyDashboards) {
      const ids = panels(d).map((p) => p.id);
      expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it("serializes with sorted keys, two-space indent and a trailing newline", () => {
    const text = serializeDashboard(byUid(scottyDashboards, "scotty-logs"));
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.startsWith('{\n  "annotations"')).toBe(true);
    const keysSorted = (v: unknown): boolean => {
      if (Array.isArray(v)) return v.every(keysSorted);
      if (v !== null && typeof v === "object") {
        const keys = Object.keys(v);
        return keys.join("\n") === [...keys].sort().join("\n") && Object.values(v).every(keysSorted);
      }
      return true;
    };
    expect(keysSorted(JSON.parse(text))).toBe(true);
  });

  it("has queries that all parse as PromQL once Grafana's variables are substituted", () => {
    let count = 0;
    for (const d of scottyDashboards) {
      for (const q of dashboardQueries(d)) {
        const parsed = parsePromQL(runnable(q));
        if (parsed.errors > 0) throw new Error(`${d.uid}: query does not parse: ${q}`);
        count += 1;
      }
    }
    expect(count).toBeGreaterThan(50);
  });

  it("names only series the catalogues define, and shows every series of scotty, hostmetrics and otelcol", () => {
    const known = seriesOf(scotty, hostmetrics, otelcol);
    const used = new Set<string>();
    for (const d of scottyDashboards) {
      for (const q of dashboardQueries(d)) {
        const { metrics } = parsePromQL(runnable(q));
        expect(metrics.length).toBeGreaterThan(0);
        for (const name of metrics) {
          if (!known.has(name)) throw new Error(`${d.uid}: query names unknown series ${name}: ${q}`);
          used.add(name);
        }
      }
    }
    const missing = [...known].filter((s) => !used.has(s));
    expect(missing).toEqual([]);
  });

  it("shows every metric of a group on that group's dashboard", () => {
    for (const g of scotty.groups) {
      const used = new Set(
        dashboardQueries(byUid(scottyDashboards, `scotty-${g.key}`)).flatMap(
          (q) => parsePromQL(runnable(q)).metrics,
        ),
      );
      for (const m of g.metrics) for (const s of m.seriesNames) expect(used).toContain(s);
    }
  });

  it("filters by job and instance only where the series carry them", () => {
    for (const d of scottyDashboards) {
      for (const q of dashboardQueries(d)) {
        const { selectors } = parsePromQL(q);
        expect(selectors.length).toBeGreaterThan(0);
        for (const sel of selectors) {
          // The scope's matchers come first; attribute filters (failure values, partitions) follow.
          if (d.uid.startsWith("scotty-")) {
            // App metrics via OTLP: job = service.name, instance = service.instance.id.
            expect(sel.matchers.slice(0, 2)).toEqual(['job=~"$job"', 'instance=~"$instance"']);
          } else if (d.uid === "hostmetrics-host") {
            // The collector's host pipeline sets job and instance (the host name) on host metrics.
            expect(sel.matchers.slice(0, 2)).toEqual(['job="hostmetrics"', 'instance=~"$host"']);
          } else {
            // Scraped by VictoriaMetrics under the scrape job "otelcol".
            expect(sel.matchers.slice(0, 2)).toEqual(['job="otelcol"', 'instance=~"$instance"']);
          }
          for (const extra of sel.matchers.slice(2)) expect(extra).not.toMatch(/^(job|instance)\b/);
        }
      }
    }
  });

  it("declares the template variables its queries use, each over one series of the catalogue", () => {
    const expected: Record<string, string[]> = {
      "scotty-logs": ["datasource", "job", "instance"],
      "hostmetrics-host": ["datasource", "host"],
      "otelcol-pipeline": ["datasource", "instance"],
    };
    for (const [uid, names] of Object.entries(expected)) {
      const d = byUid(scottyDashboards, uid);
      const vars = templateVariables(d);
      expect(vars.map((v) => v.name)).toEqual(names);
      expect(vars[0]).toMatchObject({ type: "datasource", query: "prometheus" });
      const used = new Set(dashboardQueries(d).flatMap((q) => [...q.matchAll(/\$(\w+)/g)].map((m) => m[1])));
      for (const v of used) {
        if (!v?.startsWith("__")) expect(names).toContain(v);
      }
      const known = seriesOf(scotty, hostmetrics, otelcol);
      for (const v of vars.slice(1)) {
        const m = /^label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?), (\w+)\)$/.exec(v.query);
        // The host variable lists the host metrics' instance label.
        expect(m?.[2]).toBe(v.name === "host" ? "instance" : v.name);
        const selector = runnable(m?.[1] as string);
        const parsed = parsePromQL(selector);
        expect(parsed.errors).toBe(0);
        // One series, not every metric of the catalogue: render cost stays linear (issue 12).
        expect(parsed.metrics).toHaveLength(1);
        for (const n of parsed.metrics) expect(known).toContain(n);
      }
    }
  });

  it("links to Jaeger with the service and the dashboard's time range, and keeps variables across dashboards", () => {
    for (const d of scottyDashboards) {
      const links = d.model.links as {
        url?: string;
        type: string;
        includeVars?: boolean;
        keepTime?: boolean;
      }[];
      const service = d.uid.startsWith("scotty-") ? "service=scotty&" : "";
      expect(links.map((l) => l.url)).toContain(
        `http://localhost:16686/search?${service}start=\${__from}000&end=\${__to}000`,
      );
      const explore = links.find((l) => l.url?.startsWith("/explore?"));
      const pane = decodeURIComponent(explore?.url ?? "");
      expect(pane).toContain('"uid":"jaeger"');
      expect(pane).toContain('"range":{"from":"${__from}","to":"${__to}"}');
      if (service !== "") expect(pane).toContain('"service":"scotty"');
      expect(links.find((l) => l.type === "dashboards")).toMatchObject({ includeVars: true, keepTime: true });
    }
  });

  it("draws the pipeline health from accepted/refused, sent/failed and queue size vs capacity", () => {
    const d = byUid(scottyDashboards, "otelcol-pipeline");
    const titled = (t: string) => panels(d).find((p) => p.title === t) as AnyPanel;
    const names = (t: string) =>
      (titled(t).targets ?? []).flatMap((x) => parsePromQL(runnable(x.expr)).metrics);
    expect(names("Metric points received")).toEqual([
      otelcol.byKey.receiverAcceptedMetricPoints.prometheusName,
      otelcol.byKey.receiverRefusedMetricPoints.prometheusName,
    ]);
    // The failed-send rate falls back to 0 with the sent series' labels (see below).
    expect(names("Spans exported")).toEqual([
      otelcol.byKey.exporterSentSpans.prometheusName,
      otelcol.byKey.exporterSendFailedSpans.prometheusName,
      otelcol.byKey.exporterSentSpans.prometheusName,
    ]);
    expect(names("Queue size vs capacity")).toEqual([
      otelcol.byKey.exporterQueueSize.prometheusName,
      otelcol.byKey.exporterQueueCapacity.prometheusName,
    ]);
    expect(titled("Fullest queue").fieldConfig?.defaults?.unit).toBe("percentunit");
    // Queue drops, memory against the memory_limiter, loss ratios.
    expect(names("Queue-full drops")).toEqual([
      otelcol.byKey.exporterEnqueueFailedMetricPoints.prometheusName,
      otelcol.byKey.exporterSentMetricPoints.prometheusName,
      otelcol.byKey.exporterEnqueueFailedSpans.prometheusName,
      otelcol.byKey.exporterSentSpans.prometheusName,
    ]);
    const memory = titled("Collector memory (RSS)") as AnyPanel & {
      fieldConfig: { defaults: { thresholds: { steps: { value: number | null }[] } } };
    };
    // 128 MiB container: memory_limiter hard limit 102 MiB, spike 20 MiB, soft limit 82 MiB.
    expect(memory.fieldConfig.defaults.thresholds.steps.map((x) => x.value)).toEqual([
      null,
      82 * 1048576,
      102 * 1048576,
    ]);
    expect(titled("Metric points lost").targets?.[0]?.expr).toMatch(
      /^\(\(sum\(rate\(otelcol_exporter_send_failed_metric_points/,
    );
  });
});

describe("panel units", () => {
  const dashboards = buildDashboards(checkout, { hostmetrics: false });
  const api = byUid(dashboards, "checkout-api");
  const panelFor = (d: GeneratedDashboard, title: string) =>
    panels(d).find((p) => p.title === title) as AnyPanel;

  it("shows a histogram in ms as ms: quantiles, mean, heatmap axis", () => {
    expect(panelFor(api, "Request duration p50 / p95 / p99").fieldConfig?.defaults?.unit).toBe("ms");
    expect(panelFor(api, "Request duration mean by http_route").fieldConfig?.defaults?.unit).toBe("ms");
    const heat = panelFor(api, "Request duration distribution");
    expect(heat.type).toBe("heatmap");
    expect(heat.options?.yAxis?.unit).toBe("ms");
  });

  it("shows a scotty histogram in s as s", () => {
    const tasks = byUid(scottyDashboards, "scotty-tasks");
    expect(panelFor(tasks, "Task duration p50 / p95 / p99").fieldConfig?.defaults?.unit).toBe("s");
  });

  it("shows the rate of a byte counter as bytes per second, and counts as they are", () => {
    // 1024-based like the byte values.
    expect(panelFor(api, "Response size /s").fieldConfig?.defaults?.unit).toBe("binBps");
    const payments = byUid(dashboards, "checkout-payments");
    expect(panelFor(payments, "Payments pending").fieldConfig?.defaults?.unit).toBe("short");
  });
});

describe("a second, non-scotty catalogue", () => {
  const dashboards = buildDashboards(checkout);

  it("gets its own overview and group dashboards, plus the built-in ones", () => {
    expect(dashboards.map((d) => [d.uid, d.title])).toEqual([
      ["checkout-overview", "Checkout / Overview"],
      ["checkout-api", "Checkout / API"],
      ["checkout-payments", "Checkout / Payments"],
      ["hostmetrics-host", "Host"],
      ["otelcol-pipeline", "OpenTelemetry Collector / Pipeline health"],
    ]);
  });

  it("queries only its own series (and the built-ins'), every one of them, all parseable", () => {
    const known = seriesOf(checkout, hostmetrics, otelcol);
    const used = new Set<string>();
    for (const d of dashboards) {
      for (const q of dashboardQueries(d)) {
        const parsed = parsePromQL(runnable(q));
        expect(parsed.errors).toBe(0);
        for (const n of parsed.metrics) {
          expect(known).toContain(n);
          used.add(n);
        }
      }
    }
    expect([...seriesOf(checkout)].filter((s) => !used.has(s))).toEqual([]);
    expect(used).toContain("checkout_request_duration_milliseconds_bucket");
    expect(used).toContain("checkout_response_size_bytes_total");
  });

  it("breaks metrics down by their attributes", () => {
    const queries = dashboards.flatMap(dashboardQueries);
    expect(queries.some((q) => q.startsWith("sum by (reason) (rate(checkout_card_declines_total{"))).toBe(
      true,
    );
    expect(queries.some((q) => q.startsWith("histogram_quantile(0.95, sum by (le, http_route) (rate("))).toBe(
      true,
    );
  });
});

describe("options", () => {
  it("leaves out the host dashboard when hostmetrics is false", () => {
    expect(buildDashboards(scotty, { hostmetrics: false }).map((d) => d.uid)).not.toContain(
      "hostmetrics-host",
    );
  });

  it("filters the collector's metrics by the configured scrape job", () => {
    const d = byUid(buildDashboards(scotty, { otelcolJob: "collector" }), "otelcol-pipeline");
    for (const q of dashboardQueries(d)) {
      const { selectors } = parsePromQL(q);
      expect(selectors.length).toBeGreaterThan(0);
      for (const sel of selectors) expect(sel.matchers[0]).toBe('job="collector"');
    }
  });

  it("filters host panels by host only when the collector labels them", () => {
    const d = byUid(buildDashboards(scotty, { hostInstanceLabel: false }), "hostmetrics-host");
    expect(templateVariables(d).map((v) => v.name)).toEqual(["datasource"]);
    for (const q of dashboardQueries(d)) {
      const { selectors } = parsePromQL(runnable(q));
      expect(selectors.length).toBeGreaterThan(0);
      for (const sel of selectors)
        expect(sel.matchers.filter((x) => /^(job|instance)\b/.test(x))).toEqual([]);
    }
  });

  it("uses the given datasource uid, Jaeger URL and folder", () => {
    const [d] = buildDashboards(scotty, {
      datasourceUid: "vm-prod",
      jaegerUiUrl: "https://jaeger.example.com/",
      folder: "Scotty",
    });
    const ds = templateVariables(d as GeneratedDashboard)[0];
    expect(ds?.name).toBe("datasource");
    const current = (
      (d?.model.templating as { list: { current: { value: string } }[] }).list[0] as {
        current: { value: string };
      }
    ).current;
    expect(current.value).toBe("vm-prod");
    expect((d?.model.links as { url?: string }[]).map((l) => l.url)).toContain(
      "https://jaeger.example.com/search?service=scotty&start=${__from}000&end=${__to}000",
    );
    expect(d?.folder).toBe("Scotty");
  });

  it("rejects bad options early, naming the setting", () => {
    expect(() => buildDashboards(scotty, { datasourceUid: "vm prod" })).toThrow(/datasourceUid "vm prod"/);
    expect(() => buildDashboards(scotty, { jaegerUiUrl: "localhost:16686" })).toThrow(/jaegerUiUrl/);
    expect(() => buildDashboards(scotty, { otelcolJob: 'a"b' })).toThrow(/otelcolJob/);
    expect(() => buildDashboards(scotty, { folder: " " })).toThrow(/folder/);
    expect(() => buildDashboards({} as Catalogue)).toThrow(/not a catalogue/);
  });
});

describe("uids", () => {
  it("keeps short uids readable and cuts long ones to 40 characters, still distinct", () => {
    expect(dashboardUid("scotty", "logs")).toBe("scotty-logs");
    expect(dashboardUid("My Shop", "Payments & Refunds")).toBe("my-shop-payments-refunds");
    const a = dashboardUid("a-very-long-catalogue-name-for-a-service", "payments-incoming");
    const b = dashboardUid("a-very-long-catalogue-name-for-a-service", "payments-outgoing");
    expect(a.length).toBeLessThanOrEqual(40);
    expect(b.length).toBeLessThanOrEqual(40);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[a-z0-9_-]+$/);
    expect(dashboardUid("a-very-long-catalogue-name-for-a-service", "payments-incoming")).toBe(a);
  });

  it("refuses a group whose dashboard would take the overview's uid", () => {
    const clash = defineMetrics({
      name: "shop",
      groups: { overview: { title: "Overview" } },
      metrics: {
        orders: {
          name: "shop.orders",
          kind: "counter",
          unit: "{order}",
          description: "Orders.",
          group: "overview",
        },
      },
    });
    expect(() => buildDashboards(clash)).toThrow(/share the uid "shop-overview".*Fix: rename the group/s);
  });
});

describe("metrics that only exist after their first event", () => {
  it("fall back to 0 with their requests counter's labels, never a label-less vector(0), and only they do", () => {
    const all = buildDashboards(scotty).flatMap(dashboardQueries);
    const lazy = otelcol.list.filter((m) => m.zeroWhenAbsent);
    expect(lazy.map((m) => m.prometheusName).sort()).toEqual([
      "otelcol_exporter_enqueue_failed_metric_points",
      "otelcol_exporter_enqueue_failed_spans",
      "otelcol_exporter_send_failed_metric_points",
      "otelcol_exporter_send_failed_spans",
    ]);
    expect(all.some((q) => q.includes("vector("))).toBe(false);
    const fallback = all.filter((q) => q.includes(" * 0)"));
    expect(fallback.length).toBeGreaterThanOrEqual(4);
    for (const q of fallback) {
      expect(parsePromQL(substituteVariables(q)).errors).toBe(0);
      // Each fallback is `(rate of the lazy counter or rate of its partner * 0)`, grouped alike.
      for (const m of /\((sum(?: by \([^)]*\))? )\(rate\((otelcol_\w+)\{[^}]*\}\[\$__rate_interval\]\)\) or (sum(?: by \([^)]*\))? )\(rate\((otelcol_\w+)\{/g[
        Symbol.matchAll
      ](q)) {
        const metric = lazy.find((x) => x.prometheusName === m[2]);
        expect(metric).toBeDefined();
        expect(m[3]).toBe(m[1]);
        const partner =
          otelcol.byKey[
            (otelcol.metrics as Record<string, { failuresOf?: string }>)[metric!.key]!
              .failuresOf as keyof typeof otelcol.byKey
          ];
        expect(m[4]).toBe(partner.prometheusName);
      }
      expect(withoutZeroFallbacks(q)).not.toContain(" * 0)");
    }
    for (const q of all.filter((x) => !x.includes(" * 0)"))) {
      expect(lazy.some((m) => q.includes(`${m.prometheusName}{`))).toBe(false);
    }
  });
});
