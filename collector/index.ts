// Public entry point of `observability-stack/collector`: pure generators, no I/O, no Pulumi.
export {
  COMPONENT_IDS,
  collectorConfig,
  collectorConfigYaml,
  HOST_JOB,
  TRANSLATION_STRATEGY,
} from "./config";
export {
  COMPONENT_TYPES_BY_MODULE,
  componentType,
  DEPRECATED_TYPE_ALIASES,
  emittedComponentTypes,
} from "./components";
export type { ComponentKind } from "./components";
export {
  CollectorOptionsError,
  DEFAULT_COLLECTOR_OPTIONS,
  memoryLimiterSettings,
  MIN_COLLECTOR_MEMORY_MIB,
  resolveCollectorOptions,
} from "./options";
export type { CollectorOptions } from "./options";
export { DEFAULT_SCRAPE_OPTIONS, victoriaMetricsScrapeConfig } from "./scrape";
export type { ScrapeOptions } from "./scrape";
export type {
  BatchProcessorConfig,
  ClientTlsConfig,
  CollectorConfig,
  DebugExporterConfig,
  ExporterConfig,
  ExtensionConfig,
  HealthCheckExtensionConfig,
  HostMetricsReceiverConfig,
  HostMetricsScraper,
  MemoryLimiterProcessorConfig,
  OtlpGrpcExporterConfig,
  OtlpReceiverConfig,
  PipelineConfig,
  ProcessorConfig,
  PrometheusRemoteWriteExporterConfig,
  ReceiverConfig,
  RemoteWriteQueueConfig,
  RetryOnFailureConfig,
  SendingQueueConfig,
  ServiceConfig,
  TelemetryConfig,
} from "./model";
