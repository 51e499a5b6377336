// Child process for the flush-on-exit test: records, says "ready", and waits for a signal. Its exporter
// prints what it is given, so the parent sees whether the signal flushed the data.
import type { ExportResult } from "@opentelemetry/core";
import { ExportResultCode } from "@opentelemetry/core";
import type { PushMetricExporter, ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { scotty } from "../../definitions";
import { createMetrics } from "../create";

const exporter: PushMetricExporter = {
  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    const sums: Record<string, number> = {};
    for (const scope of metrics.scopeMetrics) {
      for (const m of scope.metrics) {
        if (m.descriptor.name === "scotty.log_streams") {
          sums[m.descriptor.name] = (m.dataPoints as { value: number }[]).reduce((n, p) => n + p.value, 0);
        }
      }
    }
    process.stdout.write(`export ${JSON.stringify(sums)}\n`);
    done({ code: ExportResultCode.SUCCESS });
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

const m = createMetrics(scotty, { exporter, exportIntervalMillis: 3_600_000, flushOnExit: true });
m.logStreams.add(40);
m.logStreams.add(2);
process.stdout.write("ready\n");
// Keep the process alive until the signal arrives.
setInterval(() => {}, 1000);
