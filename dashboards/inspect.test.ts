import { scotty } from "../definitions";
import { buildDashboards, dashboardQueries, substituteVariables, templateVariables } from ".";

describe("substituteVariables", () => {
  it("replaces Grafana's rate interval and the label variables by runnable values", () => {
    expect(substituteVariables('sum(rate(x{job=~"$job",instance=~"${instance}"}[$__rate_interval]))')).toBe(
      'sum(rate(x{job=~".*",instance=~".*"}[5m]))',
    );
  });

  it("takes other values", () => {
    expect(
      substituteVariables('x{job=~"$job"}[$__rate_interval]', { job: "scotty", __rate_interval: "1m" }),
    ).toBe('x{job=~"scotty"}[1m]');
  });

  it("refuses a variable it has no value for, naming it", () => {
    expect(() => substituteVariables('x{env="$env"}')).toThrow(/"\$env"/);
  });

  it("leaves no variable in any generated query", () => {
    for (const d of buildDashboards(scotty)) {
      for (const q of dashboardQueries(d)) expect(substituteVariables(q)).not.toContain("$");
    }
  });
});

describe("dashboardQueries and templateVariables", () => {
  it("return the targets' expressions in panel order and the variables in order", () => {
    const d = buildDashboards(scotty).find((x) => x.uid === "scotty-system");
    if (d === undefined) throw new Error("no scotty-system dashboard");
    type P = { targets?: { expr: string }[]; panels?: P[] };
    // A collapsed row holds its panels: they come right after the row, in order.
    const flat = (list: P[]): P[] => list.flatMap((p) => [p, ...flat(p.panels ?? [])]);
    const panels = flat(d.model.panels as P[]);
    expect(dashboardQueries(d)).toEqual(panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)));
    // And they agree with the placed panels the builder reports.
    expect(dashboardQueries(d)).toEqual(d.panels.flatMap((p) => p.exprs));
    expect(templateVariables(d).map((v) => `${v.type}:${v.name}`)).toEqual([
      "datasource:datasource",
      "query:job",
      "query:instance",
    ]);
  });

  it("also reads the panels inside collapsed rows", () => {
    const d = {
      model: {
        panels: [{ type: "row", panels: [{ targets: [{ expr: "up" }] }] }, { targets: [{ expr: "b" }] }],
      },
    };
    expect(dashboardQueries(d)).toEqual(["up", "b"]);
  });
});
