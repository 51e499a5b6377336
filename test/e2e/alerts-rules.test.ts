// The alerting e2e's expectations, read from the generator's rule file: which burn-rate alerts an
// error ratio must fire, and how fast.
import { ruleFileYaml, ruleGroups } from "../../alerts";
import { scottyAlerting } from "../../definitions";
import { expectedAlerts, parseRuleFile } from "./alerts-rules";

const objective = scottyAlerting.alerting.objectives.find((o) => o.key === "tasksAvailability");
const file = (windowScale: number) =>
  parseRuleFile(ruleFileYaml(ruleGroups(scottyAlerting, { windowScale }), { windowScale }));

describe("expectedAlerts (from render's vmalert/rules.yaml)", () => {
  if (objective === undefined) throw new Error("no tasksAvailability");

  it("finds the SRE workbook's pairs in the file: 14.4x 1h/5m and 6x 6h/30m page, 1x 3d/6h ticket", () => {
    expect(
      expectedAlerts(file(1), objective, 0.5).map((e) => [
        e.severity,
        e.burnRate,
        e.longWindowSeconds,
        e.shortWindowSeconds,
      ]),
    ).toEqual([
      ["page", "14.4", 3600, 300],
      ["page", "6", 21600, 1800],
      ["ticket", "1", 259200, 21600],
    ]);
  });

  it("expects only the rules whose threshold the ratio passes", () => {
    // Budget 0.5%: 14.4x = 7.2%, 6x = 3%, 1x = 0.5%.
    expect(expectedAlerts(file(1), objective, 0.05).map((e) => e.burnRate)).toEqual(["6", "1"]);
    expect(expectedAlerts(file(1), objective, 0.004)).toEqual([]);
  });

  it("times firing by the long window and resolving by the short one, at the file's scale", () => {
    const [page] = expectedAlerts(file(1 / 30), objective, 0.5);
    // 1h / 30 = 120 s; 120 x 0.072 / 0.5 = 17.28 s, no `for`, + the 2 s interval (1m / 30).
    expect(page?.longWindowSeconds).toBe(120);
    expect(page?.fireSeconds).toBeCloseTo(19.28, 2);
    // Short 5m / 30 = 10 s: 10 x (1 - 0.144) + 2.
    expect(page?.resolveSeconds).toBeCloseTo(10.56, 2);
  });

  it("refuses a rule whose labels do not match its expression", () => {
    const groups = file(1).map((g) => ({
      ...g,
      rules: g.rules.map((r) =>
        r.alert !== undefined && r.labels?.long_window === "1h"
          ? { ...r, labels: { ...r.labels, long_window: "2h" } }
          : r,
      ),
    }));
    expect(() => expectedAlerts(groups, objective, 0.5)).toThrow(/does not match its expression/);
  });
});
