// Built-in rules for the stack itself. The collector's are declared with defineAlerting on its own
// catalogue (definitions/otelcol.ts), so their series names come from the same place as the
// pipeline dashboard's. `up` and VictoriaMetrics' own metrics are in no catalogue: `up` is written
// by VictoriaMetrics' scrapes (victoriametrics/scrape.yaml); the vm_* gauges exist once
// VictoriaMetrics scrapes itself (`-selfScrapeInterval`, job "victoria-metrics") or is scraped. Their
// names were read in the VictoriaMetrics v1.151.0 source (app/vmstorage/main.go).
import { defineAlerting, otelcol } from "../definitions";
import { plainAlertRule, STACK_CATALOGUE_LABEL, type AlertingOptions, type AlertingRule } from "./model";
import { scaledDuration } from "./windows";

const COLLECTOR_DOCS = "https://opentelemetry.io/docs/collector/internal-telemetry/";
const VM_DOCS = "https://docs.victoriametrics.com/victoriametrics/single-server-victoriametrics/#monitoring";

/** The collector's refusing, failing and dropping, as plain alerts on the otelcol catalogue. */
export const collectorAlerting = defineAlerting(otelcol, {
  alerts: {
    CollectorRefusingMetricPoints: {
      metric: "receiverRefusedMetricPoints",
      by: ["receiver"],
      above: 0,
      for: "5m",
      severity: "ticket",
      summary:
        "Collector receiver {{ $labels.receiver }} refuses metric points (memory limiter or a full pipeline).",
      runbookUrl: COLLECTOR_DOCS,
    },
    CollectorRefusingSpans: {
      metric: "receiverRefusedSpans",
      by: ["receiver"],
      above: 0,
      for: "5m",
      severity: "ticket",
      summary: "Collector receiver {{ $labels.receiver }} refuses spans (memory limiter or a full pipeline).",
      runbookUrl: COLLECTOR_DOCS,
    },
    CollectorSendFailingMetricPoints: {
      metric: "exporterSendFailedMetricPoints",
      by: ["exporter"],
      above: 0,
      for: "5m",
      severity: "ticket",
      summary: "Collector exporter {{ $labels.exporter }} fails to send metric points (is its backend up?).",
      runbookUrl: COLLECTOR_DOCS,
    },
    CollectorSendFailingSpans: {
      metric: "exporterSendFailedSpans",
      by: ["exporter"],
      above: 0,
      for: "5m",
      severity: "ticket",
      summary: "Collector exporter {{ $labels.exporter }} fails to send spans (is its backend up?).",
      runbookUrl: COLLECTOR_DOCS,
    },
    CollectorDroppingMetricPoints: {
      metric: "exporterEnqueueFailedMetricPoints",
      by: ["exporter"],
      above: 0,
      for: "1m",
      severity: "page",
      summary: "Collector exporter {{ $labels.exporter }} drops metric points: its sending queue is full.",
      runbookUrl: COLLECTOR_DOCS,
    },
    CollectorDroppingSpans: {
      metric: "exporterEnqueueFailedSpans",
      by: ["exporter"],
      above: 0,
      for: "1m",
      severity: "page",
      summary: "Collector exporter {{ $labels.exporter }} drops spans: its sending queue is full.",
      runbookUrl: COLLECTOR_DOCS,
    },
  },
});

/** The names of the built-in rules, in file order. */
export const BUILTIN_ALERT_NAMES: readonly string[] = [
  ...collectorAlerting.alerting.alerts.map((a) => a.name),
  "CollectorQueueFilling",
  "ScrapeTargetDown",
  "VictoriaMetricsDiskSpaceLow",
  "VictoriaMetricsReadOnly",
  "VictoriaMetricsRowsIgnored",
];

/** Share of an exporter queue in use at which CollectorQueueFilling fires. */
export const QUEUE_FILLING_RATIO = 0.8;
/** Share of VictoriaMetrics' disk left at which VictoriaMetricsDiskSpaceLow fires. */
export const DISK_FREE_RATIO = 0.1;

/** The built-in rules (group `observability-stack`), scaled like every other rule. */
export function builtinRules(options: AlertingOptions): AlertingRule[] {
  const d = (s: number): string => scaledDuration(s, options.windowScale);
  const labels = (severity: string) => ({ severity, catalogue: STACK_CATALOGUE_LABEL });
  const size = otelcol.byKey.exporterQueueSize.seriesNames[0] as string;
  const capacity = otelcol.byKey.exporterQueueCapacity.seriesNames[0] as string;
  const queueBy = "by (job, instance, exporter, data_type)";
  return [
    ...collectorAlerting.alerting.alerts.map((a) => ({
      ...plainAlertRule(STACK_CATALOGUE_LABEL, a, options),
      labels: labels(a.severity),
    })),
    {
      alert: "CollectorQueueFilling",
      expr: `max ${queueBy} (${size}) / max ${queueBy} (${capacity}) > ${QUEUE_FILLING_RATIO}`,
      for: d(300),
      labels: labels("ticket"),
      annotations: {
        summary:
          "Collector exporter {{ $labels.exporter }} ({{ $labels.data_type }}) queue is {{ $value | humanizePercentage }} full; when full it drops data.",
        runbook_url: COLLECTOR_DOCS,
      },
    },
    {
      alert: "ScrapeTargetDown",
      expr: "up == 0",
      for: d(120),
      labels: labels("page"),
      annotations: {
        summary: "VictoriaMetrics cannot scrape {{ $labels.instance }} (job {{ $labels.job }}).",
        runbook_url: VM_DOCS,
      },
    },
    {
      alert: "VictoriaMetricsDiskSpaceLow",
      expr: `vm_free_disk_space_bytes / vm_total_disk_space_bytes < ${DISK_FREE_RATIO}`,
      for: d(600),
      labels: labels("ticket"),
      annotations: {
        summary:
          "VictoriaMetrics has {{ $value | humanizePercentage }} of its disk ({{ $labels.path }}) free; it turns read-only at -storage.minFreeDiskSpaceBytes.",
        runbook_url: VM_DOCS,
      },
    },
    {
      alert: "VictoriaMetricsReadOnly",
      expr: "vm_storage_is_read_only == 1",
      for: d(60),
      labels: labels("page"),
      annotations: {
        summary:
          "VictoriaMetrics storage {{ $labels.path }} is read-only (disk nearly full): new samples are rejected.",
        runbook_url: VM_DOCS,
      },
    },
    {
      alert: "VictoriaMetricsRowsIgnored",
      expr: `sum by (job, instance, reason) (increase(vm_rows_ignored_total[${d(300)}])) > 0`,
      for: d(300),
      labels: labels("ticket"),
      annotations: {
        summary: "VictoriaMetrics ignores incoming rows ({{ $labels.reason }}): samples are lost.",
        runbook_url: VM_DOCS,
      },
    },
  ];
}
