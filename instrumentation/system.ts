// System-health metrics, observed by the module itself. A catalogue opts in by convention: a metric
// keyed `memoryUsage`, `cpuUsage` or `uptime` is not recorded by the app but observed from `process`
// at every collection, through an observable instrument. The shape each key must have is checked
// when metrics are created, so a catalogue that uses one of these keys for something else fails early.
import type { Meter, ObservableResult } from "@opentelemetry/api";
import type { Catalogue, ResolvedMetric } from "../definitions";
import { instrumentOptions } from "./sdkpath";

/** The keys that mark a system-health metric. */
export const SYSTEM_METRIC_KEYS = ["memoryUsage", "cpuUsage", "uptime"] as const;
export type SystemMetricKey = (typeof SYSTEM_METRIC_KEYS)[number];

/** `memory.type` values and the `process.memoryUsage()` field each one reads. */
const MEMORY_FIELDS = {
  rss: "rss",
  heap_total: "heapTotal",
  heap_used: "heapUsed",
  external: "external",
  array_buffers: "arrayBuffers",
} as const satisfies Record<string, keyof NodeJS.MemoryUsage>;

export class MetricsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MetricsConfigError";
  }
}

/** Why `metric` cannot be the system metric its key names, or undefined when it fits. */
export function systemShapeProblem(metric: ResolvedMetric): string | undefined {
  const who = `metric "${metric.key}" (${metric.name})`;
  const rename = `or rename the key: "${metric.key}" marks a system-health metric the module observes itself`;
  switch (metric.key as SystemMetricKey) {
    case "memoryUsage": {
      const attr = metric.attributes[0];
      const known = Object.keys(MEMORY_FIELDS);
      if (
        metric.kind !== "gauge" ||
        metric.unit !== "By" ||
        metric.attributes.length !== 1 ||
        attr?.key !== "memory.type" ||
        attr.values === undefined ||
        attr.values.some((v) => !known.includes(v))
      ) {
        return `${who}: must be a gauge with unit "By" and one attribute "memory.type" whose values are among ${known.join(", ")}; ${rename}`;
      }
      return undefined;
    }
    case "cpuUsage":
      if (
        metric.kind !== "gauge" ||
        (metric.unit !== "%" && metric.unit !== "1") ||
        metric.attributes.length > 0
      ) {
        return `${who}: must be a gauge with unit "%" (percent of one core) or "1" (fraction of one core) and no attributes; ${rename}`;
      }
      return undefined;
    case "uptime":
      if (
        (metric.kind !== "counter" && metric.kind !== "gauge") ||
        metric.unit !== "s" ||
        metric.attributes.length > 0
      ) {
        return `${who}: must be a counter or gauge with unit "s" and no attributes; ${rename}`;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The catalogue's system-health metrics. Throws a {@link MetricsConfigError} for a misshapen one. */
export function systemMetrics(catalogue: Catalogue): ResolvedMetric[] {
  const found = catalogue.list.filter((m) => (SYSTEM_METRIC_KEYS as readonly string[]).includes(m.key));
  const problems = found.map(systemShapeProblem).filter((p): p is string => p !== undefined);
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
    switch (metric.key as SystemMetricKey) {
      case "memoryUsage": {
        const types = metric.attributes[0]!.values! as readonly (keyof typeof MEMORY_FIELDS)[];
        meter.createObservableGauge(metric.name, options).addCallback((result: ObservableResult) => {
          const usage = process.memoryUsage();
          for (const type of types) result.observe(usage[MEMORY_FIELDS[type]], { "memory.type": type });
        });
        break;
      }
      case "cpuUsage": {
        const sample = cpuSampler();
        const scale = metric.unit === "%" ? 100 : 1;
        meter.createObservableGauge(metric.name, options).addCallback((result: ObservableResult) => {
          const fraction = sample();
          if (fraction !== undefined) result.observe(fraction * scale);
        });
        break;
      }
      case "uptime": {
        const instrument =
          metric.kind === "counter"
            ? meter.createObservableCounter(metric.name, options)
            : meter.createObservableGauge(metric.name, options);
        instrument.addCallback((result: ObservableResult) => result.observe(process.uptime()));
        break;
      }
    }
  }
}
