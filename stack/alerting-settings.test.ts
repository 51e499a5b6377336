import versions from "../versions.json";
import {
  DEFAULT_ALERTING_IMAGES,
  DEFAULT_ALERTING_MEMORY_MB,
  DEFAULT_ALERTING_PORTS,
  resolveAlerting,
} from "./alerting-settings";
import { DEFAULT_PORTS, StackConfigError } from "./settings";

describe("resolveAlerting", () => {
  it("is off unless asked for", () => {
    for (const raw of [undefined, false, "false", { enabled: false }]) {
      expect(resolveAlerting(raw, DEFAULT_PORTS)).toBeUndefined();
    }
  });

  it("takes every default from true: images at the e2e's versions, loopback ports, measured memory", () => {
    const want = {
      images: {
        vmalert: `victoriametrics/vmalert:${versions.victoriametrics}`,
        alertmanager: `prom/alertmanager:${versions.alertmanager}`,
      },
      ports: { vmalert: 8880, alertmanager: 9093 },
      memoryMb: { vmalert: 32, alertmanager: 32 },
      evaluationInterval: "1m",
    };
    expect(resolveAlerting(true, DEFAULT_PORTS)).toEqual(want);
    expect(resolveAlerting("true", DEFAULT_PORTS)).toEqual(want);
    expect(resolveAlerting({}, DEFAULT_PORTS)).toEqual(want);
    expect(DEFAULT_ALERTING_IMAGES).toEqual(want.images);
    expect(DEFAULT_ALERTING_PORTS).toEqual(want.ports);
    expect(DEFAULT_ALERTING_MEMORY_MB).toEqual(want.memoryMb);
  });

  it("sets parts from an object", () => {
    const a = resolveAlerting(
      {
        ports: { vmalert: 18880 },
        memoryMb: { alertmanager: "64" },
        evaluationInterval: "1m",
        webhookUrl: "https://hooks.example/alerts",
      },
      DEFAULT_PORTS,
    );
    expect(a?.ports).toEqual({ vmalert: 18880, alertmanager: 9093 });
    expect(a?.memoryMb).toEqual({ vmalert: 32, alertmanager: 64 });
    expect(a?.evaluationInterval).toBe("1m");
    expect(a?.webhookUrl).toBe("https://hooks.example/alerts");
  });

  it.each([
    [{ enabld: true }, /alerting: unknown key "enabld"/],
    [{ enabled: "yes" }, /alerting.enabled: expected true or false/],
    [{ ports: { vmalert: 3000 } }, /alerting.ports.vmalert: host port 3000 is already used by ports.grafana/],
    [
      { ports: { alertmanager: 8880 } },
      /alerting.ports.alertmanager: host port 8880 is already used by alerting.ports.vmalert/,
    ],
    [{ ports: { vmalert: 0 } }, /alerting.ports.vmalert: expected an integer from 1 to 65535/],
    [{ memoryMb: { vmalert: 8 } }, /alerting.memoryMb.vmalert: expected an integer from 16/],
    [{ images: { vmalert: "victoriametrics/vmalert:latest" } }, /alerting.images.vmalert: .*exact tag/],
    [{ images: { alertmanager: "prom/alertmanager" } }, /alerting.images.alertmanager: .*exact tag/],
    [{ evaluationInterval: "30" }, /alerting.evaluationInterval: "30" is not a duration/],
    [{ webhookUrl: "hooks.example" }, /alerting.webhookUrl: "hooks.example" is not an http\(s\) URL/],
    ["yes", /alerting: expected an object/],
  ])("refuses %j with the key and the fix", (raw, message) => {
    expect(() => resolveAlerting(raw, DEFAULT_PORTS)).toThrow(StackConfigError);
    expect(() => resolveAlerting(raw, DEFAULT_PORTS)).toThrow(message);
  });
});
