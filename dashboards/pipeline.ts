// The collector's own health (otelcol catalogue): throughput and loss first, then queues, memory
// against the memory_limiter, and the receivers, exporters and processors in collapsed rows.
import * as units from "@grafana/grafana-foundation-sdk/units";
import { otelcol, type ResolvedMetric } from "../definitions";
import { meanings, type MetricMeaning } from "../definitions/semantics";
import { detailPanels, INSTANCE, usePanels } from "./group";
import type { Section } from "./layout";
import type { Measure } from "./measure";
import { describeMetric, type PanelSpec } from "./panels";
import { attributeLabels, legendFor, type LabelScope, rateOrZero, valueOf } from "./queries";
import { rateUnit } from "./units";

const MIB = 1024 * 1024;

export interface PipelineOptions {
  readonly scope: LabelScope;
  /** The memory_limiter's soft and hard limits (MiB), drawn against the collector's memory. */
  readonly memoryLimiter: { readonly softMib: number; readonly hardMib: number };
}

type Key = keyof typeof otelcol.metrics;

/** Sections of the pipeline dashboard, and every otelcol metric they use. */
export function pipelineSections(o: PipelineOptions): Section[] {
  const all = meanings(otelcol);
  const m = (k: Key) => all.get(k) as MetricMeaning;
  const used = new Set<string>();
  const scope = o.scope;
  const rateM = (x: MetricMeaning, by?: readonly string[]): Measure => ({
    op: "rate",
    catalogue: otelcol.name,
    metric: x.metric.key,
    ...(by !== undefined ? { by } : {}),
  });
  const rate = (x: MetricMeaning, by: readonly string[] = attributeLabels(x.metric)) => {
    used.add(x.metric.key);
    const partner = x.failuresOf !== undefined ? (all.get(x.failuresOf.key) as MetricMeaning) : undefined;
    return rateOrZero(x, partner, scope, by);
  };
  /** failed / (ok + failed), per `by`: the share of items lost. */
  const loss = (ok: MetricMeaning, failed: readonly MetricMeaning[], by: readonly string[]) => {
    const f = failed.map((x) => rate(x, by));
    const sum = f.length === 1 ? (f[0] as string) : `(${f.join(" + ")})`;
    return `${sum} / (${rate(ok, by)} + ${sum})`;
  };
  const lossMeasure = (
    ok: MetricMeaning,
    failed: readonly MetricMeaning[],
    by?: readonly string[],
  ): Measure => ({
    op: "ratio",
    numerator: failed.map((x) => rateM(x, by)),
    denominator: [rateM(ok, by), ...failed.map((x) => rateM(x, by))],
    ...(by !== undefined ? { by } : {}),
  });
  const lossThresholds = { warning: 0.001, critical: 0.01 };
  const pointsLost = [m("exporterSendFailedMetricPoints"), m("exporterEnqueueFailedMetricPoints")];
  const spansLost = [m("exporterSendFailedSpans"), m("exporterEnqueueFailedSpans")];
  const queue = m("exporterQueueSize");
  const capacity = m("exporterQueueCapacity");
  used.add(queue.metric.key).add(capacity.metric.key);
  const qLabels = attributeLabels(queue.metric);
  const fill = (by: readonly string[]) => `${valueOf(queue, scope, by)} / ${valueOf(capacity, scope, by)}`;
  const rss = m("processMemoryRss");
  const uptime = m("processUptime");
  used.add(rss.metric.key).add(uptime.metric.key);

  const health: PanelSpec[] = [
    {
      type: "stat",
      title: "Metric points accepted /s",
      description: describeMetric(m("receiverAcceptedMetricPoints").metric),
      unit: units.CountsPerSecond,
      targets: [{ expr: rate(m("receiverAcceptedMetricPoints"), []), legend: "accepted" }],
      thresholds: "neutral",
      measure: rateM(m("receiverAcceptedMetricPoints")),
    },
    {
      type: "stat",
      title: "Spans accepted /s",
      description: describeMetric(m("receiverAcceptedSpans").metric),
      unit: units.CountsPerSecond,
      targets: [{ expr: rate(m("receiverAcceptedSpans"), []), legend: "accepted" }],
      thresholds: "neutral",
      measure: rateM(m("receiverAcceptedSpans")),
    },
    {
      type: "stat",
      title: "Metric points lost",
      description: "Failed sends and queue-full drops over everything the exporters handled.",
      unit: units.PercentUnit,
      targets: [{ expr: loss(m("exporterSentMetricPoints"), pointsLost, []), legend: "lost" }],
      thresholds: lossThresholds,
      measure: lossMeasure(m("exporterSentMetricPoints"), pointsLost),
    },
    {
      type: "stat",
      title: "Spans lost",
      description: "Failed sends and queue-full drops over everything the exporters handled.",
      unit: units.PercentUnit,
      targets: [{ expr: loss(m("exporterSentSpans"), spansLost, []), legend: "lost" }],
      thresholds: lossThresholds,
      measure: lossMeasure(m("exporterSentSpans"), spansLost),
    },
    {
      type: "stat",
      title: "Fullest queue",
      description: "The largest size/capacity ratio of any export queue: at 100% the exporter drops data.",
      unit: units.PercentUnit,
      targets: [{ expr: `max(${fill(["job", INSTANCE, ...qLabels])})`, legend: "fill" }],
      thresholds: { warning: 0.5, critical: 0.8 },
    },
    {
      type: "stat",
      title: "Collector memory (RSS)",
      description: `${describeMetric(rss.metric)} Amber at the memory_limiter's soft limit (${o.memoryLimiter.softMib} MiB, it starts refusing data), red at its hard limit (${o.memoryLimiter.hardMib} MiB).`,
      unit: units.BytesIEC,
      targets: [{ expr: valueOf(rss, scope), legend: "rss" }],
      thresholds: { warning: o.memoryLimiter.softMib * MIB, critical: o.memoryLimiter.hardMib * MIB },
      measure: { op: "value", catalogue: otelcol.name, metric: rss.metric.key, aggregation: "max" },
    },
    ...usePanels({ catalogue: otelcol, scope }, { key: "uptime", title: "Uptime", metrics: [uptime.metric] }),
    {
      type: "timeseries",
      title: "Loss by exporter",
      description: "Metric points and spans lost (failed or dropped) over all handled, per exporter.",
      unit: units.PercentUnit,
      targets: [
        {
          expr: loss(m("exporterSentMetricPoints"), pointsLost, ["exporter"]),
          legend: "points {{exporter}}",
        },
        { expr: loss(m("exporterSentSpans"), spansLost, ["exporter"]), legend: "spans {{exporter}}" },
      ],
      min: 0,
      measures: [
        lossMeasure(m("exporterSentMetricPoints"), pointsLost, ["exporter"]),
        lossMeasure(m("exporterSentSpans"), spansLost, ["exporter"]),
      ],
    },
    {
      type: "timeseries",
      title: "Queue fill by exporter",
      description: "Export queue size / capacity, per exporter and signal.",
      unit: units.PercentUnit,
      targets: [{ expr: fill(["exporter", "data_type"]), legend: "{{exporter}} {{data_type}}" }],
      min: 0,
      max: 1,
      thresholds: { warning: 0.5, critical: 0.8 },
      thresholdLines: true,
    },
    {
      type: "timeseries",
      title: "Collector memory against the memory_limiter",
      description: `RSS and Go heap per collector; dashed: the soft (${o.memoryLimiter.softMib} MiB) and hard (${o.memoryLimiter.hardMib} MiB) limits.`,
      unit: units.BytesIEC,
      targets: [
        { expr: valueOf(rss, scope, [INSTANCE]), legend: "rss {{instance}}" },
        { expr: valueOf(m("processHeapAlloc"), scope, [INSTANCE]), legend: "heap {{instance}}" },
      ],
      min: 0,
      thresholds: { warning: o.memoryLimiter.softMib * MIB, critical: o.memoryLimiter.hardMib * MIB },
      thresholdLines: true,
    },
  ];
  used.add("processHeapAlloc");

  const pair = (
    title: string,
    a: MetricMeaning,
    aWord: string,
    z: MetricMeaning,
    zWord: string,
  ): PanelSpec => {
    const la = attributeLabels(a.metric);
    return {
      type: "timeseries",
      title,
      description: `${describeMetric(a.metric)}\n${describeMetric(z.metric)}`,
      unit: rateUnit(a.metric.unit),
      targets: [
        { expr: rate(a), legend: `${aWord} ${legendFor(la, "")}`.trim() },
        { expr: rate(z), legend: `${zWord} ${legendFor(attributeLabels(z.metric), "")}`.trim() },
      ],
      min: 0,
    };
  };
  const sections: Section[] = [
    { title: "Pipeline: throughput, loss, queues, memory", panels: health, collapsed: false },
    {
      title: "Receivers",
      panels: [
        pair(
          "Metric points received",
          m("receiverAcceptedMetricPoints"),
          "accepted",
          m("receiverRefusedMetricPoints"),
          "refused",
        ),
        pair("Spans received", m("receiverAcceptedSpans"), "accepted", m("receiverRefusedSpans"), "refused"),
      ],
    },
    {
      title: "Exporters",
      panels: [
        pair(
          "Metric points exported",
          m("exporterSentMetricPoints"),
          "sent",
          m("exporterSendFailedMetricPoints"),
          "failed",
        ),
        pair("Spans exported", m("exporterSentSpans"), "sent", m("exporterSendFailedSpans"), "failed"),
        pair(
          "Queue-full drops",
          m("exporterEnqueueFailedMetricPoints"),
          "points",
          m("exporterEnqueueFailedSpans"),
          "spans",
        ),
      ],
    },
    {
      title: "Export queues",
      panels: [
        {
          type: "timeseries",
          title: "Queue size vs capacity",
          description: `${describeMetric(queue.metric)}\n${describeMetric(capacity.metric)}`,
          unit: units.Short,
          targets: [
            { expr: valueOf(queue, scope, qLabels), legend: `size ${legendFor(qLabels, "")}`.trim() },
            { expr: valueOf(capacity, scope, qLabels), legend: `capacity ${legendFor(qLabels, "")}`.trim() },
          ],
          min: 0,
        },
      ],
    },
    {
      title: "Processors",
      panels: [
        pair(
          "Processor items in / out",
          m("processorIncomingItems"),
          "in",
          m("processorOutgoingItems"),
          "out",
        ),
      ],
    },
  ];
  // Metrics added to the otelcol catalogue later still get panels.
  const rest = otelcol.list.filter((x: ResolvedMetric) => !used.has(x.key));
  for (const x of rest) {
    sections.push({
      title: (all.get(x.key) as MetricMeaning).title,
      panels: detailPanels({ catalogue: otelcol, scope }, x),
    });
  }
  return sections;
}
