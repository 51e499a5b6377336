import {
  ALERTS_SERIES,
  BUDGET_REMAINING_RECORD,
  BURN_ALERT_NAME,
  BURN_RATE_ALERTS,
  OBJECTIVE_RECORD,
  ruleGroups,
  SLI_ERROR_RECORD,
  type RuleGroup,
} from "../alerts";
import { parsePromQL } from "../alerts/test/parse";
import { defineAlerting, defineMetrics, scotty, scottyAlerting } from "../definitions";
import type { AlertingCatalogue } from "../definitions";
import { dashboardQueries, substituteVariables, templateVariables } from "./inspect";
import { lintDashboard } from "./lint";
import { serializeDashboard } from "./serialize";
import { BURN_RATE_UNIT, sloDashboards, sloDashboardUid } from "./slo";

interface Panel {
  type: string;
  title: string;
  panels?: Panel[];
  targets?: { expr: string; legendFormat?: string }[];
  fieldConfig?: {
    defaults?: {
      unit?: string;
      min?: number;
      max?: number;
      thresholds?: { steps: { value: number | null; color: string }[] };
    };
  };
}

function panels(model: Record<string, unknown>): Panel[] {
  const out: Panel[] = [];
  const walk = (list: Panel[] | undefined) => {
    for (const p of list ?? []) {
      out.push(p);
      walk(p.panels);
    }
  };
  walk(model.panels as Panel[]);
  return out;
}

const byTitle = (model: Record<string, unknown>, title: string): Panel => {
  const p = panels(model).find((x) => x.title === title);
  if (p === undefined) throw new Error(`no panel "${title}"`);
  return p;
};

/** A user catalogue with the three objective shapes and a 7-day window. */
const shop = defineAlerting(
  defineMetrics({
    name: "shop",
    groups: { main: { title: "Main" } },
    metrics: {
      orders: {
        name: "shop.orders",
        kind: "counter",
        unit: "{order}",
        description: "Orders, by outcome.",
        group: "main",
        attributes: { outcome: { values: ["ok", "error"], failure: ["error"] } },
      },
      payments: {
        name: "shop.payments",
        kind: "counter",
        unit: "{payment}",
        description: "Payments.",
        group: "main",
      },
      paymentErrors: {
        name: "shop.payment.errors",
        kind: "counter",
        unit: "{error}",
        description: "Failed payments.",
        group: "main",
        failuresOf: "payments",
        zeroWhenAbsent: true,
      },
      checkout: {
        name: "shop.checkout.duration",
        kind: "histogram",
        unit: "s",
        description: "Checkout time.",
        group: "main",
        buckets: [0.1, 0.25, 1],
      },
    },
  }),
  {
    objectives: {
      orders: { sli: "availability", metric: "orders", target: 99.9 },
      payments: {
        sli: "availability",
        metric: "payments",
        errors: "paymentErrors",
        target: 99,
        window: "7d",
      },
      checkout: { sli: "latency", metric: "checkout", threshold: 0.25, target: 95 },
    },
  },
);

/** Every (record, objective, window) the rules write; `window` "" for records without one. */
function recorded(groups: readonly RuleGroup[]): Set<string> {
  const out = new Set<string>();
  for (const g of groups)
    for (const r of g.rules)
      if ("record" in r) out.add(`${r.record}|${r.labels.objective}|${r.labels.window ?? ""}`);
  return out;
}

describe("sloDashboards", () => {
  const dashboards = sloDashboards(scottyAlerting);
  const tasks = dashboards[0];
  if (tasks === undefined) throw new Error("no dashboard");
  const objective = scottyAlerting.alerting.objectives[0];
  if (objective === undefined) throw new Error("no objective");

  it("makes one dashboard per objective, in declaration order, with stable uids", () => {
    expect(dashboards.map((d) => d.uid)).toEqual(
      scottyAlerting.alerting.objectives.map((o) => sloDashboardUid("scotty", o.key)),
    );
    expect(dashboards.map((d) => d.uid)).toEqual(["scotty-slo-tasksavailability", "scotty-slo-tasklatency"]);
    expect(tasks.title).toBe("Scotty / SLO: Tasks succeed");
    expect(tasks.model.uid).toBe(tasks.uid);
    expect(tasks.folder).toBe("Observability");
    expect(serializeDashboard(sloDashboards(scottyAlerting)[0] as never)).toBe(serializeDashboard(tasks));
  });

  it("has the SLI now, the budget left, the burn rates and the firing alerts", () => {
    expect(tasks.panels.map((p) => `${p.section}: ${p.title}`)).toEqual([
      "Now: SLI over 30d",
      "Now: Error budget left (30d)",
      "Now: Target",
      "Now: SLI per window",
      "Burn rate: Burn rate: page at 14.4× (1h and 5m)",
      "Burn rate: Burn rate: page at 6× (6h and 30m)",
      "Burn rate: Burn rate: ticket at 1× (3d and 6h)",
      "Over time: SLI per window",
      "Over time: Error budget left (30d)",
      "Over time: Firing burn-rate alerts",
    ]);
    // One stat per recorded window, shortest first, legend = the window label.
    const perWindow = byTitle(tasks.model, "SLI per window");
    expect(perWindow.type).toBe("stat");
    expect(perWindow.targets?.map((t) => t.legendFormat)).toEqual([
      "5m",
      "30m",
      "1h",
      "2h",
      "6h",
      "1d",
      "3d",
      "30d",
    ]);
  });

  it("queries exactly the records and alerts the rule generator writes", () => {
    const rules = recorded(ruleGroups(scottyAlerting));
    const known = new Set([SLI_ERROR_RECORD, OBJECTIVE_RECORD, BUDGET_REMAINING_RECORD, ALERTS_SERIES]);
    for (const d of dashboards) {
      const key = (d.uid === tasks.uid ? objective : scottyAlerting.alerting.objectives[1])?.key;
      for (const expr of dashboardQueries(d)) {
        const parsed = parsePromQL(substituteVariables(expr, { job: "scotty" }));
        expect({ expr, errors: parsed.errors }).toEqual({ expr, errors: 0 });
        for (const m of parsed.metrics) expect(known.has(m)).toBe(true);
        expect(expr).toContain(`objective="${key}"`);
        expect(expr).toContain('catalogue="scotty"');
        // Ratios per series: never added up.
        expect(expr).not.toMatch(/\b(sum|avg|count)\b/);
        const record = parsed.metrics[0] as string;
        if (record === ALERTS_SERIES) {
          expect(expr).toContain(`alertname="${BURN_ALERT_NAME}"`);
          continue;
        }
        const window = /window="([^"]+)"/.exec(expr)?.[1];
        if (window !== undefined) expect(rules.has(`${record}|${key}|${window}`)).toBe(true);
        else if (record === SLI_ERROR_RECORD) expect(rules.has(`${record}|${key}|5m`)).toBe(true);
        else expect(rules.has(`${record}|${key}|`)).toBe(true);
      }
    }
  });

  it("passes the dashboard lint (units, stat thresholds, templated datasource, parsing)", () => {
    for (const d of [...dashboards, ...sloDashboards(shop)])
      expect(lintDashboard(d.model, { catalogues: [], appCatalogues: [] })).toEqual([]);
  });

  it("shows ratios as percent and burn rates against each alert's threshold", () => {
    expect(byTitle(tasks.model, "SLI over 30d").fieldConfig?.defaults?.unit).toBe("percentunit");
    // Red under the 99.5% target.
    expect(byTitle(tasks.model, "SLI over 30d").fieldConfig?.defaults?.thresholds?.steps).toEqual([
      { value: null, color: "red" },
      { value: 0.995, color: "green" },
    ]);
    expect(byTitle(tasks.model, "Error budget left (30d)").fieldConfig?.defaults?.thresholds?.steps).toEqual([
      { value: null, color: "red" },
      { value: 0, color: "orange" },
      { value: 0.25, color: "green" },
    ]);
    const burn = panels(tasks.model).filter((p) => p.title.startsWith("Burn rate:"));
    expect(burn.map((p) => p.fieldConfig?.defaults?.unit)).toEqual(
      BURN_RATE_ALERTS.map(() => BURN_RATE_UNIT),
    );
    expect(burn.map((p) => p.fieldConfig?.defaults?.thresholds?.steps)).toEqual(
      BURN_RATE_ALERTS.map((b) => [
        { value: null, color: "green" },
        { value: b.burnRate, color: b.severity === "page" ? "red" : "orange" },
      ]),
    );
    // The 14.4x panel: the 1h and 5m error ratios over the 0.5% budget.
    expect(burn[0]?.targets?.map((t) => t.expr)).toEqual([
      'slo:sli_error:ratio_rate{catalogue="scotty",objective="tasksAvailability",job=~"$job",window="1h"} / 0.005',
      'slo:sli_error:ratio_rate{catalogue="scotty",objective="tasksAvailability",job=~"$job",window="5m"} / 0.005',
    ]);
  });

  it("picks one service at a time from the jobs that have the SLI recorded", () => {
    expect(templateVariables(tasks)).toEqual([
      { name: "datasource", type: "datasource", query: "prometheus" },
      {
        name: "job",
        type: "query",
        query:
          'label_values(slo:sli_error:ratio_rate{catalogue="scotty",objective="tasksAvailability"}, job)',
      },
    ]);
    const job = (
      tasks.model.templating as { list: { name: string; multi?: boolean; includeAll?: boolean }[] }
    ).list[1];
    expect([job?.multi ?? false, job?.includeAll ?? false]).toEqual([false, false]);
  });

  it("selects the scaled windows at the rules' windowScale", () => {
    const scaled = sloDashboards(scottyAlerting, { windowScale: 1 / 30 });
    const rules = recorded(ruleGroups(scottyAlerting, { windowScale: 1 / 30 }));
    const exprs = scaled.flatMap((d) => dashboardQueries(d));
    const windows = exprs.flatMap((e) =>
      [...e.matchAll(/objective="(\w+)".*window="([^"]+)"/g)].map((m) => m.slice(1)),
    );
    expect(windows.length).toBeGreaterThan(10);
    for (const [key, w] of windows) expect(rules.has(`${SLI_ERROR_RECORD}|${key}|${w}`)).toBe(true);
    expect(byTitle(scaled[0]?.model ?? {}, "Burn rate: page at 14.4× (2m and 10s)")).toBeDefined();
    // The unscaled labels are gone: those series do not exist at this scale.
    expect(exprs.some((e) => e.includes('window="1h"'))).toBe(false);
  });

  it("covers every objective shape of a user catalogue, with its own window", () => {
    const d = sloDashboards(shop);
    expect(d.map((x) => x.uid)).toEqual(["shop-slo-orders", "shop-slo-payments", "shop-slo-checkout"]);
    const payments = d[1];
    expect(payments?.panels.map((p) => p.title)).toContain("SLI over 7d");
    const rules = recorded(ruleGroups(shop));
    expect(rules.has(`${SLI_ERROR_RECORD}|payments|7d`)).toBe(true);
    expect(
      dashboardQueries(payments as never).filter((e) => e.includes('window="7d"')).length,
    ).toBeGreaterThan(0);
  });

  it("refuses a catalogue without alerting and bad options, naming the fix", () => {
    expect(() => sloDashboards(scotty as unknown as AlertingCatalogue)).toThrow(/defineAlerting/);
    expect(() => sloDashboards(scottyAlerting, { windowScale: 2 })).toThrow(/windowScale 2/);
    expect(() => sloDashboards(scottyAlerting, { datasourceUid: "a b" })).toThrow(/datasourceUid "a b"/);
    expect(() => sloDashboards(scottyAlerting, { folder: " " })).toThrow(/folder/);
  });

  it("gives no dashboard for a catalogue with alerts but no objectives", () => {
    const plain = defineAlerting(scotty, {
      alerts: {
        Busy: { metric: "tasks", above: 5, for: "5m", severity: "ticket", summary: "Busy." },
      },
    });
    expect(sloDashboards(plain)).toEqual([]);
  });
});
