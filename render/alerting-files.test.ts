// renderFiles writes the rules and the Alertmanager config only for a catalogue with alerting.
import { parse } from "yaml";
import { ruleFileYaml, ruleGroups } from "../alerts";
import { sloDashboards } from "../dashboards";
import { scotty, scottyAlerting } from "../definitions";
import { metricsJson } from "./documents";
import { RENDERED_PATHS, renderFiles } from "./files";

describe("renderFiles with alerting", () => {
  it("adds vmalert/rules.yaml, alertmanager/alertmanager.yml and the SLO dashboards; the documents gain them", () => {
    const plain = renderFiles(scotty);
    const withAlerting = renderFiles(scottyAlerting);
    const added = withAlerting.filter((f) => !plain.some((p) => p.path === f.path)).map((f) => f.path);
    expect(added).toEqual([
      RENDERED_PATHS.alertmanagerConfig,
      ...sloDashboards(scottyAlerting)
        .map((d) => `${RENDERED_PATHS.dashboardsDir}/${d.uid}.json`)
        .sort(),
      RENDERED_PATHS.vmalertRules,
    ]);
    expect(added).toContain(`${RENDERED_PATHS.dashboardsDir}/scotty-slo-tasksavailability.json`);
    // The documents list the SLO dashboards, objectives and alerts; nothing else changes.
    const documents: string[] = [
      RENDERED_PATHS.metricsJson,
      RENDERED_PATHS.metricsMarkdown,
      RENDERED_PATHS.dashboardsMarkdown,
    ];
    for (const p of plain) {
      const content = withAlerting.find((f) => f.path === p.path)?.content;
      if (!documents.includes(p.path)) expect(content).toBe(p.content);
    }
    const md = withAlerting.find((f) => f.path === RENDERED_PATHS.metricsMarkdown)?.content ?? "";
    const plainMd = plain.find((f) => f.path === RENDERED_PATHS.metricsMarkdown)?.content ?? "";
    // The metric tables unchanged, then the two new sections.
    expect(md.startsWith(plainMd.trimEnd())).toBe(true);
    expect(md.slice(plainMd.length).match(/^## .*/gm)).toEqual(["## Objectives", "## Alerts"]);
    const json = JSON.parse(withAlerting.find((f) => f.path === RENDERED_PATHS.metricsJson)?.content ?? "{}");
    const plainJson = JSON.parse(plain.find((f) => f.path === RENDERED_PATHS.metricsJson)?.content ?? "{}");
    const { alerting, ...rest } = json as { alerting?: unknown };
    expect(rest).toEqual(plainJson);
    expect(alerting).toBeDefined();
  });

  it("passes windowScale to the rules and the Alertmanager timers, and the webhook URL", () => {
    const files = renderFiles(scottyAlerting, {
      alerting: { windowScale: 0.01, alertmanager: { webhookUrl: "http://127.0.0.1:9099/alerts" } },
    });
    const rules = files.find((f) => f.path === RENDERED_PATHS.vmalertRules)?.content;
    expect(rules).toBe(
      ruleFileYaml(ruleGroups(scottyAlerting, { windowScale: 0.01 }), { windowScale: 0.01 }),
    );
    const am = parse(files.find((f) => f.path === RENDERED_PATHS.alertmanagerConfig)?.content ?? "") as {
      route: { group_wait: string; receiver: string };
    };
    expect(am.route).toMatchObject({ group_wait: "1s", receiver: "webhook" });
    // The documents describe the rules that are rendered: at the same windowScale.
    const json = files.find((f) => f.path === RENDERED_PATHS.metricsJson)?.content;
    expect(json).toBe(metricsJson(scottyAlerting, { alerting: { windowScale: 0.01 } }));
    expect(json).not.toBe(metricsJson(scottyAlerting));
  });

  it("is deterministic", () => {
    expect(renderFiles(scottyAlerting)).toEqual(renderFiles(scottyAlerting));
  });
});
