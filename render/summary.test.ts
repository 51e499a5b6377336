import { defineMetrics, scotty } from "../definitions";
import type { MetricSpec } from "../definitions";
import { renderFiles } from "./files";
import { summarizeChange, summaryMarkdown } from "./summary";

/** scotty with `edit` applied to a copy of its metric specs. */
function variant(
  edit: (m: Record<string, MetricSpec>) => void,
  extraGroup = false,
): ReturnType<typeof defineMetrics> {
  const groups: Record<string, { title: string; description?: string }> = Object.fromEntries(
    scotty.groups.map((g) => [
      g.key,
      { title: g.title, ...(g.description ? { description: g.description } : {}) },
    ]),
  );
  if (extraGroup) groups.billing = { title: "Billing" };
  const metrics = { ...(scotty.metrics as Record<string, MetricSpec>) };
  edit(metrics);
  return defineMetrics({
    name: scotty.name,
    title: scotty.title,
    groups,
    seriesBudget: scotty.seriesBudget + 50,
    metrics,
  } as Parameters<typeof defineMetrics>[0]);
}

describe("summarizeChange", () => {
  const base = renderFiles(scotty);

  it("finds nothing between two renders of the same catalogue", () => {
    const s = summarizeChange(base, renderFiles(scotty));
    expect(s.metrics).toEqual({ added: [], removed: [], changed: [] });
    expect(s.dashboards).toEqual({ added: [], removed: [] });
    expect(s.panels).toEqual({ added: [], removed: [] });
    expect(s.collectorConfigChanged).toBe(false);
    expect(summaryMarkdown(s)).toContain("Metrics: +0 −0 ~0");
  });

  it("names added, removed and changed metrics, and the dashboards and panels they bring", () => {
    const first = scotty.list[0];
    if (first === undefined) throw new Error("scotty has no metrics");
    const removed = scotty.list.find((m) => m.group !== first.group && m.kind === "counter");
    if (removed === undefined) throw new Error("no counter outside the first group");
    const head = renderFiles(
      variant((m) => {
        m[first.key] = { ...m[first.key], description: "A new description." } as MetricSpec;
        delete m[removed.key];
        m.invoices = {
          name: "scotty.invoices",
          kind: "counter",
          unit: "{invoice}",
          description: "Invoices sent.",
          group: "billing",
        } as MetricSpec;
      }, true),
    );
    const s = summarizeChange(base, head);
    expect(s.metrics.added).toEqual(["scotty_invoices_total"]);
    expect(s.metrics.removed).toEqual([removed.prometheusName]);
    expect(s.metrics.changed).toEqual([{ name: first.prometheusName, fields: ["description"] }]);
    expect(s.dashboards.added).toHaveLength(1);
    expect(s.dashboards.added[0]).toMatch(/Billing/);
    expect(s.panels.removed.length).toBeGreaterThan(0);
    const md = summaryMarkdown(s);
    expect(md).toContain("`scotty_invoices_total`");
    expect(md).toContain(`\`${first.prometheusName}: description\``);
    expect(md).toContain("Metrics: +1 −1 ~1");
  });

  it("tells whether the collector config changed", () => {
    const head = renderFiles(scotty, { collector: { hostmetrics: false } });
    expect(summarizeChange(base, head).collectorConfigChanged).toBe(true);
  });
});
