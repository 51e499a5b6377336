import { parse } from "yaml";
import { alertmanagerConfig, alertmanagerYaml } from "./alertmanager";

describe("alertmanager.yml", () => {
  it("without a webhook: a null receiver, grouping by alertname and objective, tickets inhibited by pages", () => {
    expect(alertmanagerConfig()).toEqual({
      route: {
        receiver: "null",
        group_by: ["alertname", "objective"],
        group_wait: "30s",
        group_interval: "5m",
        repeat_interval: "4h",
      },
      inhibit_rules: [
        {
          source_matchers: ['severity="page"', 'objective=~".+"'],
          target_matchers: ['severity="ticket"', 'objective=~".+"'],
          equal: ["objective", "catalogue", "job"],
        },
      ],
      receivers: [{ name: "null" }],
    });
  });

  it("with a webhook: it receives firing and resolved alerts", () => {
    const c = alertmanagerConfig({ webhookUrl: "http://127.0.0.1:9099/alerts" });
    expect(c.receivers).toEqual([
      { name: "webhook", webhook_configs: [{ url: "http://127.0.0.1:9099/alerts", send_resolved: true }] },
    ]);
    expect((c.route as { receiver: string }).receiver).toBe("webhook");
  });

  it("scales its timers with windowScale (at least 1s)", () => {
    expect(alertmanagerConfig({ windowScale: 0.01 }).route).toMatchObject({
      group_wait: "1s",
      group_interval: "3s",
      repeat_interval: "144s",
    });
  });

  it("refuses a bad URL or timer, naming the option", () => {
    expect(() => alertmanagerConfig({ webhookUrl: "slack" })).toThrow(
      'webhookUrl "slack": give an http(s) URL',
    );
    expect(() => alertmanagerConfig({ groupWaitSeconds: 0 })).toThrow("groupWaitSeconds 0");
    expect(() => alertmanagerConfig({ windowScale: 3 })).toThrow("alerting.windowScale");
  });

  it("is deterministic YAML that reads back as the config", () => {
    const y = alertmanagerYaml({ webhookUrl: "http://127.0.0.1:9099/alerts" });
    expect(alertmanagerYaml({ webhookUrl: "http://127.0.0.1:9099/alerts" })).toBe(y);
    expect(parse(y)).toEqual(alertmanagerConfig({ webhookUrl: "http://127.0.0.1:9099/alerts" }));
  });
});
