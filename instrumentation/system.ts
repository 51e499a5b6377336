// System-health metrics, observed by the module itself. A catalogue opts in per metric with
// `observedBy` (process.memory, process.cpu, process.uptime): such a metric is not recorded by the app
// but observed from `process` at every collection, through an observable instrument. Its shape was
// checked by `defineMetrics`; no metric key is special, so a user's `uptime` gauge stays the user's.
import type { Meter, ObservableResult } from "@opentelemetry/api";
import { KINDS } from "../definitions";
import type { Catalogue, ProcessMemoryType, ResolvedMetric } from "../definitions";
// The rule itself, not the definitions' entry point (which loads the built-in catalogues).
import { observedByProblem } from "../definitions/validate";
import { MetricsConfigError } from "./errors";
import { instrumentOptions } from "./sdkpath";

/** The `process.memoryUsage()` field each `memory.type` value reads. */
const MEMORY_FIELDS = {
  rss: "rss",
  heap_total: "heapTotal",
  heap_used: "heapUsed",
  external: "external",
  array_buffers: "arrayBuffers",
} as const satisfies Record<ProcessMemoryType, keyof NodeJS.MemoryUsage>;

/**
 * The catalogue's metrics declared `observedBy`. Re-checks their shape (a catalogue object not made by
 * `defineMetrics` may carry anything) and throws a {@link MetricsConfigError} naming a misfit.
 */
export function systemMetrics(catalogue: Catalogue): ResolvedMetric[] {
  const found = catalogue.list.filter((m) => m.observedBy !== undefined);
  const problems = found.flatMap((m) => {
    const needs = observedByProblem(m.observedBy!, m);
    return needs === undefined
      ? []
      : [`metric "${m.key}" (${m.name}): observedBy "${m.observedBy}" needs ${needs}`];
  });
  if (problems.length > 0) {
    throw new MetricsConfigError(`catalogue "${catalogue.name}": ${problems.join("\n")}`);
  }
  return found;
}

/** CPU time used since the previous call, as a fraction of one core's wall-clock time. */
export function cpuSampler(now: () => number = () => performance.now()): () => number | undefined {
  let lastCpu = process.cpuUsage();
  let lastWall = now();
  return () => {
    const wall = now();
    const cpu = process.cpuUsage(lastCpu);
    const elapsedMicros = (wall - lastWall) * 1000;
    lastCpu = process.cpuUsage();
    lastWall = wall;
    if (elapsedMicros <= 0) return undefined;
    return (cpu.user + cpu.system) / elapsedMicros;
  };
}

/** Registers observable instruments for the system-health metrics on `meter`. */
export function observeSystem(meter: Meter, metrics: readonly ResolvedMetric[]): void {
  for (const metric of metrics) {
    const options = instrumentOptions(metric);
    switch (metric.observedBy) {
      case "process.memory": {
        const types = metric.attributes[0]!.values! as readonly ProcessMemoryType[];
        meter.createObservableGauge(metric.name, options).addCallback((result: ObservableResult) => {
          const usage = process.memoryUsage();
          for (const type of types) result.observe(usage[MEMORY_FIELDS[type]], { "memory.type": type });
        });
        break;
      }
      case "process.cpu": {
        const sample = cpuSampler();
        const scale = metric.unit === "%" ? 100 : 1;
        meter.createObservableGauge(metric.name, options).addCallback((result: ObservableResult) => {
          const fraction = sample();
          if (fraction !== undefined) result.observe(fraction * scale);
        });
        break;
      }
      case "process.uptime": {
        const instrument = KINDS[metric.kind].monotonic
          ? meter.createObservableCounter(metric.name, options)
          : meter.createObservableGauge(metric.name, options);
        instrument.addCallback((result: ObservableResult) => result.observe(process.uptime()));
        break;
      }
      case undefined:
        break;
    }
  }
}
