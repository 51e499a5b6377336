import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { defineMetrics, prometheusName, scotty, type Catalogue } from "../definitions";
import {
  collectorConfig,
  collectorConfigYaml,
  COMPONENT_IDS,
  componentType,
  DEFAULT_COLLECTOR_OPTIONS,
  memoryLimiterSettings,
  TRANSLATION_STRATEGY,
  type CollectorConfig,
  type CollectorOptions,
  type HostMetricsReceiverConfig,
  type MemoryLimiterProcessorConfig,
  type OtlpGrpcExporterConfig,
  type PrometheusRemoteWriteExporterConfig,
} from ".";

const GOLDEN = path.join(__dirname, "__golden__", "scotty-config.yaml");

function exporterOfType<T>(config: CollectorConfig, type: string): T {
  const ids = Object.keys(config.exporters).filter((id) => componentType(id) === type);
  expect(ids).toHaveLength(1);
  return config.exporters[ids[0]!] as T;
}

describe("collectorConfigYaml (golden)", () => {
  it("renders the scotty config exactly as the reviewed golden file", () => {
    const yaml = collectorConfigYaml(collectorConfig(scotty));
    if (process.env.UPDATE_GOLDEN === "1") {
      fs.mkdirSync(path.dirname(GOLDEN), { recursive: true });
      fs.writeFileSync(GOLDEN, yaml);
    }
    expect(yaml).toBe(fs.readFileSync(GOLDEN, "utf8"));
  });

  it("is deterministic, and parses back to the same object", () => {
    const a = collectorConfigYaml(collectorConfig(scotty));
    const b = collectorConfigYaml(collectorConfig(scotty));
    expect(a).toBe(b);
    expect(parse(a)).toEqual(JSON.parse(JSON.stringify(collectorConfig(scotty))));
  });

  it("writes map keys sorted at every level", () => {
    const check = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(check);
      else if (v !== null && typeof v === "object") {
        const keys = Object.keys(v);
        expect(keys).toEqual([...keys].sort());
        Object.values(v).forEach(check);
      }
    };
    check(parse(collectorConfigYaml(collectorConfig(scotty, { debug: true }))));
  });
});

describe("collectorConfig structure", () => {
  const config = collectorConfig(scotty);
  const pipelines = config.service.pipelines;

  it("has a traces, a metrics and a host metrics pipeline, each with memory_limiter first and batch last", () => {
    expect(Object.keys(pipelines).sort()).toEqual(["metrics", "metrics/host", "traces"]);
    for (const p of [pipelines.traces, pipelines.metrics]) {
      expect(p.processors).toEqual([COMPONENT_IDS.memoryLimiter, COMPONENT_IDS.batch]);
      expect(componentType(p.processors[0]!)).toBe("memory_limiter");
      expect(componentType(p.processors[1]!)).toBe("batch");
    }
    expect(pipelines["metrics/host"]?.processors).toEqual([
      COMPONENT_IDS.memoryLimiter,
      COMPONENT_IDS.hostResource,
      COMPONENT_IDS.batch,
    ]);
  });

  it("routes traces otlp → Jaeger (otlp_grpc) and metrics otlp + host_metrics → prometheus_remote_write", () => {
    expect(pipelines.traces.receivers).toEqual(["otlp"]);
    expect(pipelines.traces.exporters.map(componentType)).toEqual(["otlp_grpc"]);
    expect(pipelines.metrics.receivers).toEqual(["otlp"]);
    expect(pipelines.metrics.exporters.map(componentType)).toEqual(["prometheus_remote_write"]);
    expect(pipelines["metrics/host"]?.receivers).toEqual(["host_metrics"]);
    expect(pipelines["metrics/host"]?.exporters.map(componentType)).toEqual(["prometheus_remote_write"]);
  });

  it("declares every component a pipeline uses, and uses every component it declares", () => {
    const used = {
      receivers: new Set(Object.values(pipelines).flatMap((p) => p?.receivers ?? [])),
      processors: new Set(Object.values(pipelines).flatMap((p) => p?.processors ?? [])),
      exporters: new Set(Object.values(pipelines).flatMap((p) => p?.exporters ?? [])),
    };
    for (const kind of ["receivers", "processors", "exporters"] as const) {
      expect([...used[kind]].sort()).toEqual(Object.keys(config[kind]).sort());
    }
    expect(config.service.extensions).toEqual(Object.keys(config.extensions));
  });

  it("sets the remote write translation strategy explicitly, and nothing that renames series", () => {
    const prw = exporterOfType<PrometheusRemoteWriteExporterConfig>(config, "prometheus_remote_write");
    expect(prw.translation_strategy).toBe("UnderscoreEscapingWithSuffixes");
    expect(TRANSLATION_STRATEGY).toBe("UnderscoreEscapingWithSuffixes");
    const raw = prw as unknown as Record<string, unknown>;
    // namespace prefixes every name; add_metric_suffixes is the deprecated switch for suffixes;
    // resource_to_telemetry_conversion (deprecated) / resource_constant_labels would add labels.
    for (const key of [
      "namespace",
      "add_metric_suffixes",
      "resource_to_telemetry_conversion",
      "resource_constant_labels",
    ]) {
      expect(raw[key]).toBeUndefined();
    }
    // Only memory_limiter, batch and the host pipeline's resource processor sit between receivers
    // and exporters; none touches names, and the resource one only sets the host's job/instance.
    expect(Object.keys(config.processors).map(componentType).sort()).toEqual([
      "batch",
      "memory_limiter",
      "resource",
    ]);
    expect(config.processors[COMPONENT_IDS.hostResource]).toEqual({
      attributes: [
        { key: "service.name", value: "hostmetrics", action: "upsert" },
        { key: "service.instance.id", value: "${env:HOSTNAME:-localhost}", action: "upsert" },
        { key: "host.name", value: "${env:HOSTNAME:-localhost}", action: "upsert" },
      ],
    });
  });

  it("uses the non-deprecated http block for remote write, with retry and queue settings", () => {
    const prw = exporterOfType<PrometheusRemoteWriteExporterConfig>(config, "prometheus_remote_write");
    const raw = prw as unknown as Record<string, unknown>;
    expect(raw.endpoint).toBeUndefined();
    expect(raw.tls).toBeUndefined();
    expect(prw.http).toEqual({ endpoint: DEFAULT_COLLECTOR_OPTIONS.remoteWriteUrl, tls: { insecure: true } });
    expect(prw.retry_on_failure.enabled).toBe(true);
    expect(prw.remote_write_queue).toEqual({ enabled: true, queue_size: 10000, num_consumers: 5 });
    expect(raw.sending_queue).toBeUndefined();
  });

  it("exports traces to Jaeger over plain gRPC with retry and a sending queue", () => {
    const otlp = exporterOfType<OtlpGrpcExporterConfig>(config, "otlp_grpc");
    expect(otlp.endpoint).toBe("jaeger:4317");
    expect(otlp.tls).toEqual({ insecure: true });
    expect(otlp.retry_on_failure.enabled).toBe(true);
    expect(otlp.sending_queue.enabled).toBe(true);
  });

  it("has the health_check extension on 13133 and the telemetry reader on 0.0.0.0:8888", () => {
    expect(config.extensions[COMPONENT_IDS.healthCheck]).toEqual({ endpoint: "0.0.0.0:13133", path: "/" });
    expect(config.service.extensions).toEqual(["health_check"]);
    expect(config.service.telemetry.metrics.readers).toEqual([
      {
        pull: {
          exporter: {
            prometheus: {
              host: "0.0.0.0",
              port: 8888,
              without_scope_info: true,
              without_type_suffix: true,
              without_units: true,
            },
          },
        },
      },
    ]);
  });

  it("configures batch as specified and memory_limiter from the container limit", () => {
    expect(config.processors.batch).toEqual({ timeout: "10s", send_batch_size: 1024 });
    const ml = config.processors.memory_limiter as MemoryLimiterProcessorConfig;
    const expected = memoryLimiterSettings(DEFAULT_COLLECTOR_OPTIONS.memoryLimitMib);
    expect(ml).toEqual({
      check_interval: "1s",
      limit_mib: expected.limitMib,
      spike_limit_mib: expected.spikeLimitMib,
    });
  });

  it("emits no removed exporter (jaeger, logging)", () => {
    const types = Object.keys(collectorConfig(scotty, { debug: true }).exporters).map(componentType);
    expect(types).not.toContain("jaeger");
    expect(types).not.toContain("logging");
    expect(types).toContain("debug");
  });
});

describe("memoryLimiterSettings", () => {
  it.each([32, 64, 100, 512, 4096])(
    "for %i MiB: hard limit 80 %%, spike 20 %% of it, soft limit positive",
    (mib) => {
      const s = memoryLimiterSettings(mib);
      expect(s.limitMib).toBe(Math.floor(mib * 0.8));
      expect(s.limitMib).toBeLessThan(mib);
      expect(s.spikeLimitMib).toBe(Math.max(1, Math.floor(s.limitMib * 0.2)));
      // The collector rejects spike_limit_mib >= limit_mib (memorylimiter errSpikeLimitOutOfRange).
      expect(s.spikeLimitMib).toBeLessThan(s.limitMib);
      expect(s.goMemLimitMib).toBe(s.limitMib);
    },
  );

  it("follows the memoryLimitMib option", () => {
    const ml = collectorConfig(scotty, { memoryLimitMib: 512 }).processors.memory_limiter;
    expect(ml).toEqual({ check_interval: "1s", limit_mib: 409, spike_limit_mib: 81 });
  });
});

describe("collectorConfig options", () => {
  it("puts every endpoint where the options say (the e2e test passes 127.0.0.1 ports)", () => {
    const options: Partial<CollectorOptions> = {
      otlpGrpcEndpoint: "127.0.0.1:14317",
      otlpHttpEndpoint: "127.0.0.1:14318",
      jaegerEndpoint: "127.0.0.1:24317",
      remoteWriteUrl: "http://127.0.0.1:18428/api/v1/write",
      healthCheckEndpoint: "127.0.0.1:23133",
      telemetryHost: "127.0.0.1",
      telemetryPort: 18888,
    };
    const config = collectorConfig(scotty, options);
    const yaml = collectorConfigYaml(config);
    expect(config.receivers.otlp).toEqual({
      protocols: { grpc: { endpoint: "127.0.0.1:14317" }, http: { endpoint: "127.0.0.1:14318" } },
    });
    expect(exporterOfType<OtlpGrpcExporterConfig>(config, "otlp_grpc").endpoint).toBe("127.0.0.1:24317");
    expect(
      exporterOfType<PrometheusRemoteWriteExporterConfig>(config, "prometheus_remote_write").http.endpoint,
    ).toBe("http://127.0.0.1:18428/api/v1/write");
    expect(config.extensions.health_check).toEqual({ endpoint: "127.0.0.1:23133", path: "/" });
    expect(config.service.telemetry.metrics.readers[0].pull.exporter.prometheus).toEqual({
      host: "127.0.0.1",
      port: 18888,
      without_scope_info: true,
      without_type_suffix: true,
      without_units: true,
    });
    // None of the default container names leaks through.
    for (const name of [" jaeger:", "//victoriametrics:", "0.0.0.0", ":8888", ":13133", ":4317", ":4318"]) {
      expect(yaml).not.toContain(name);
    }
  });

  it("leaves out TLS settings for an https remote write URL", () => {
    const config = collectorConfig(scotty, { remoteWriteUrl: "https://vm.example.com/api/v1/write" });
    const prw = exporterOfType<PrometheusRemoteWriteExporterConfig>(config, "prometheus_remote_write");
    expect(prw.http).toEqual({ endpoint: "https://vm.example.com/api/v1/write" });
  });

  it("jaegerInsecure: false turns transport security on", () => {
    const config = collectorConfig(scotty, { jaegerInsecure: false });
    expect(exporterOfType<OtlpGrpcExporterConfig>(config, "otlp_grpc").tls).toEqual({ insecure: false });
  });

  it("hostmetrics: true adds the host_metrics receiver (cpu, memory, disk, network, filesystem, load, paging) in its own metrics pipeline", () => {
    const config = collectorConfig(scotty, { hostmetrics: true, hostmetricsInterval: "30s" });
    const hm = config.receivers.host_metrics as HostMetricsReceiverConfig;
    expect(hm.collection_interval).toBe("30s");
    expect(Object.keys(hm.scrapers).sort()).toEqual([
      "cpu",
      "disk",
      "filesystem",
      "load",
      "memory",
      "network",
      "paging",
    ]);
    expect(hm.scrapers.memory).toEqual({ metrics: { "system.memory.utilization": { enabled: true } } });
    expect(config.service.pipelines["metrics/host"]?.receivers).toEqual(["host_metrics"]);
    expect(config.service.pipelines.metrics.receivers).not.toContain("host_metrics");
    expect(config.service.pipelines.traces.receivers).not.toContain("host_metrics");
  });

  it("queueSize/queueConsumers set both exporters' queues; 0 keeps their defaults; batchTimeout sets the batch processor", () => {
    const small = collectorConfig(scotty, { queueSize: 1, queueConsumers: 1, batchTimeout: "1s" });
    const yaml = collectorConfigYaml(small);
    expect(yaml).toMatch(/sending_queue:\n\s+enabled: true\n\s+num_consumers: 1\n\s+queue_size: 1\n/);
    expect(yaml).toMatch(/remote_write_queue:\n\s+enabled: true\n\s+num_consumers: 1\n\s+queue_size: 1\n/);
    expect(yaml).toMatch(/batch:\n\s+send_batch_size: 1024\n\s+timeout: 1s\n/);
    const dflt = collectorConfigYaml(collectorConfig(scotty));
    expect(dflt).toMatch(/sending_queue:\n\s+enabled: true\n\s+num_consumers: 10\n\s+queue_size: 1000\n/);
    expect(dflt).toMatch(
      /remote_write_queue:\n\s+enabled: true\n\s+num_consumers: 5\n\s+queue_size: 10000\n/,
    );
    expect(dflt).toMatch(/timeout: 10s/);
  });

  it("hostRootPath sets the receiver's root_path (the host's view from a container), and is off by default", () => {
    const inContainer = collectorConfig(scotty, { hostRootPath: "/hostfs" });
    expect((inContainer.receivers.host_metrics as HostMetricsReceiverConfig).root_path).toBe("/hostfs");
    const onHost = collectorConfig(scotty);
    expect(Object.keys(onHost.receivers.host_metrics as object)).not.toContain("root_path");
  });

  it("hostmetrics: false removes the receiver from the config and the pipeline", () => {
    const config = collectorConfig(scotty, { hostmetrics: false });
    expect(Object.keys(config.receivers)).toEqual(["otlp"]);
    expect(config.service.pipelines.metrics.receivers).toEqual(["otlp"]);
    expect(config.service.pipelines["metrics/host"]).toBeUndefined();
    expect(Object.keys(config.processors)).not.toContain(COMPONENT_IDS.hostResource);
    expect(collectorConfigYaml(config)).not.toContain("host_metrics");
  });

  it("debug: true adds the debug exporter to both pipelines, after the real exporter", () => {
    const config = collectorConfig(scotty, { debug: true });
    expect(config.exporters.debug).toEqual({ verbosity: "basic" });
    expect(config.service.pipelines.traces.exporters).toEqual([COMPONENT_IDS.jaegerExporter, "debug"]);
    expect(config.service.pipelines.metrics.exporters).toEqual([COMPONENT_IDS.remoteWriteExporter, "debug"]);
  });

  it("debug: false (the default) has no debug exporter anywhere", () => {
    const config = collectorConfig(scotty);
    expect(config.exporters.debug).toBeUndefined();
    expect(collectorConfigYaml(config)).not.toMatch(/\bdebug\b/);
  });

  it("treats an explicit undefined as 'use the default'", () => {
    expect(collectorConfig(scotty, { debug: undefined, telemetryPort: undefined })).toEqual(
      collectorConfig(scotty),
    );
  });
});

describe("collectorConfig option validation", () => {
  const bad = (options: Record<string, unknown>): string => {
    try {
      collectorConfig(scotty, options as Partial<CollectorOptions>);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("expected collectorConfig to throw");
  };

  it.each([
    ["otlpGrpcEndpoint", "4317", /"otlpGrpcEndpoint" is "4317": expected "host:port"/],
    ["otlpHttpEndpoint", "http://0.0.0.0:4318", /"otlpHttpEndpoint" .*no scheme/],
    ["jaegerEndpoint", "jaeger:70000", /"jaegerEndpoint" is "jaeger:70000".*1 to 65535/],
    ["healthCheckEndpoint", "0.0.0.0:", /"healthCheckEndpoint"/],
    ["telemetryPort", 0, /"telemetryPort" is 0: expected an integer port from 1 to 65535/],
    ["telemetryPort", 8888.5, /"telemetryPort" is 8888.5/],
    ["telemetryHost", "0.0.0.0:8888", /"telemetryHost" .*without port/],
    ["remoteWriteUrl", "victoriametrics:8428/api/v1/write", /"remoteWriteUrl".*(not a URL|http or https)/],
    ["remoteWriteUrl", "ftp://vm/api/v1/write", /"remoteWriteUrl" must use http or https/],
    ["remoteWriteUrl", "http://victoriametrics:8428", /has no path.*\/api\/v1\/write/],
    ["remoteWriteUrl", "http://u:p@vm:8428/api/v1/write", /contains credentials/],
    ["memoryLimitMib", 32, /"memoryLimitMib" is 32: .*from 64 to 65536.*Fix: raise/],
    ["memoryLimitMib", 100.5, /"memoryLimitMib" is 100.5/],
    ["hostmetricsInterval", "15", /"hostmetricsInterval" is "15"/],
    ["retryMaxElapsed", "5 minutes", /"retryMaxElapsed" is "5 minutes"/],
    ["debug", "yes", /"debug" must be true or false/],
    ["queueSize", -1, /"queueSize" is -1: expected an integer from 0/],
    ["queueConsumers", 1.5, /"queueConsumers" is 1.5/],
    ["batchTimeout", "soon", /"batchTimeout" is "soon"/],
    ["hostRootPath", "hostfs", /"hostRootPath" is "hostfs": expected "" or an absolute path/],
  ])("rejects %s = %j with a message naming it", (key, value, message) => {
    expect(bad({ [key]: value })).toMatch(message);
  });

  it("rejects an unknown option, listing the valid ones", () => {
    expect(bad({ otlpEndpoint: "0.0.0.0:4317" })).toMatch(
      /"otlpEndpoint" is not a collector option\. Fix: use one of .*otlpGrpcEndpoint/,
    );
  });

  it("rejects two listeners on one port", () => {
    expect(bad({ healthCheckEndpoint: "0.0.0.0:4317" })).toMatch(
      /"otlpGrpcEndpoint" and "healthCheckEndpoint" both listen on port 4317/,
    );
    expect(bad({ telemetryPort: 4318 })).toMatch(
      /"otlpHttpEndpoint" and "telemetryHost\/telemetryPort" both listen on port 4318/,
    );
  });

  it("allows one port on two different specific hosts", () => {
    expect(() =>
      collectorConfig(scotty, { otlpGrpcEndpoint: "127.0.0.1:4317", healthCheckEndpoint: "127.0.0.2:4317" }),
    ).not.toThrow();
  });

  it("reports every problem at once", () => {
    const message = bad({ telemetryPort: -1, memoryLimitMib: 1, debug: 1 });
    expect(message).toMatch(/^Invalid collector options \(3 problems\)/);
  });
});

describe("collectorConfig and the catalogue", () => {
  it("refuses a catalogue whose stored series names are not what the exporter writes", () => {
    const shop = defineMetrics({
      name: "shop",
      groups: { orders: { title: "Orders" } },
      metrics: {
        orders: { name: "shop.orders", kind: "counter", unit: "{order}", description: "d", group: "orders" },
      },
    });
    expect(prometheusName("shop.orders", "{order}", "counter")).toBe("shop_orders_total");
    expect(() => collectorConfig(shop)).not.toThrow();
    const forged = { ...shop, list: [{ ...shop.list[0]!, prometheusName: "shop_orders" }] } as Catalogue;
    expect(() => collectorConfig(forged)).toThrow(
      /Catalogue "shop": series names do not match .*orders \(shop\.orders\): has shop_orders, the collector writes shop_orders_total/s,
    );
  });

  it("refuses something that is not a catalogue", () => {
    expect(() => collectorConfig({} as Catalogue)).toThrow(/must be a catalogue made by defineMetrics/);
  });
});

describe("retry", () => {
  it("retries for 5 minutes by default and for retryMaxElapsed when set, on both exporters", () => {
    const retries = (c: ReturnType<typeof collectorConfig>) =>
      Object.values(c.exporters).map(
        (e) => (e as { retry_on_failure?: { max_elapsed_time: string } }).retry_on_failure?.max_elapsed_time,
      );
    expect(retries(collectorConfig(scotty))).toEqual(["300s", "300s"]);
    expect(retries(collectorConfig(scotty, { retryMaxElapsed: "10s" }))).toEqual(["10s", "10s"]);
    // The collector refuses max_elapsed_time below initial_interval or max_interval: they are capped.
    const short = Object.values(collectorConfig(scotty, { retryMaxElapsed: "2s" }).exporters).map(
      (e) => (e as { retry_on_failure?: object }).retry_on_failure,
    );
    for (const r of short) {
      expect(r).toEqual({
        enabled: true,
        initial_interval: "2s",
        max_interval: "2s",
        max_elapsed_time: "2s",
      });
    }
  });
});
