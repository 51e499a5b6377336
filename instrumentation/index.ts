// Public entry point of `observability-stack/instrumentation`. Must never import @pulumi/*.
export { createMetrics } from "./create";
export { resolveExportConfig, DEFAULT_EXPORT_INTERVAL_MILLIS, DEFAULT_EXPORT_TIMEOUT_MILLIS } from "./config";
export { MAX_FAST_PATH_CELLS, fastPathEligible } from "./fast";
export { MetricsConfigError } from "./errors";
export type { ExportConfig, OtlpProtocol } from "./config";
export type {
  AttributesArgument,
  BoundCounter,
  BoundGauge,
  BoundHistogram,
  BoundUpDownCounter,
  CounterInstrument,
  DurationHistogramKey,
  DurationUnit,
  EndArgument,
  FlushOnExitOptions,
  GaugeInstrument,
  HistogramInstrument,
  InstrumentFor,
  Instruments,
  Metrics,
  MetricsControls,
  MetricsOptions,
  ObservedInstrument,
  Operation,
  TrackArgument,
  TrackOptions,
  UpDownCounterInstrument,
  UpDownCounterKey,
} from "./types";
