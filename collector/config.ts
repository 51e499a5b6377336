// The collector config for a catalogue: OTLP in; traces to Jaeger, metrics to VictoriaMetrics.
// Component types are the non-deprecated names at the pinned collector (0.161.0): `otlp_grpc`,
// `prometheus_remote_write` and `host_metrics` (the old `otlp`, `prometheusremotewrite` and
// `hostmetrics` still load but log "alias is deprecated").
import { stringify } from "yaml";
import { prometheusName, type Catalogue } from "../definitions";
import type {
  CollectorConfig,
  ExporterConfig,
  PrometheusRemoteWriteExporterConfig,
  ReceiverConfig,
  RetryOnFailureConfig,
} from "./model";
import { memoryLimiterSettings, resolveCollectorOptions, durationMs, type CollectorOptions } from "./options";

/** Component ids used in the generated config (`type[/name]`). */
export const COMPONENT_IDS = Object.freeze({
  otlpReceiver: "otlp",
  hostmetricsReceiver: "host_metrics",
  memoryLimiter: "memory_limiter",
  batch: "batch",
  hostResource: "resource/host",
  jaegerExporter: "otlp_grpc/jaeger",
  remoteWriteExporter: "prometheus_remote_write/victoriametrics",
  debugExporter: "debug",
  healthCheck: "health_check",
});

/** The strategy under which `prometheusName` (definitions/naming.ts) predicts the series names. */
export const TRANSLATION_STRATEGY = "UnderscoreEscapingWithSuffixes";

/** The `job` of host metrics (the host pipeline's service.name); the host dashboard filters by it. */
export const HOST_JOB = "hostmetrics";

const BATCH = { timeout: "10s", send_batch_size: 1024 } as const;

// The collector's defaults (configretry.NewDefaultBackOffConfig), written out so the config says
// what it does: retry for up to `retryMaxElapsed` (default 5 minutes), then drop. The collector
// refuses a max_elapsed_time below either interval, so a short one caps them.
function retry(maxElapsed: string): RetryOnFailureConfig {
  const cap = (d: string) => (durationMs(maxElapsed) < durationMs(d) ? maxElapsed : d);
  return {
    enabled: true,
    initial_interval: cap("5s"),
    max_interval: cap("30s"),
    max_elapsed_time: maxElapsed,
  };
}

/**
 * The collector config for `catalogue`. Pure: same catalogue and options, same object.
 * Nothing in it renames metrics: no `namespace`, no renaming processors, and the remote write
 * translation strategy is set explicitly to the one `prometheusName` implements, so the series in
 * VictoriaMetrics are exactly the catalogue's `seriesNames`.
 * @throws CollectorOptionsError for bad options, naming each one.
 */
export function collectorConfig(
  catalogue: Catalogue,
  options: Partial<CollectorOptions> = {},
): CollectorConfig {
  const o = resolveCollectorOptions(options);
  assertNamesSurvive(catalogue);
  const ids = COMPONENT_IDS;
  const memory = memoryLimiterSettings(o.memoryLimitMib);
  const remoteWriteInsecure = new URL(o.remoteWriteUrl).protocol === "http:";

  const receivers: Record<string, ReceiverConfig> = {
    [ids.otlpReceiver]: {
      protocols: { grpc: { endpoint: o.otlpGrpcEndpoint }, http: { endpoint: o.otlpHttpEndpoint } },
    },
  };
  if (o.hostmetrics) {
    receivers[ids.hostmetricsReceiver] = {
      collection_interval: o.hostmetricsInterval,
      ...(o.hostRootPath !== "" ? { root_path: o.hostRootPath } : {}),
      scrapers: {
        cpu: {},
        disk: {},
        filesystem: {},
        load: {},
        // Utilisation is what a memory panel needs; the receiver leaves it off by default.
        memory: { metrics: { "system.memory.utilization": { enabled: true } } },
        network: {},
        paging: {},
      },
    };
  }

  const remoteWrite: PrometheusRemoteWriteExporterConfig = {
    http: {
      endpoint: o.remoteWriteUrl,
      // Plain http needs no TLS (the stack's network is local); stated so that the intent is visible.
      ...(remoteWriteInsecure ? { tls: { insecure: true } } : {}),
    },
    translation_strategy: TRANSLATION_STRATEGY,
    retry_on_failure: retry(o.retryMaxElapsed),
    // The exporter's defaults (enabled, 10000 batches, 5 consumers); another num_consumers logs a
    // warning at 0.161.0 unless a feature gate is on.
    remote_write_queue: {
      enabled: true,
      queue_size: o.queueSize || 10000,
      num_consumers: o.queueConsumers || 5,
    },
  };
  const exporters: Record<string, ExporterConfig> = {
    [ids.jaegerExporter]: {
      endpoint: o.jaegerEndpoint,
      tls: { insecure: o.jaegerInsecure },
      retry_on_failure: retry(o.retryMaxElapsed),
      sending_queue: {
        enabled: true,
        num_consumers: o.queueConsumers || 10,
        queue_size: o.queueSize || 1000,
      },
    },
    [ids.remoteWriteExporter]: remoteWrite,
  };
  if (o.debug) exporters[ids.debugExporter] = { verbosity: "basic" };

  const processors = [ids.memoryLimiter, ids.batch];
  const debug = o.debug ? [ids.debugExporter] : [];

  return {
    receivers,
    processors: {
      ...(o.hostmetrics
        ? {
            // Host metrics carry no resource: give them a job (service.name) and the host as instance
            // (service.instance.id), which the remote write exporter turns into labels, so the host
            // dashboard can tell hosts apart. Docker sets HOSTNAME in every container; without it
            // the value would be empty, which the resource processor refuses.
            [ids.hostResource]: {
              attributes: [
                { key: "service.name", value: HOST_JOB, action: "upsert" as const },
                {
                  key: "service.instance.id",
                  value: "${env:HOSTNAME:-localhost}",
                  action: "upsert" as const,
                },
                { key: "host.name", value: "${env:HOSTNAME:-localhost}", action: "upsert" as const },
              ],
            },
          }
        : {}),
      [ids.memoryLimiter]: {
        check_interval: "1s",
        limit_mib: memory.limitMib,
        spike_limit_mib: memory.spikeLimitMib,
      },
      [ids.batch]: { ...BATCH, timeout: o.batchTimeout },
    },
    exporters,
    extensions: { [ids.healthCheck]: { endpoint: o.healthCheckEndpoint, path: "/" } },
    service: {
      extensions: [ids.healthCheck],
      pipelines: {
        traces: { receivers: [ids.otlpReceiver], processors, exporters: [ids.jaegerExporter, ...debug] },
        metrics: {
          receivers: [ids.otlpReceiver],
          processors,
          exporters: [ids.remoteWriteExporter, ...debug],
        },
        ...(o.hostmetrics
          ? {
              "metrics/host": {
                receivers: [ids.hostmetricsReceiver],
                // memory_limiter first, as always; the resource before batching.
                processors: [ids.memoryLimiter, ids.hostResource, ids.batch],
                exporters: [ids.remoteWriteExporter, ...debug],
              },
            }
          : {}),
      },
      telemetry: {
        metrics: {
          level: "normal",
          readers: [
            {
              pull: {
                exporter: {
                  prometheus: {
                    host: o.telemetryHost,
                    port: o.telemetryPort,
                    // Written out, not left to a version's defaults: the otelcol catalogue's names
                    // (no unit word, no _total, no otel_scope_* labels) depend on them.
                    without_scope_info: true,
                    without_type_suffix: true,
                    without_units: true,
                  },
                },
              },
            },
          ],
        },
      },
    },
  };
}

/**
 * The exporter names OTLP metrics by {@link TRANSLATION_STRATEGY}, which `prometheusName` implements.
 * A catalogue object whose stored names disagree (built by hand, or by another version of this
 * package) would make every dashboard query miss: refuse it here, where the config is made.
 */
function assertNamesSurvive(catalogue: Catalogue): void {
  if (catalogue === null || typeof catalogue !== "object" || !Array.isArray(catalogue.list)) {
    throw new TypeError("collectorConfig: the first argument must be a catalogue made by defineMetrics().");
  }
  const wrong = catalogue.list
    .filter((m) => m.naming === "otlp")
    .filter((m) => m.prometheusName !== prometheusName(m.name, m.unit, m.kind))
    .map(
      (m) =>
        `${m.key} (${m.name}): has ${m.prometheusName}, the collector writes ${prometheusName(m.name, m.unit, m.kind)}`,
    );
  if (wrong.length > 0) {
    throw new Error(
      `Catalogue "${catalogue.name}": series names do not match what the collector's remote write exporter ` +
        `(${TRANSLATION_STRATEGY}) writes:\n  - ${wrong.join("\n  - ")}\n` +
        `Fix: build the catalogue with defineMetrics() from this package.`,
    );
  }
}

/** The config as YAML: map keys sorted, so the same config always gives the same bytes. */
export function collectorConfigYaml(config: CollectorConfig): string {
  return (
    "# Generated by observability-stack from the metric catalogue. Do not edit: run `npm run render`.\n" +
    stringify(config, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false })
  );
}
