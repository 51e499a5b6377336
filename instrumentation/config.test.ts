import { DEFAULT_EXPORT_INTERVAL_MILLIS, DEFAULT_EXPORT_TIMEOUT_MILLIS, resolveExportConfig } from "./config";
import { MetricsConfigError } from "./system";

describe("resolveExportConfig", () => {
  it("defaults to gRPC, enabled, the exporters' own endpoint resolution and the spec's intervals", () => {
    expect(resolveExportConfig({}, {})).toEqual({
      disabled: false,
      protocol: "grpc",
      exportIntervalMillis: DEFAULT_EXPORT_INTERVAL_MILLIS,
      exportTimeoutMillis: DEFAULT_EXPORT_TIMEOUT_MILLIS,
    });
  });

  it("reads OTEL_SDK_DISABLED, the protocol variables (metrics-specific first) and the interval variables", () => {
    const c = resolveExportConfig(
      {},
      {
        OTEL_SDK_DISABLED: "TRUE",
        OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "http/json",
        OTEL_METRIC_EXPORT_INTERVAL: "5000",
        OTEL_METRIC_EXPORT_TIMEOUT: "2000",
      },
    );
    expect(c).toEqual({
      disabled: true,
      protocol: "http/json",
      exportIntervalMillis: 5000,
      exportTimeoutMillis: 2000,
    });
    expect(resolveExportConfig({}, { OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" }).protocol).toBe(
      "http/protobuf",
    );
  });

  it("lets options win over the environment", () => {
    const c = resolveExportConfig(
      { disabled: false, protocol: "grpc", exportIntervalMillis: 1000 },
      {
        OTEL_SDK_DISABLED: "true",
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_METRIC_EXPORT_INTERVAL: "5000",
      },
    );
    expect(c.disabled).toBe(false);
    expect(c.protocol).toBe("grpc");
    expect(c.exportIntervalMillis).toBe(1000);
  });

  it("never lets the timeout exceed the interval (the reader would refuse it)", () => {
    expect(resolveExportConfig({ exportIntervalMillis: 500 }, {}).exportTimeoutMillis).toBe(500);
  });

  it("turns the endpoint option into the exporter URL: as is for gRPC, with /v1/metrics for HTTP", () => {
    expect(resolveExportConfig({ endpoint: "http://collector:4317" }, {}).url).toBe("http://collector:4317");
    expect(resolveExportConfig({ endpoint: "http://collector:4318/", protocol: "http/json" }, {}).url).toBe(
      "http://collector:4318/v1/metrics",
    );
    expect(resolveExportConfig({ endpoint: "http://c:4318/v1/metrics", protocol: "http/json" }, {}).url).toBe(
      "http://c:4318/v1/metrics",
    );
  });

  it.each([
    [
      {},
      { OTEL_EXPORTER_OTLP_PROTOCOL: "udp" },
      /OTEL_EXPORTER_OTLP_PROTOCOL must be one of grpc, http\/json/,
    ],
    [{}, { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "x" }, /OTEL_EXPORTER_OTLP_METRICS_PROTOCOL must be one of/],
    [
      {},
      { OTEL_METRIC_EXPORT_INTERVAL: "10s" },
      /OTEL_METRIC_EXPORT_INTERVAL must be a positive whole number/,
    ],
    [{}, { OTEL_SDK_DISABLED: "yes" }, /OTEL_SDK_DISABLED must be "true" or "false"/],
    [{ exportIntervalMillis: 0 }, {}, /option exportIntervalMillis must be a positive whole number/],
    [{ endpoint: "collector:4317" }, {}, /option endpoint must be an http:\/\/ or https:\/\/ URL/],
    [{ endpoint: "not a url" }, {}, /option endpoint must be an http:\/\/ or https:\/\/ URL/],
  ])("rejects bad settings, naming them (%j %j)", (options, env, message) => {
    expect(() => resolveExportConfig(options, env)).toThrow(MetricsConfigError);
    expect(() => resolveExportConfig(options, env)).toThrow(message);
  });
});
