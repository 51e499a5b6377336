import { parse } from "yaml";
import {
  dashboardProviderYaml,
  datasources,
  datasourcesYaml,
  DEFAULT_DASHBOARD_OPTIONS,
  DEFAULT_GRAFANA_PROVISIONING,
} from ".";

describe("datasources", () => {
  it("provisions VictoriaMetrics as the default Prometheus datasource and Jaeger, with fixed uids", () => {
    const doc = parse(datasourcesYaml()) as { apiVersion: number; datasources: Record<string, unknown>[] };
    expect(doc.apiVersion).toBe(1);
    expect(doc.datasources).toEqual([
      {
        name: "VictoriaMetrics",
        type: "prometheus",
        uid: "victoriametrics",
        url: "http://victoriametrics:8428",
        access: "proxy",
        isDefault: true,
        jsonData: { httpMethod: "POST", timeInterval: "15s" },
      },
      {
        name: "Jaeger",
        type: "jaeger",
        uid: "jaeger",
        url: "http://jaeger:16686",
        access: "proxy",
        isDefault: false,
        jsonData: {},
      },
    ]);
  });

  it("sets the datasource's timeInterval to the apps' export interval, the stack's 15 s by default", () => {
    // stack/program.ts appEnv: OTEL_METRIC_EXPORT_INTERVAL=15000.
    expect(datasources()[0]?.jsonData.timeInterval).toBe("15s");
    expect(datasources({ timeInterval: "60s" })[0]?.jsonData.timeInterval).toBe("60s");
    expect(() => datasources({ timeInterval: "15" })).toThrow(/timeInterval "15" is not a duration/);
  });

  it("uses the uids the dashboards point at by default", () => {
    const [vm, jaeger] = datasources();
    expect(vm?.uid).toBe(DEFAULT_DASHBOARD_OPTIONS.datasourceUid);
    expect(jaeger?.uid).toBe(DEFAULT_DASHBOARD_OPTIONS.jaegerDatasourceUid);
  });

  it("takes other URLs, and writes a literal $ as $$ so Grafana does not expand it", () => {
    const text = datasourcesYaml({ victoriaMetricsUrl: "http://vm:8428/select/0/prometheus?x=$y" });
    expect(text).toContain("url: http://vm:8428/select/0/prometheus?x=$$y");
    // The typed objects keep the real value: they go to the Grafana API, which expands nothing.
    expect(datasources({ victoriaMetricsUrl: "http://vm:8428/?x=$y" })[0]?.url).toBe("http://vm:8428/?x=$y");
  });

  it("is byte-stable with sorted keys", () => {
    const text = datasourcesYaml();
    expect(datasourcesYaml()).toBe(text);
    expect(text.startsWith("apiVersion: 1\ndatasources:\n  - access: proxy\n")).toBe(true);
  });

  it("rejects a URL that is not http(s), naming the setting", () => {
    expect(() => datasources({ jaegerUrl: "jaeger:16686" })).toThrow(/jaegerUrl "jaeger:16686"/);
  });
});

describe("dashboard provider", () => {
  it("loads the dashboard files into the folder, read-only", () => {
    const doc = parse(dashboardProviderYaml({ folder: "Scotty" })) as {
      apiVersion: number;
      providers: Record<string, unknown>[];
    };
    expect(doc.apiVersion).toBe(1);
    expect(doc.providers).toEqual([
      {
        name: "observability-stack",
        folder: "Scotty",
        type: "file",
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: DEFAULT_GRAFANA_PROVISIONING.dashboardsPath, foldersFromFilesStructure: false },
      },
    ]);
  });

  it("rejects a relative dashboards path", () => {
    expect(() => dashboardProviderYaml({ dashboardsPath: "dashboards" })).toThrow(
      /dashboardsPath "dashboards"/,
    );
  });
});
