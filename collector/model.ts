// A typed model of the part of the OpenTelemetry Collector configuration this project emits.
// Keys are the collector's own (snake_case), checked against the sources at the pinned version
// (versions.json "collector"); component ids are `type[/name]`.

export interface OtlpReceiverConfig {
  readonly protocols: {
    readonly grpc: { readonly endpoint: string };
    readonly http: { readonly endpoint: string };
  };
}

/** A scraper's settings: its defaults, with some metrics switched on or off. */
export interface HostMetricsScraperConfig {
  readonly metrics?: Readonly<Record<string, { readonly enabled: boolean }>>;
}

export interface HostMetricsReceiverConfig {
  readonly collection_interval: string;
  readonly root_path?: string;
  readonly scrapers: Readonly<Record<HostMetricsScraper, HostMetricsScraperConfig>>;
}

export type HostMetricsScraper = "cpu" | "memory" | "disk" | "network" | "filesystem" | "load" | "paging";

export type ReceiverConfig = OtlpReceiverConfig | HostMetricsReceiverConfig;

export interface MemoryLimiterProcessorConfig {
  readonly check_interval: string;
  readonly limit_mib: number;
  readonly spike_limit_mib: number;
}

export interface BatchProcessorConfig {
  readonly timeout: string;
  readonly send_batch_size: number;
}

/** `resource` processor: sets resource attributes (contrib processor/resourceprocessor). */
export interface ResourceProcessorConfig {
  readonly attributes: readonly {
    readonly key: string;
    readonly value: string;
    readonly action: "insert" | "update" | "upsert";
  }[];
}

export type ProcessorConfig = MemoryLimiterProcessorConfig | BatchProcessorConfig | ResourceProcessorConfig;

/** configretry.BackOffConfig. */
export interface RetryOnFailureConfig {
  readonly enabled: boolean;
  readonly initial_interval: string;
  readonly max_interval: string;
  readonly max_elapsed_time: string;
}

export interface ClientTlsConfig {
  readonly insecure: boolean;
}

/** exporterhelper's `sending_queue` (QueueBatchConfig), as the OTLP exporters take it. */
export interface SendingQueueConfig {
  readonly enabled: boolean;
  readonly num_consumers: number;
  readonly queue_size: number;
}

/** `otlp_grpc` exporter (go.opentelemetry.io/collector/exporter/otlpexporter). */
export interface OtlpGrpcExporterConfig {
  readonly endpoint: string;
  readonly tls: ClientTlsConfig;
  readonly retry_on_failure: RetryOnFailureConfig;
  readonly sending_queue: SendingQueueConfig;
}

/** The remote write exporter's own queue (it has no `sending_queue` key). */
export interface RemoteWriteQueueConfig {
  readonly enabled: boolean;
  readonly queue_size: number;
  readonly num_consumers: number;
}

/** `prometheus_remote_write` exporter (contrib exporter/prometheusremotewriteexporter). */
export interface PrometheusRemoteWriteExporterConfig {
  /** The nested HTTP client block (flat `endpoint`/`tls` are deprecated since v0.158.0). */
  readonly http: { readonly endpoint: string; readonly tls?: ClientTlsConfig };
  /** The series names of the catalogue (`prometheusName`) assume this strategy. */
  readonly translation_strategy: "UnderscoreEscapingWithSuffixes";
  readonly retry_on_failure: RetryOnFailureConfig;
  readonly remote_write_queue: RemoteWriteQueueConfig;
}

export interface DebugExporterConfig {
  readonly verbosity: "basic" | "normal" | "detailed";
}

export type ExporterConfig =
  OtlpGrpcExporterConfig | PrometheusRemoteWriteExporterConfig | DebugExporterConfig;

/** `health_check` extension, in its default (legacy HTTP) form: `GET <endpoint>/` answers 200 when ready. */
export interface HealthCheckExtensionConfig {
  readonly endpoint: string;
  readonly path: string;
}

export type ExtensionConfig = HealthCheckExtensionConfig;

export interface PipelineConfig {
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

export interface TelemetryConfig {
  readonly metrics: {
    readonly level: "none" | "basic" | "normal" | "detailed";
    readonly readers: readonly [
      {
        readonly pull: {
          readonly exporter: {
            readonly prometheus: {
              host: string;
              port: number;
              // The series names of the otelcol catalogue depend on these three.
              without_scope_info: boolean;
              without_type_suffix: boolean;
              without_units: boolean;
            };
          };
        };
      },
    ];
  };
}

export interface ServiceConfig {
  readonly extensions: readonly string[];
  readonly pipelines: {
    readonly traces: PipelineConfig;
    readonly metrics: PipelineConfig;
    /** Host metrics, with the host's resource attributes set. */
    readonly "metrics/host"?: PipelineConfig;
  };
  readonly telemetry: TelemetryConfig;
}

export interface CollectorConfig {
  readonly receivers: Readonly<Record<string, ReceiverConfig>>;
  readonly processors: Readonly<Record<string, ProcessorConfig>>;
  readonly exporters: Readonly<Record<string, ExporterConfig>>;
  readonly extensions: Readonly<Record<string, ExtensionConfig>>;
  readonly service: ServiceConfig;
}
