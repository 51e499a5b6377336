// createMetrics: one catalogue in, one typed instrument per definition out, exported over OTLP.
import { randomUUID } from "node:crypto";
import type { Attributes, Meter } from "@opentelemetry/api";
import { diag } from "@opentelemetry/api";
import { OTLPMetricExporter as GrpcMetricExporter } from "@opentelemetry/exporter-metrics-otlp-grpc";
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as HttpMetricExporter,
} from "@opentelemetry/exporter-metrics-otlp-http";
import type { Resource } from "@opentelemetry/resources";
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from "@opentelemetry/resources";
import type { IMetricReader, PushMetricExporter } from "@opentelemetry/sdk-metrics";
import {
  AggregationTemporality,
  InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { KINDS } from "../definitions";
import type { Catalogue, ResolvedMetric } from "../definitions";
import type { ExportConfig } from "./config";
import { resolveExportConfig } from "./config";
import type { FastInstrument } from "./fast";
import { createFastInstrument, fastPathEligible, FastPathProducer } from "./fast";
import { MergingReader } from "./reader";
import { Reporter } from "./report";
import { RetryTimers, useRetryTimers } from "./retries";
import { SdkInstrument } from "./sdkpath";
import { MetricsConfigError } from "./errors";
import { observeSystem, systemMetrics } from "./system";
import type { FlushOnExitOptions, Metrics, MetricsOptions, Operation, Specs } from "./types";
import { RESERVED_KEYS } from "./types";

const DEFAULT_SCOPE = "observability-stack";
const DEFAULT_EXIT_FLUSH_TIMEOUT_MILLIS = 5000;
const DEFAULT_GRPC_ENDPOINT = "http://localhost:4317";

/** Multiplier from milliseconds to a duration histogram's unit. */
const MILLIS_TO_UNIT: Readonly<Record<string, number>> = { s: 1e-3, ms: 1, us: 1e3, ns: 1e6 };

interface Recordable {
  add?(value: number, attributes?: Attributes): void;
  record?(value: number, attributes?: Attributes): void;
}

/** An `observedBy` metric's instrument: recording into it from untyped code is reported, not thrown. */
function observedInstrument(metric: ResolvedMetric, reporter: Reporter) {
  const refuse = () => reporter.drop(`${metric.name}: observed by the module itself; recordings are ignored`);
  const handle = Object.freeze({ add: refuse, record: refuse });
  return Object.freeze({ observed: true as const, add: refuse, record: refuse, bind: () => handle });
}
const NOOP_HANDLE = Object.freeze({ add() {}, record() {} });
const NOOP_INSTRUMENT: Recordable = Object.freeze({ add() {}, record() {}, bind: () => NOOP_HANDLE });

function checkCatalogue(catalogue: Catalogue): void {
  const clashes = catalogue.list.filter((m) => RESERVED_KEYS.includes(m.key));
  if (clashes.length > 0) {
    throw new MetricsConfigError(
      `catalogue "${catalogue.name}": metric key${clashes.length > 1 ? "s" : ""} ${clashes.map((m) => `"${m.key}"`).join(", ")}` +
        ` clash with the metrics object's own members (${RESERVED_KEYS.join(", ")}); rename the key`,
    );
  }
}

/** Defaults, then OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME, then explicit options (later wins). */
function buildResource(catalogue: Catalogue, options: MetricsOptions): Resource {
  const explicit: Attributes = { ...options.resourceAttributes };
  if (options.serviceName !== undefined) explicit["service.name"] = options.serviceName;
  if (options.serviceInstanceId !== undefined) explicit["service.instance.id"] = options.serviceInstanceId;
  return defaultResource()
    .merge(resourceFromAttributes({ "service.name": catalogue.name, "service.instance.id": randomUUID() }))
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes(explicit));
}

function otlpExporter(config: ExportConfig, timers: RetryTimers): PushMetricExporter {
  // Explicitly cumulative: VictoriaMetrics and the remote-write exporter drop delta, and this overrides
  // OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE.
  const common = {
    temporalityPreference: AggregationTemporalityPreference.CUMULATIVE,
    ...(config.url !== undefined ? { url: config.url } : {}),
  };
  if (config.protocol === "grpc") {
    try {
      return new GrpcMetricExporter(common);
    } catch (e) {
      // Only the environment can be at fault here (the endpoint option was checked): an invalid
      // OTEL_* value is reported and replaced by the default (OTel env-var spec), not fatal.
      if (config.url !== undefined) throw e;
      const name =
        process.env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT !== undefined
          ? "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"
          : "OTEL_EXPORTER_OTLP_ENDPOINT";
      diag.warn(
        `observability-stack: the gRPC exporter refused ${name} (${e instanceof Error ? e.message : String(e)}); ` +
          `exporting to ${DEFAULT_GRPC_ENDPOINT} instead`,
      );
      return new GrpcMetricExporter({ ...common, url: DEFAULT_GRPC_ENDPOINT });
    }
  }
  if (config.protocol === "http/protobuf") {
    diag.warn(
      "observability-stack: OTLP http/protobuf needs @opentelemetry/exporter-metrics-otlp-proto, which this " +
        "package does not ship; exporting OTLP http/json to the same endpoint instead",
    );
  }
  const exporter = new HttpMetricExporter(common);
  useRetryTimers(exporter, timers);
  return exporter;
}

const ALL_INSTRUMENT_TYPES = Object.values(InstrumentType);

function checkCumulative(reader: IMetricReader, source: string): void {
  const delta = ALL_INSTRUMENT_TYPES.filter(
    (t) => reader.selectAggregationTemporality(t) !== AggregationTemporality.CUMULATIVE,
  );
  if (delta.length > 0) {
    throw new MetricsConfigError(
      `${source} selects delta temporality for ${delta.join(", ")}; this module exports cumulative only ` +
        `(VictoriaMetrics and the prometheusremotewrite exporter drop delta). Configure it as cumulative`,
    );
  }
}

function makeTrack(
  catalogue: Catalogue,
  instruments: Readonly<Record<string, Recordable>>,
  reporter: Reporter,
): (active: string, options?: { attributes?: Attributes; duration?: string }) => Operation {
  return (activeKey, options) => {
    let active: Recordable | undefined;
    let histogram: Recordable | undefined;
    let scale = 1;
    try {
      const a = catalogue.byKey[activeKey];
      // track() adds +1 and -1, so it needs an up-down counter's instrument.
      if (
        a !== undefined &&
        KINDS[a.kind].sdkInstrument === "UP_DOWN_COUNTER" &&
        a.observedBy === undefined
      ) {
        active = instruments[activeKey];
      } else {
        reporter.drop(
          `track(${JSON.stringify(activeKey)}): not an up-down counter of catalogue "${catalogue.name}"`,
        );
      }
      const durationKey = options?.duration;
      if (durationKey !== undefined) {
        const d = catalogue.byKey[durationKey];
        if (d !== undefined && KINDS[d.kind].buckets && MILLIS_TO_UNIT[d.unit] !== undefined) {
          histogram = instruments[durationKey];
          scale = MILLIS_TO_UNIT[d.unit]!;
        } else {
          reporter.drop(
            `track: duration ${JSON.stringify(durationKey)} is not a histogram in s, ms, us or ns`,
          );
        }
      }
    } catch (e) {
      reporter.error("track", e);
    }
    const attributes = options?.attributes;
    active?.add!(1, attributes);
    const start = performance.now();
    let ended = false;
    return {
      end(endAttributes?: Attributes): number {
        const elapsed = performance.now() - start;
        if (ended) {
          reporter.drop(`track(${JSON.stringify(activeKey)}): end() called twice`);
          return elapsed;
        }
        ended = true;
        active?.add!(-1, attributes);
        histogram?.record!(elapsed * scale, endAttributes);
        return elapsed;
      },
    };
  };
}

function installExitFlush(flush: () => Promise<void>, options: FlushOnExitOptions): () => void {
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  const timeout = options.timeoutMillis ?? DEFAULT_EXIT_FLUSH_TIMEOUT_MILLIS;
  const remove = () => {
    for (const s of signals) process.removeListener(s, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    remove();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // Let the signal take its course: with no other listener, its default action ends the process
      // (with the usual 128+n status). An app that listens itself decides on its own.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    const timer = setTimeout(finish, timeout);
    flush().then(finish, finish);
  }
  for (const s of signals) process.on(s, onSignal);
  return remove;
}

function noopMetrics<M extends Specs>(catalogue: Catalogue<M>, reporter: Reporter): Metrics<M> {
  const instruments: Record<string, unknown> = {};
  for (const m of catalogue.list) {
    instruments[m.key] = m.observedBy !== undefined ? observedInstrument(m, reporter) : NOOP_INSTRUMENT;
  }
  const track = makeTrack(catalogue, instruments as Record<string, Recordable>, reporter);
  return Object.freeze({
    ...instruments,
    track,
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    enabled: false,
  }) as unknown as Metrics<M>;
}

/**
 * Sets up a MeterProvider for `catalogue` and returns one typed instrument per definition, keyed like
 * `catalogue.metrics`, plus `track`, `forceFlush`, `shutdown` and `enabled`.
 *
 * Throws a {@link MetricsConfigError} for bad settings (at start-up, never while recording).
 *
 * @example
 * const m = createMetrics(scotty);
 * m.logStreamErrors.add(1, { "error.type": "timeout" });
 * const op = m.track("tasksActive", { duration: "taskDuration" });
 * op.end({ "task.status": "succeeded" });
 */
export function createMetrics<M extends Specs>(
  catalogue: Catalogue<M>,
  options: MetricsOptions = {},
): Metrics<M> {
  checkCatalogue(catalogue);
  const observed = systemMetrics(catalogue);
  const config = resolveExportConfig(options, process.env);
  for (const m of catalogue.list) {
    // Attribute sets are numbered densely on both paths; past 2^53 the numbers would collide.
    if (!Number.isSafeInteger(m.attributes.reduce((n, a) => n * (a.cardinality + 1), 1))) {
      throw new MetricsConfigError(`metric ${m.name}: too many attribute combinations to number them`);
    }
  }
  if (options.exporter !== undefined && options.reader !== undefined) {
    throw new MetricsConfigError("options exporter and reader exclude each other; pass one");
  }
  const reporter = new Reporter();
  if (config.disabled) return noopMetrics(catalogue, reporter);

  const scopeName = options.scopeName ?? DEFAULT_SCOPE;
  const useFastPath = options.fastPath ?? true;
  const observedKeys = new Set(observed.map((m) => m.key));
  const fastMetrics: ResolvedMetric[] = [];
  const sdkMetrics: ResolvedMetric[] = [];
  for (const m of catalogue.list) {
    if (observedKeys.has(m.key)) continue;
    (useFastPath && fastPathEligible(m) ? fastMetrics : sdkMetrics).push(m);
  }

  const resource = buildResource(catalogue, options);
  const fast: FastInstrument[] = fastMetrics.map((m) => createFastInstrument(m, reporter));
  const producer = new FastPathProducer({ name: scopeName }, resource, fast);

  const timers = new RetryTimers();
  let inner: IMetricReader;
  if (options.reader !== undefined) {
    inner = options.reader;
    checkCumulative(inner, "option reader");
  } else {
    const exporter = options.exporter ?? otlpExporter(config, timers);
    inner = new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: config.exportIntervalMillis,
      exportTimeoutMillis: config.exportTimeoutMillis,
    });
    checkCumulative(inner, options.exporter !== undefined ? "option exporter" : "the OTLP exporter");
  }

  // SDK-path instruments pass at most `limit` attribute sets plus the overflow set on to the SDK
  // (sdkpath.ts), so the SDK's own limit (per interval, at limit - 1) only has to stay out of the way:
  // one generous limit for every instrument, with no View (a View costs a context lookup per record).
  const sdkLimit = Math.max(0, ...[...sdkMetrics, ...observed].map((m) => m.cardinalityLimit)) + 2;
  const provider = new MeterProvider({ resource, readers: [new MergingReader(inner, producer, sdkLimit)] });
  const meter: Meter = provider.getMeter(scopeName);

  const instruments: Record<string, unknown> = {};
  for (const f of fast) instruments[f.metric.key] = f;
  for (const m of sdkMetrics) instruments[m.key] = new SdkInstrument(m, meter, reporter);
  for (const m of observed) instruments[m.key] = observedInstrument(m, reporter);
  observeSystem(meter, observed);

  let shutdownPromise: Promise<void> | undefined;
  let removeExitFlush: (() => void) | undefined;
  const shutdown = (): Promise<void> => {
    removeExitFlush?.();
    // Awaited by the app: export retries may hold the process open until it settles.
    shutdownPromise ??= timers
      .whileAwaited(() => provider.shutdown())
      .catch((e: unknown) => reporter.error("shutdown", e));
    return shutdownPromise;
  };
  const forceFlush = (): Promise<void> =>
    shutdownPromise !== undefined
      ? shutdownPromise
      : timers
          .whileAwaited(() => provider.forceFlush())
          .catch((e: unknown) => reporter.error("forceFlush", e));
  if (options.flushOnExit !== undefined && options.flushOnExit !== false) {
    removeExitFlush = installExitFlush(shutdown, options.flushOnExit === true ? {} : options.flushOnExit);
  }

  // Keys are in declaration order; a metric key never clashes with the controls (checked above).
  const ordered: Record<string, unknown> = {};
  for (const m of catalogue.list) ordered[m.key] = instruments[m.key];
  return Object.freeze({
    ...ordered,
    track: makeTrack(catalogue, instruments as Record<string, Recordable>, reporter),
    forceFlush,
    shutdown,
    enabled: true,
  }) as unknown as Metrics<M>;
}
