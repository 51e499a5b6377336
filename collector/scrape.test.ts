import { parse } from "yaml";
import { DEFAULT_SCRAPE_OPTIONS, victoriaMetricsScrapeConfig } from ".";

describe("victoriaMetricsScrapeConfig", () => {
  it("scrapes the collector's telemetry endpoint with the given job and interval", () => {
    const doc = parse(victoriaMetricsScrapeConfig(DEFAULT_SCRAPE_OPTIONS)) as unknown;
    expect(doc).toEqual({
      scrape_configs: [
        {
          job_name: "otelcol",
          scrape_interval: "15s",
          metrics_path: "/metrics",
          static_configs: [{ targets: ["otel-collector:8888"] }],
        },
      ],
    });
  });

  it("follows the options (the e2e test passes a 127.0.0.1 port)", () => {
    const doc = parse(
      victoriaMetricsScrapeConfig({
        collectorTarget: "127.0.0.1:18888",
        jobName: "otelcol-e2e",
        scrapeInterval: "1s",
      }),
    ) as {
      scrape_configs: {
        job_name: string;
        scrape_interval: string;
        static_configs: { targets: string[] }[];
      }[];
    };
    expect(doc.scrape_configs[0]!.job_name).toBe("otelcol-e2e");
    expect(doc.scrape_configs[0]!.scrape_interval).toBe("1s");
    expect(doc.scrape_configs[0]!.static_configs[0]!.targets).toEqual(["127.0.0.1:18888"]);
  });

  it("is deterministic", () => {
    expect(victoriaMetricsScrapeConfig(DEFAULT_SCRAPE_OPTIONS)).toBe(
      victoriaMetricsScrapeConfig({ ...DEFAULT_SCRAPE_OPTIONS }),
    );
  });

  it.each([
    [
      { collectorTarget: "http://otel-collector:8888" },
      /collectorTarget "http:\/\/otel-collector:8888": expected "host:port"/,
    ],
    [{ collectorTarget: "otel-collector" }, /collectorTarget/],
    [{ collectorTarget: "otel-collector:0" }, /collectorTarget/],
    [{ jobName: "otel col" }, /jobName "otel col"/],
    [{ scrapeInterval: "15" }, /scrapeInterval "15"/],
  ])("rejects %j", (bad, message) => {
    expect(() => victoriaMetricsScrapeConfig({ ...DEFAULT_SCRAPE_OPTIONS, ...bad })).toThrow(message);
  });
});
