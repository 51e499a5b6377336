// Which component types a Go module provides, so the generated config can be checked against the
// component list of a collector distribution (a builder manifest's `gomod` entries).
import type { CollectorConfig } from "./model";

export type ComponentKind = "receivers" | "processors" | "exporters" | "extensions" | "connectors";

/**
 * Component type of each module of the core distribution, read from the module's `metadata.yaml`
 * (`type:`) at collector v0.161.0. A module's directory name is not its type: since the component
 * renames (v0.144.0 for the OTLP exporters) several types have underscores the paths lack.
 */
export const COMPONENT_TYPES_BY_MODULE: Readonly<Record<string, string>> = Object.freeze({
  "go.opentelemetry.io/collector/receiver/nopreceiver": "nop",
  "go.opentelemetry.io/collector/receiver/otlpreceiver": "otlp",
  "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/hostmetricsreceiver": "host_metrics",
  "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/jaegerreceiver": "jaeger",
  "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/kafkareceiver": "kafka",
  "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver": "prometheus",
  "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/zipkinreceiver": "zipkin",
  "go.opentelemetry.io/collector/exporter/debugexporter": "debug",
  "go.opentelemetry.io/collector/exporter/nopexporter": "nop",
  "go.opentelemetry.io/collector/exporter/otlpexporter": "otlp_grpc",
  "go.opentelemetry.io/collector/exporter/otlphttpexporter": "otlp_http",
  "github.com/open-telemetry/opentelemetry-collector-contrib/exporter/fileexporter": "file",
  "github.com/open-telemetry/opentelemetry-collector-contrib/exporter/kafkaexporter": "kafka",
  "github.com/open-telemetry/opentelemetry-collector-contrib/exporter/prometheusexporter": "prometheus",
  "github.com/open-telemetry/opentelemetry-collector-contrib/exporter/prometheusremotewriteexporter":
    "prometheus_remote_write",
  "github.com/open-telemetry/opentelemetry-collector-contrib/exporter/zipkinexporter": "zipkin",
  "go.opentelemetry.io/collector/extension/zpagesextension": "zpages",
  "github.com/open-telemetry/opentelemetry-collector-contrib/extension/healthcheckextension": "health_check",
  "github.com/open-telemetry/opentelemetry-collector-contrib/extension/pprofextension": "pprof",
  "go.opentelemetry.io/collector/processor/batchprocessor": "batch",
  "go.opentelemetry.io/collector/processor/memorylimiterprocessor": "memory_limiter",
  "github.com/open-telemetry/opentelemetry-collector-contrib/processor/attributesprocessor": "attributes",
  "github.com/open-telemetry/opentelemetry-collector-contrib/processor/resourceprocessor": "resource",
  "github.com/open-telemetry/opentelemetry-collector-contrib/processor/spanprocessor": "span",
  "github.com/open-telemetry/opentelemetry-collector-contrib/processor/probabilisticsamplerprocessor":
    "probabilistic_sampler",
  "github.com/open-telemetry/opentelemetry-collector-contrib/processor/filterprocessor": "filter",
  "go.opentelemetry.io/collector/connector/forwardconnector": "forward",
});

/**
 * Deprecated type aliases at v0.161.0 (metadata.yaml `deprecated_type`), by kind: they still load but
 * log "alias is deprecated". Per kind, because `otlp` is deprecated for exporters only.
 */
export const DEPRECATED_TYPE_ALIASES: Readonly<Record<ComponentKind, Readonly<Record<string, string>>>> =
  Object.freeze({
    receivers: { hostmetrics: "host_metrics" },
    processors: {},
    exporters: { otlp: "otlp_grpc", otlphttp: "otlp_http", prometheusremotewrite: "prometheus_remote_write" },
    extensions: {},
    connectors: {},
  });

/** The type of a component id: `otlp_grpc/jaeger` → `otlp_grpc`. */
export function componentType(id: string): string {
  const slash = id.indexOf("/");
  return slash < 0 ? id : id.slice(0, slash);
}

/** The component types a config declares, by kind, sorted. */
export function emittedComponentTypes(
  config: CollectorConfig,
): Record<Exclude<ComponentKind, "connectors">, string[]> {
  const types = (section: Readonly<Record<string, unknown>>): string[] =>
    [...new Set(Object.keys(section).map(componentType))].sort();
  return {
    receivers: types(config.receivers),
    processors: types(config.processors),
    exporters: types(config.exporters),
    extensions: types(config.extensions),
  };
}
