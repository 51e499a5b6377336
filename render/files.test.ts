import { parse } from "yaml";
import { buildDashboards, serializeDashboard } from "../dashboards";
import { defineMetrics, scotty } from "../definitions";
import { collectorConfig, collectorConfigYaml } from "../collector";
import { dashboardsMarkdown } from "./documents";
import { metricsJson, metricsMarkdown, RENDERED_PATHS, renderFiles, renderStats, type RenderedFile } from ".";

function file(files: readonly RenderedFile[], path: string): string {
  const f = files.find((x) => x.path === path);
  if (f === undefined) throw new Error(`no ${path} in ${files.map((x) => x.path).join(", ")}`);
  return f.content;
}

const tiny = defineMetrics({
  name: "tiny",
  groups: { main: { title: "Main" } },
  metrics: {
    jobs: { name: "tiny.jobs", kind: "counter", unit: "{job}", description: "Jobs run.", group: "main" },
  },
});

describe("renderFiles", () => {
  const files = renderFiles(scotty);

  it("returns the fixed files plus one JSON file per dashboard, sorted by path", () => {
    const dashboards = buildDashboards(scotty);
    const expected = [
      RENDERED_PATHS.collectorConfig,
      RENDERED_PATHS.scrapeConfig,
      RENDERED_PATHS.datasources,
      RENDERED_PATHS.dashboardProvider,
      RENDERED_PATHS.metricsJson,
      RENDERED_PATHS.metricsMarkdown,
      RENDERED_PATHS.dashboardsMarkdown,
      ...dashboards.map((d) => `grafana/dashboards/${d.uid}.json`),
    ];
    const paths = files.map((f) => f.path);
    expect([...paths].sort()).toEqual([...expected].sort());
    expect(paths).toEqual([...paths].sort());
    expect(new Set(paths).size).toBe(paths.length);
    for (const d of dashboards)
      expect(file(files, `grafana/dashboards/${d.uid}.json`)).toBe(serializeDashboard(d));
  });

  it("is deterministic: rendering twice gives the same paths and bytes", () => {
    expect(renderFiles(scotty)).toEqual(files);
    expect(JSON.stringify(renderFiles(tiny))).toBe(JSON.stringify(renderFiles(tiny)));
  });

  it("holds the generators' output for the catalogue", () => {
    expect(file(files, "collector/config.yaml")).toBe(collectorConfigYaml(collectorConfig(scotty)));
    expect(file(files, "metrics.json")).toBe(metricsJson(scotty));
    expect(file(files, "METRICS.md")).toBe(metricsMarkdown(scotty));
    expect(file(files, "DASHBOARDS.md")).toBe(dashboardsMarkdown(buildDashboards(scotty)));
    for (const f of files.filter((x) => x.path.endsWith(".yaml")))
      expect(() => parse(f.content)).not.toThrow();
    for (const f of files.filter((x) => x.path.endsWith(".json")))
      expect(() => JSON.parse(f.content)).not.toThrow();
  });

  it("defaults to the stack's container names", () => {
    expect(file(files, "collector/config.yaml")).toContain("endpoint: jaeger:4317");
    expect(file(files, "collector/config.yaml")).toContain(
      "endpoint: http://victoriametrics:8428/api/v1/write",
    );
    expect(file(files, "victoriametrics/scrape.yaml")).toContain("- otel-collector:8888");
    const ds = parse(file(files, RENDERED_PATHS.datasources)) as {
      datasources: { type: string; url: string }[];
    };
    expect(ds.datasources.map((d) => [d.type, d.url]).sort()).toEqual([
      ["jaeger", "http://jaeger:16686"],
      ["prometheus", "http://victoriametrics:8428"],
    ]);
  });

  it("passes options through to each generator", () => {
    const out = renderFiles(scotty, {
      collector: { telemetryHost: "127.0.0.1", telemetryPort: 18888, debug: true },
      grafana: { victoriaMetricsUrl: "http://127.0.0.1:18428" },
      scrape: { scrapeInterval: "1s" },
    });
    const collector = parse(file(out, "collector/config.yaml")) as {
      exporters: Record<string, unknown>;
      service: { telemetry: { metrics: { readers: { pull: { exporter: { prometheus: unknown } } }[] } } };
    };
    expect(collector.exporters.debug).toBeDefined();
    expect(collector.service.telemetry.metrics.readers[0]!.pull.exporter.prometheus).toEqual({
      host: "127.0.0.1",
      port: 18888,
      without_scope_info: true,
      without_type_suffix: true,
      without_units: true,
    });
    // The scrape target follows the telemetry port unless given.
    const scrape = file(out, "victoriametrics/scrape.yaml");
    expect(scrape).toContain("- otel-collector:18888");
    expect(scrape).toContain("scrape_interval: 1s");
    expect(file(out, RENDERED_PATHS.datasources)).toContain("http://127.0.0.1:18428");
  });

  it("keeps hostmetrics consistent between the collector and the dashboards", () => {
    const hostDashboards = (out: RenderedFile[]) =>
      out.filter((f) => f.path.startsWith("grafana/dashboards/hostmetrics"));
    const hasReceiver = (out: RenderedFile[]) => file(out, "collector/config.yaml").includes("host_metrics:");
    expect(hostDashboards(files).length).toBeGreaterThan(0);
    expect(hasReceiver(files)).toBe(true);
    for (const out of [
      renderFiles(scotty, { collector: { hostmetrics: false } }),
      renderFiles(scotty, { dashboards: { hostmetrics: false } }),
    ]) {
      expect(hostDashboards(out)).toEqual([]);
      expect(hasReceiver(out)).toBe(false);
    }
    expect(() =>
      renderFiles(scotty, { collector: { hostmetrics: false }, dashboards: { hostmetrics: true } }),
    ).toThrow(
      /collector\.hostmetrics is false but dashboards\.hostmetrics is true: the host dashboards would stay empty\. Fix: set both the same/,
    );
  });

  it("uses one scrape job name for VictoriaMetrics and the pipeline dashboard", () => {
    const out = renderFiles(scotty, { dashboards: { otelcolJob: "collector-self" } });
    expect(file(out, "victoriametrics/scrape.yaml")).toContain("job_name: collector-self");
    expect(file(out, "grafana/dashboards/otelcol-pipeline.json")).toContain("collector-self");
    expect(() => renderFiles(scotty, { dashboards: { otelcolJob: "a" }, scrape: { jobName: "b" } })).toThrow(
      /scrape\.jobName "b" differs from dashboards\.otelcolJob "a"/,
    );
  });

  it("uses one Grafana folder for the provider and the dashboards", () => {
    const out = renderFiles(scotty, { grafana: { folder: "Scotty" } });
    expect(file(out, RENDERED_PATHS.dashboardProvider)).toContain("folder: Scotty");
    expect(() => renderFiles(scotty, { grafana: { folder: "A" }, dashboards: { folder: "B" } })).toThrow(
      /grafana\.folder "A" differs from dashboards\.folder "B"/,
    );
  });

  it("raises bad collector options with the option's name", () => {
    expect(() => renderFiles(scotty, { collector: { telemetryPort: 70000 } })).toThrow(
      /"telemetryPort" is 70000/,
    );
  });

  it("refuses a value that is not a catalogue", () => {
    expect(() => renderFiles({ name: "x" } as never)).toThrow(/not a catalogue.*defineMetrics/);
  });
});

describe("renderStats", () => {
  it("counts files, the catalogue's metrics, dashboards and their non-row panels", () => {
    const files = renderFiles(scotty);
    const dashboards = buildDashboards(scotty);
    const panelsOf = (panels: unknown): number =>
      Array.isArray(panels)
        ? panels.reduce<number>(
            (n, p: { type?: string; panels?: unknown }) =>
              n + (p.type === "row" ? 0 : 1) + panelsOf(p.panels),
            0,
          )
        : 0;
    expect(renderStats(files)).toEqual({
      files: files.length,
      metrics: scotty.list.length,
      dashboards: dashboards.length,
      panels: dashboards.reduce((n, d) => n + panelsOf(d.model.panels), 0),
    });
    expect(renderStats(renderFiles(tiny)).metrics).toBe(1);
  });
});
