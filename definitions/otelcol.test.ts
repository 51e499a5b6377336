import { otelcol } from "./otelcol";

// The collector's own metrics as its Prometheus endpoint (:8888) serves them at v0.161.0: the
// generated config sets without_units and without_type_suffix (also the defaults), so no unit word
// and no `_total`. process_* from service/metadata.yaml.
// Attributes from receiverhelper/exporterhelper/processorhelper's obsreport code.
const COLLECTOR_V0_161_0: readonly [string, string, string[]][] = [
  ["otelcol_receiver_accepted_metric_points", "counter", ["receiver", "transport"]],
  ["otelcol_receiver_refused_metric_points", "counter", ["receiver", "transport"]],
  ["otelcol_receiver_accepted_spans", "counter", ["receiver", "transport"]],
  ["otelcol_receiver_refused_spans", "counter", ["receiver", "transport"]],
  ["otelcol_exporter_sent_metric_points", "counter", ["exporter"]],
  ["otelcol_exporter_send_failed_metric_points", "counter", ["exporter"]],
  ["otelcol_exporter_sent_spans", "counter", ["exporter"]],
  ["otelcol_exporter_send_failed_spans", "counter", ["exporter"]],
  ["otelcol_exporter_queue_size", "gauge", ["exporter", "data_type"]],
  ["otelcol_exporter_queue_capacity", "gauge", ["exporter", "data_type"]],
  ["otelcol_processor_incoming_items", "counter", ["processor", "otel_signal"]],
  ["otelcol_processor_outgoing_items", "counter", ["processor", "otel_signal"]],
  ["otelcol_exporter_enqueue_failed_metric_points", "counter", ["exporter"]],
  ["otelcol_exporter_enqueue_failed_spans", "counter", ["exporter"]],
  ["otelcol_process_memory_rss", "gauge", []],
  ["otelcol_process_runtime_heap_alloc_bytes", "gauge", []],
  ["otelcol_process_uptime", "counter", []],
];

describe("the otelcol catalogue", () => {
  it("is one group, pipeline, named otelcol", () => {
    expect(otelcol.name).toBe("otelcol");
    expect(otelcol.groups.map((g) => [g.key, g.title])).toEqual([["pipeline", "Pipeline health"]]);
  });

  it("names each metric by its scraped series name, labels included", () => {
    expect(otelcol.list.map((m) => [m.prometheusName, m.kind, m.attributes.map((a) => a.label)])).toEqual(
      COLLECTOR_V0_161_0,
    );
    for (const m of otelcol.list) {
      expect(m.naming).toBe("prometheus");
      expect(m.seriesNames).toEqual([m.name]);
      expect(m.name).not.toMatch(/_total$/);
    }
  });

  it("lists the signals the queue and processor metrics are split by", () => {
    const signals = ["traces", "metrics", "logs", "profiles"];
    expect(otelcol.byKey.exporterQueueSize.attributes.find((a) => a.key === "data_type")?.values).toEqual(
      signals,
    );
    expect(
      otelcol.byKey.processorIncomingItems.attributes.find((a) => a.key === "otel.signal")?.values,
    ).toEqual(signals);
  });
});
