// The alerting e2e's expectations: which burn-rate alerts an error ratio must fire, and how fast.
import { scottyAlerting } from "../../definitions";
import { BURN_RATE_TABLE, expectedAlerts, renderInterimAlerting, scaled } from "./alerts-rules";

const objective = scottyAlerting.alerting.objectives.find((o) => o.key === "tasksAvailability");
const names = { page: "Page", ticket: "Ticket" };

describe("expectedAlerts", () => {
  if (objective === undefined) throw new Error("no tasksAvailability");

  it("is the SRE workbook's table: 14.4x 1h/5m and 6x 6h/30m page, 1x 3d/6h ticket", () => {
    expect(BURN_RATE_TABLE.map((r) => [r.severity, r.factor, r.longSeconds, r.shortSeconds])).toEqual([
      ["page", 14.4, 3600, 300],
      ["page", 6, 21600, 1800],
      ["ticket", 1, 259200, 21600],
    ]);
  });

  it("expects only the rows whose threshold the ratio passes", () => {
    // Budget 0.5%: 14.4x = 7.2%, 6x = 3%, 1x = 0.5%.
    expect(expectedAlerts(objective, 0.5, 1, names).map((e) => e.factor)).toEqual([14.4, 6, 1]);
    expect(expectedAlerts(objective, 0.05, 1, names).map((e) => e.factor)).toEqual([6, 1]);
    expect(expectedAlerts(objective, 0.004, 1, names)).toEqual([]);
  });

  it("times firing by the long window and resolving by the short one, scaled", () => {
    const [page] = expectedAlerts(objective, 0.5, 1 / 30, names);
    // 1h / 30 = 120 s; 120 x 0.072 / 0.5 = 17.28 s, + for 2m / 30 = 4 s. Short 10 s x (1 - 0.144).
    expect(page?.fireSeconds).toBeCloseTo(21.28, 2);
    expect(page?.resolveSeconds).toBeCloseTo(8.56, 2);
  });

  it("scales durations to whole seconds, at least one", () => {
    expect(scaled(300, 1 / 30)).toBe("10s");
    expect(scaled(10, 1 / 30)).toBe("1s");
  });
});

describe("renderInterimAlerting", () => {
  it("keeps windows out of the rule names (a label instead) and inhibits tickets by pages", () => {
    const r = renderInterimAlerting(scottyAlerting.alerting.objectives, 1 / 30, "http://127.0.0.1:1/x");
    const text = r.ruleFiles.map((f) => f.content).join("\n");
    expect(text).toContain("window: 1h");
    expect(text).not.toMatch(/record: .*(5m|1h|6h|3d)/);
    expect(r.alertmanagerConfig).toContain('severity="ticket"');
    expect(r.alertmanagerConfig).toContain("http://127.0.0.1:1/x");
  });
});
