// Test helpers: a diag logger that keeps what it is told, and readers for exported data.
import type { DiagLogger } from "@opentelemetry/api";
import { diag, DiagLogLevel } from "@opentelemetry/api";
import type { ExportResult } from "@opentelemetry/core";
import { ExportResultCode } from "@opentelemetry/core";
import type { MetricData, PushMetricExporter, ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { AggregationTemporality, InMemoryMetricExporter } from "@opentelemetry/sdk-metrics";
import type { Catalogue } from "../../definitions";

export interface Captured {
  level: "error" | "warn" | "info" | "debug" | "verbose";
  message: string;
}

/** Installs a global diag logger that records every message; `restore` removes it. */
export function captureDiag(level: DiagLogLevel = DiagLogLevel.WARN): {
  messages: Captured[];
  restore: () => void;
} {
  const messages: Captured[] = [];
  const keep =
    (l: Captured["level"]) =>
    (message: string, ...args: unknown[]) =>
      messages.push({
        level: l,
        message: [message, ...args.map((a) => (a instanceof Error ? a.message : String(a)))].join(" "),
      });
  const logger: DiagLogger = {
    error: keep("error"),
    warn: keep("warn"),
    info: keep("info"),
    debug: keep("debug"),
    verbose: keep("verbose"),
  };
  diag.setLogger(logger, { logLevel: level, suppressOverrideMessage: true });
  return { messages, restore: () => diag.disable() };
}

export function cumulativeExporter(): InMemoryMetricExporter {
  return new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
}

/** The metrics of the last export, by name. */
export function lastExport(exporter: InMemoryMetricExporter): {
  resource: ResourceMetrics;
  byName: Map<string, MetricData>;
} {
  const all = exporter.getMetrics();
  const resource = all[all.length - 1];
  if (resource === undefined) throw new Error("nothing was exported");
  const byName = new Map<string, MetricData>();
  for (const scope of resource.scopeMetrics) for (const m of scope.metrics) byName.set(m.descriptor.name, m);
  return { resource, byName };
}

export function metric(exporter: InMemoryMetricExporter, name: string): MetricData {
  const m = lastExport(exporter).byName.get(name);
  if (m === undefined) throw new Error(`metric ${name} was not exported`);
  return m;
}

/** Data points as plain comparable objects, sorted by attributes (their order carries no meaning). */
export function points(m: MetricData): { attributes: Record<string, unknown>; value: unknown }[] {
  return (m.dataPoints as { attributes: Record<string, unknown>; value: unknown }[])
    .map((p) => ({ attributes: { ...p.attributes }, value: p.value }))
    .sort((a, b) =>
      JSON.stringify(sortKeys(a.attributes)).localeCompare(JSON.stringify(sortKeys(b.attributes))),
    );
}

function sortKeys(o: Record<string, unknown>): [string, unknown][] {
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * `catalogue` with one metric's cardinality limit replaced. The definitions refuse a limit below the
 * metric's attribute sets; the module must still hold any limit it is given (a hand-built catalogue,
 * an older validation), so tests of the run-time bound set one this way.
 */
export function withCardinalityLimit<C extends Catalogue>(catalogue: C, key: string, limit: number): C {
  const list = catalogue.list.map((m) => (m.key === key ? { ...m, cardinalityLimit: limit } : m));
  return { ...catalogue, list, byKey: Object.fromEntries(list.map((m) => [m.key, m])) } as C;
}

/** An exporter that keeps only the point count per metric of each export (memory stays flat). */
export function countingExporter(): PushMetricExporter & { counts: Map<string, number>[] } {
  const counts: Map<string, number>[] = [];
  return {
    counts,
    export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
      const c = new Map<string, number>();
      for (const s of metrics.scopeMetrics)
        for (const m of s.metrics) c.set(m.descriptor.name, m.dataPoints.length);
      counts.push(c);
      done({ code: ExportResultCode.SUCCESS });
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  };
}
