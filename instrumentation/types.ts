// The typed API. Everything is derived from the literal types `defineMetrics` keeps: an instrument only
// accepts the attribute keys (and listed values) its definition declares, and requires every
// attribute that is not declared `optional`.
import type { Attributes } from "@opentelemetry/api";
import type { IMetricReader, PushMetricExporter } from "@opentelemetry/sdk-metrics";
import type { AttributesOf, MetricSpec, RequiresAttributes, SystemSource } from "../definitions";
import type { OtlpProtocol } from "./config";

export type Specs = Readonly<Record<string, MetricSpec>>;

/**
 * The attributes argument of a recording of metric `S`: required when the metric declares an
 * attribute that is not `optional` (`add(1)` then fails with "Expected 2 arguments"), else optional.
 */
export type AttributesArgument<S> =
  RequiresAttributes<S> extends true ? [attributes: AttributesOf<S>] : [attributes?: AttributesOf<S>];

/** A monotonic counter: `add` a value ≥ 0. */
export interface CounterInstrument<S> {
  add(value: number, ...attributes: AttributesArgument<S>): void;
  /**
   * A handle for one attribute set (typed as for `add`), for hot paths that record the same set again
   * and again: its `add` does no attribute work and exports exactly what `add(value, attributes)`
   * would. The attributes are copied at `bind`; the handle stays valid for the life of the metrics.
   */
  bind(...attributes: AttributesArgument<S>): BoundCounter;
}

/** An up-down counter: `add` any finite value (negative to decrease). */
export interface UpDownCounterInstrument<S> {
  add(value: number, ...attributes: AttributesArgument<S>): void;
  /** A handle for one attribute set (see {@link CounterInstrument.bind}). */
  bind(...attributes: AttributesArgument<S>): BoundUpDownCounter;
}

/** A synchronous gauge: `record` the current value. */
export interface GaugeInstrument<S> {
  record(value: number, ...attributes: AttributesArgument<S>): void;
  /** A handle for one attribute set (see {@link CounterInstrument.bind}). */
  bind(...attributes: AttributesArgument<S>): BoundGauge;
}

/** A histogram with the definition's bucket boundaries: `record` a value ≥ 0 in the metric's unit. */
export interface HistogramInstrument<S> {
  record(value: number, ...attributes: AttributesArgument<S>): void;
  /** A handle for one attribute set (see {@link CounterInstrument.bind}). */
  bind(...attributes: AttributesArgument<S>): BoundHistogram;
}

/** A counter bound to one attribute set: `add` a value ≥ 0. Never throws; bad values are reported. */
export interface BoundCounter {
  add(value: number): void;
}

/** An up-down counter bound to one attribute set: `add` any finite value. */
export interface BoundUpDownCounter {
  add(value: number): void;
}

/** A gauge bound to one attribute set: `record` the current value. */
export interface BoundGauge {
  record(value: number): void;
}

/** A histogram bound to one attribute set: `record` a value ≥ 0 in the metric's unit. */
export interface BoundHistogram {
  record(value: number): void;
}

/**
 * A metric declared `observedBy` a system source: the module observes it at every collection; the
 * app records nothing (there is no `add` or `record`).
 */
export interface ObservedInstrument {
  readonly observed: true;
}

/** True for a metric the module observes itself (`observedBy` set). */
type IsObserved<S> = S extends { readonly observedBy: SystemSource } ? true : false;

export type InstrumentFor<S> = S extends { readonly kind: "counter" }
  ? CounterInstrument<S>
  : S extends { readonly kind: "upDownCounter" }
    ? UpDownCounterInstrument<S>
    : S extends { readonly kind: "gauge" }
      ? GaugeInstrument<S>
      : S extends { readonly kind: "histogram" }
        ? HistogramInstrument<S>
        : never;

/** One instrument per definition, under the definition's key. */
export type Instruments<M extends Specs> = {
  readonly [K in keyof M]: IsObserved<M[K]> extends true ? ObservedInstrument : InstrumentFor<M[K]>;
};

/** Keys of the up-down counters (the "active" counts `track` maintains). */
export type UpDownCounterKey<M extends Specs> = {
  [K in keyof M]: IsObserved<M[K]> extends true
    ? never
    : M[K] extends { readonly kind: "upDownCounter" }
      ? K
      : never;
}[keyof M] &
  string;

/** Time units a duration histogram can be in. */
export type DurationUnit = "s" | "ms" | "us" | "ns";

/** Keys of the histograms measured in a time unit (the durations `track` records). */
export type DurationHistogramKey<M extends Specs> = {
  [K in keyof M]: M[K] extends { readonly kind: "histogram"; readonly unit: DurationUnit } ? K : never;
}[keyof M] &
  string;

export interface TrackOptions<M extends Specs, A extends keyof M, D extends keyof M> {
  /**
   * Attributes of the active count (the same on increment and decrement). Required (and `options`
   * with it) when the up-down counter declares an attribute that is not `optional`.
   */
  readonly attributes?: AttributesOf<M[A]>;
  /** The histogram that receives the operation's duration when it ends, in the histogram's unit. */
  readonly duration?: D;
}

/** The options argument of `track(active, …)`: required when the active count requires attributes. */
export type TrackArgument<M extends Specs, A extends keyof M, D extends keyof M> =
  RequiresAttributes<M[A]> extends true
    ? [options: TrackOptions<M, A, D> & { readonly attributes: AttributesOf<M[A]> }]
    : [options?: TrackOptions<M, A, D>];

/** The attributes argument of `end()`: the duration histogram's, none without a duration. */
export type EndArgument<M extends Specs, D extends keyof M> = [D] extends [never]
  ? [attributes?: Record<string, never>]
  : AttributesArgument<M[D]>;

/** A running operation: counted as active until `end`. */
export interface Operation<EndArguments extends readonly unknown[] = [attributes?: Attributes]> {
  /**
   * Ends the operation: decrements the active count and records the duration (with `attributes`,
   * e.g. the outcome) into the duration histogram; they are required when the histogram requires
   * them. Returns the duration in milliseconds. A second `end` is ignored (and reported through `diag`).
   */
  end(...attributes: EndArguments): number;
}

export interface MetricsControls<M extends Specs> {
  /**
   * Starts tracking an operation: increments the up-down counter `active` now, and on `end`
   * decrements it and records the elapsed time into `options.duration`.
   *
   * @example const op = m.track("tasksActive", { duration: "taskDuration" }); … op.end({ "task.status": "succeeded" });
   */
  track<A extends UpDownCounterKey<M>, D extends DurationHistogramKey<M> = never>(
    active: A,
    ...options: TrackArgument<M, A, D>
  ): Operation<EndArgument<M, D>>;
  /** Exports what has been recorded now. Never rejects: failures are reported through `diag`. */
  forceFlush(): Promise<void>;
  /** Flushes and stops exporting. Idempotent; never rejects (failures go to `diag`). */
  shutdown(): Promise<void>;
  /** False in the no-op mode (OTEL_SDK_DISABLED=true or `disabled: true`). */
  readonly enabled: boolean;
}

/** What {@link createMetrics} returns: the instruments, plus `track`, `forceFlush`, `shutdown`, `enabled`. */
export type Metrics<M extends Specs> = Instruments<M> & MetricsControls<M>;

/** The property names of {@link MetricsControls}: no metric key may use them. */
export const RESERVED_KEYS: readonly string[] = ["track", "forceFlush", "shutdown", "enabled"];

export interface FlushOnExitOptions {
  /** Signals to flush on (default SIGTERM and SIGINT). */
  readonly signals?: readonly NodeJS.Signals[];
  /** Longest wait for the final export before the process goes on exiting (default 5000 ms). */
  readonly timeoutMillis?: number;
}

export interface MetricsOptions {
  /** `service.name`; default OTEL_SERVICE_NAME, then OTEL_RESOURCE_ATTRIBUTES, then the catalogue's name. */
  readonly serviceName?: string;
  /** `service.instance.id`; default OTEL_RESOURCE_ATTRIBUTES' value, else a random UUID. */
  readonly serviceInstanceId?: string;
  /** More resource attributes; they override OTEL_RESOURCE_ATTRIBUTES. */
  readonly resourceAttributes?: Attributes;
  /** Default OTEL_EXPORTER_OTLP_METRICS_PROTOCOL, then OTEL_EXPORTER_OTLP_PROTOCOL, then `grpc`. */
  readonly protocol?: OtlpProtocol;
  /**
   * Base OTLP endpoint, like OTEL_EXPORTER_OTLP_ENDPOINT (`/v1/metrics` is appended for HTTP). Default:
   * what the exporter reads from OTEL_EXPORTER_OTLP_METRICS_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT,
   * else http://localhost:4317 (gRPC) or http://localhost:4318/v1/metrics (HTTP).
   */
  readonly endpoint?: string;
  /** Default OTEL_METRIC_EXPORT_INTERVAL, else 60000. */
  readonly exportIntervalMillis?: number;
  /** Default OTEL_METRIC_EXPORT_TIMEOUT, else 30000 (never more than the interval). */
  readonly exportTimeoutMillis?: number;
  /** Export through this exporter instead of OTLP (periodically, like OTLP). Must be cumulative. */
  readonly exporter?: PushMetricExporter;
  /** Read through this reader instead (an in-memory test reader, a pull exporter). Must be cumulative. */
  readonly reader?: IMetricReader;
  /** A no-op with the same API. Default: OTEL_SDK_DISABLED=true. */
  readonly disabled?: boolean;
  /** Pre-resolved cells for metrics with listed attribute values (default true). See README.md. */
  readonly fastPath?: boolean;
  /** Flush on SIGTERM/SIGINT, then let the signal take its course. Off by default. */
  readonly flushOnExit?: boolean | FlushOnExitOptions;
  /** Instrumentation scope name (default "observability-stack"). */
  readonly scopeName?: string;
}
