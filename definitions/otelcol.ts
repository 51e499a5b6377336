// The collector's own telemetry, as read from receiverhelper, exporterhelper and processorhelper
// (metadata.yaml and obsreport code) at collector v0.161.0. VictoriaMetrics scrapes these from the
// collector's Prometheus endpoint (:8888), not through OTLP, so the names are already the series
// names: the generated config sets without_units, without_type_suffix and without_scope_info on the
// collector's Prometheus reader explicitly (collector/config.ts; also its defaults at v0.161.0,
// service/telemetry/otelconftelemetry), hence no unit word and no `_total`.
import { defineMetrics } from "./define";

// Component ids as configured (`otlp`, `prometheusremotewrite/vm` …): an open set.
const receiver = { description: "The receiver's component id.", maxValues: 10 } as const;
// "grpc"/"http" for the OTLP receiver; scraper receivers (hostmetrics) leave it empty.
const transport = { description: "How the data arrived (grpc, http).", maxValues: 4 } as const;
const exporter = { description: "The exporter's component id.", maxValues: 10 } as const;
const processor = { description: "The processor's component id.", maxValues: 10 } as const;
const signals = ["traces", "metrics", "logs", "profiles"] as const;

export const otelcol = defineMetrics({
  name: "otelcol",
  title: "OpenTelemetry Collector",
  groups: {
    pipeline: {
      title: "Pipeline health",
      description: "Data accepted, refused, sent and dropped by the collector, and its export queues.",
    },
  },
  metrics: {
    receiverAcceptedMetricPoints: {
      name: "otelcol_receiver_accepted_metric_points",
      naming: "prometheus",
      kind: "counter",
      unit: "{datapoint}",
      description: "Number of metric points successfully pushed into the pipeline.",
      group: "pipeline",
      attributes: { receiver, transport },
      title: "Metric points accepted",
    },
    receiverRefusedMetricPoints: {
      name: "otelcol_receiver_refused_metric_points",
      naming: "prometheus",
      kind: "counter",
      unit: "{datapoint}",
      description: "Number of metric points that could not be pushed into the pipeline.",
      group: "pipeline",
      attributes: { receiver, transport },
      title: "Metric points refused",
      failuresOf: "receiverAcceptedMetricPoints",
    },
    receiverAcceptedSpans: {
      name: "otelcol_receiver_accepted_spans",
      naming: "prometheus",
      kind: "counter",
      unit: "{span}",
      description: "Number of spans successfully pushed into the pipeline.",
      group: "pipeline",
      attributes: { receiver, transport },
      title: "Spans accepted",
    },
    receiverRefusedSpans: {
      name: "otelcol_receiver_refused_spans",
      naming: "prometheus",
      kind: "counter",
      unit: "{span}",
      description: "Number of spans that could not be pushed into the pipeline.",
      group: "pipeline",
      attributes: { receiver, transport },
      title: "Spans refused",
      failuresOf: "receiverAcceptedSpans",
    },
    exporterSentMetricPoints: {
      name: "otelcol_exporter_sent_metric_points",
      naming: "prometheus",
      kind: "counter",
      unit: "{datapoint}",
      description: "Number of metric points successfully sent to destination.",
      group: "pipeline",
      attributes: { exporter },
      title: "Metric points sent",
    },
    exporterSendFailedMetricPoints: {
      name: "otelcol_exporter_send_failed_metric_points",
      naming: "prometheus",
      // Created at the first failed send: a healthy pipeline has no such series.
      zeroWhenAbsent: true,
      kind: "counter",
      unit: "{datapoint}",
      description: "Number of metric points in failed attempts to send to destination.",
      group: "pipeline",
      attributes: { exporter },
      title: "Metric points failed",
      failuresOf: "exporterSentMetricPoints",
    },
    exporterSentSpans: {
      name: "otelcol_exporter_sent_spans",
      naming: "prometheus",
      kind: "counter",
      unit: "{span}",
      description: "Number of spans successfully sent to destination.",
      group: "pipeline",
      attributes: { exporter },
      title: "Spans sent",
    },
    exporterSendFailedSpans: {
      name: "otelcol_exporter_send_failed_spans",
      naming: "prometheus",
      // Created at the first failed send: a healthy pipeline has no such series.
      zeroWhenAbsent: true,
      kind: "counter",
      unit: "{span}",
      description: "Number of spans in failed attempts to send to destination.",
      group: "pipeline",
      attributes: { exporter },
      title: "Spans failed",
      failuresOf: "exporterSentSpans",
    },
    exporterQueueSize: {
      name: "otelcol_exporter_queue_size",
      naming: "prometheus",
      kind: "gauge",
      unit: "{batch}",
      description: "Current size of the retry queue (in batches).",
      group: "pipeline",
      attributes: {
        exporter,
        data_type: { description: "The signal the queue holds.", values: signals },
      },
      title: "Queue size",
      aggregation: "max",
    },
    exporterQueueCapacity: {
      name: "otelcol_exporter_queue_capacity",
      naming: "prometheus",
      kind: "gauge",
      unit: "{batch}",
      description: "Fixed capacity of the retry queue (in batches).",
      group: "pipeline",
      attributes: {
        exporter,
        data_type: { description: "The signal the queue holds.", values: signals },
      },
      title: "Queue capacity",
      aggregation: "max",
    },
    processorIncomingItems: {
      name: "otelcol_processor_incoming_items",
      naming: "prometheus",
      kind: "counter",
      unit: "{item}",
      description: "Number of items passed to the processor.",
      group: "pipeline",
      attributes: {
        processor,
        "otel.signal": { description: "The signal of the pipeline.", values: signals },
      },
      title: "Processor items in",
    },
    processorOutgoingItems: {
      name: "otelcol_processor_outgoing_items",
      naming: "prometheus",
      kind: "counter",
      unit: "{item}",
      description: "Number of items emitted from the processor.",
      group: "pipeline",
      attributes: {
        processor,
        "otel.signal": { description: "The signal of the pipeline.", values: signals },
      },
      title: "Processor items out",
    },
    exporterEnqueueFailedMetricPoints: {
      name: "otelcol_exporter_enqueue_failed_metric_points",
      naming: "prometheus",
      // Created at the first drop of a full queue.
      zeroWhenAbsent: true,
      kind: "counter",
      unit: "{datapoint}",
      description: "Number of metric points failed to be added to the sending queue.",
      group: "pipeline",
      title: "Metric points dropped (queue full)",
      failuresOf: "exporterSentMetricPoints",
      attributes: { exporter },
    },
    exporterEnqueueFailedSpans: {
      name: "otelcol_exporter_enqueue_failed_spans",
      naming: "prometheus",
      zeroWhenAbsent: true,
      kind: "counter",
      unit: "{span}",
      description: "Number of spans failed to be added to the sending queue.",
      group: "pipeline",
      title: "Spans dropped (queue full)",
      failuresOf: "exporterSentSpans",
      attributes: { exporter },
    },
    processMemoryRss: {
      name: "otelcol_process_memory_rss",
      naming: "prometheus",
      kind: "gauge",
      unit: "By",
      description: "Total physical memory (resident set size).",
      group: "pipeline",
      title: "Collector memory (RSS)",
      // The collector closest to its memory limit.
      aggregation: "max",
    },
    processHeapAlloc: {
      name: "otelcol_process_runtime_heap_alloc_bytes",
      naming: "prometheus",
      kind: "gauge",
      unit: "By",
      description: "Bytes of allocated heap objects (see 'go doc runtime.MemStats.HeapAlloc').",
      group: "pipeline",
      title: "Collector heap",
      aggregation: "max",
    },
    processUptime: {
      name: "otelcol_process_uptime",
      naming: "prometheus",
      kind: "counter",
      unit: "s",
      description: "Uptime of the process.",
      group: "pipeline",
      title: "Collector uptime",
      uptime: true,
    },
  },
});

export default otelcol;
