import { DEFAULT_EXPORT_INTERVAL_MILLIS, DEFAULT_EXPORT_TIMEOUT_MILLIS, resolveExportConfig } from "./config";
import { MetricsConfigError } from "./errors";

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
    [{ exportIntervalMillis: 0 }, /option exportIntervalMillis must be a positive whole number/],
    [{ exportTimeoutMillis: 1.5 }, /option exportTimeoutMillis must be a positive whole number/],
    [{ protocol: "http" as never }, /option protocol must be one of grpc, http\/json/],
    [{ endpoint: "collector:4317" }, /option endpoint must be an http:\/\/ or https:\/\/ URL/],
    [{ endpoint: "not a url" }, /option endpoint must be an http:\/\/ or https:\/\/ URL/],
  ])("rejects bad options (a programming error), naming them (%j)", (options, message) => {
    expect(() => resolveExportConfig(options, {})).toThrow(MetricsConfigError);
    expect(() => resolveExportConfig(options, {})).toThrow(message);
  });

  // The OTel environment-variable spec: an invalid value is reported and ignored, never fatal.
  it.each([
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: "udp" }, { protocol: "grpc" }, /OTEL_EXPORTER_OTLP_PROTOCOL.*"udp"/],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: "http" }, { protocol: "grpc" }, /OTEL_EXPORTER_OTLP_PROTOCOL.*"http"/],
    [
      { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "x", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" },
      { protocol: "http/json" },
      /OTEL_EXPORTER_OTLP_METRICS_PROTOCOL.*"x"/,
    ],
    [{ OTEL_METRIC_EXPORT_INTERVAL: "abc" }, { exportIntervalMillis: 60_000 }, /OTEL_METRIC_EXPORT_INTERVAL/],
    [{ OTEL_METRIC_EXPORT_INTERVAL: "10s" }, { exportIntervalMillis: 60_000 }, /OTEL_METRIC_EXPORT_INTERVAL/],
    [{ OTEL_METRIC_EXPORT_TIMEOUT: "-1" }, { exportTimeoutMillis: 30_000 }, /OTEL_METRIC_EXPORT_TIMEOUT/],
    [{ OTEL_SDK_DISABLED: "1" }, { disabled: false }, /OTEL_SDK_DISABLED.*"1"/],
    [{ OTEL_SDK_DISABLED: "yes" }, { disabled: false }, /OTEL_SDK_DISABLED.*"yes"/],
  ])("warns about an invalid %j and uses the default instead", (env, expected, message) => {
    const warnings: string[] = [];
    const c = resolveExportConfig({}, env, (w) => warnings.push(w));
    expect(c).toMatchObject(expected);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(message);
  });

  it("disables only for OTEL_SDK_DISABLED=true (any case); false and empty are quiet", () => {
    const warnings: string[] = [];
    const disabled = (v: string) =>
      resolveExportConfig({}, { OTEL_SDK_DISABLED: v }, (w) => warnings.push(w));
    expect(disabled("True").disabled).toBe(true);
    expect(disabled("TRUE").disabled).toBe(true);
    expect(disabled("false").disabled).toBe(false);
    expect(disabled("FALSE").disabled).toBe(false);
    expect(disabled("").disabled).toBe(false);
    expect(warnings).toEqual([]);
  });
});
