// The panels of a catalogue's groups: a RED row (rate, errors, duration, saturation) for each
// requests metric, a USE-style "now" row for groups without requests, and one collapsed detail row
// per metric. Every number comes from the metric's meaning (definitions/semantics.ts).
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { Catalogue, ResolvedGroup, ResolvedMetric } from "../definitions";
import { kindFacts } from "../definitions/kinds";
import { meanings, type MetricMeaning } from "../definitions/semantics";
import type { Section } from "./layout";
import type { Measure, MeasureFilter } from "./measure";
import { describeMetric, type PanelLink, type PanelSpec } from "./panels";
import {
  attributeLabels,
  bucketRates,
  errorRatio,
  type Filter,
  HISTOGRAM_QUANTILES,
  legendFor,
  type LabelScope,
  liveInstances,
  meanOf,
  quantileOf,
  rateOf,
  rateOrZero,
  shareOf,
  valueOf,
  youngestUptime,
} from "./queries";
import { rateUnit, valueUnit } from "./units";

/** The label that tells instances apart on a dashboard (`instance` for apps and collectors). */
export const INSTANCE = "instance";

export interface GroupContext {
  readonly catalogue: Catalogue;
  readonly scope: LabelScope;
  /** Links every stat carries (to the group's dashboard, from the overview). */
  readonly links?: readonly PanelLink[];
}

function meaning(c: Catalogue, m: ResolvedMetric): MetricMeaning {
  return meanings(c).get(m.key) as MetricMeaning;
}

const pct = (q: number) => `p${Math.round(q * 100)}`;

function rateMeasure(
  c: Catalogue,
  m: MetricMeaning,
  by?: readonly string[],
  filters?: readonly MeasureFilter[],
): Measure {
  return {
    op: "rate",
    catalogue: c.name,
    metric: m.metric.key,
    ...(filters !== undefined && filters.length > 0 ? { filters } : {}),
    ...(by !== undefined && by.length > 0 ? { by } : {}),
  };
}

function errorMeasure(
  c: Catalogue,
  r: MetricMeaning,
  errors: readonly MetricMeaning[],
  by?: readonly string[],
): Measure {
  return {
    op: "ratio",
    numerator: [
      ...errors.map((e) => rateMeasure(c, e, by)),
      ...r.failures.map((f) => rateMeasure(c, r, by, [{ label: f.label, values: f.values }])),
    ],
    denominator: [rateMeasure(c, r, by)],
    ...(by !== undefined && by.length > 0 ? { by } : {}),
  };
}

/** The headline filter of a metric's partitions (`memory_type="rss"`), or undefined when it has none. */
function headlineFilters(m: MetricMeaning): Filter[] | undefined {
  const out: Filter[] = [];
  for (const p of m.partitions) {
    if (p.headline !== undefined) out.push({ label: p.label, values: [p.headline] });
    else if (p.inUse !== undefined) out.push({ label: p.label, values: p.inUse });
    else return undefined;
  }
  return out;
}

/** The stat of a gauge or up-down counter, when its meaning allows one number. */
function valueStat(ctx: GroupContext, m: MetricMeaning): PanelSpec | undefined {
  const c = ctx.catalogue;
  const metric = m.metric;
  const share = m.partitions.find((p) => p.inUse !== undefined);
  if (share !== undefined) {
    return {
      type: "stat",
      title: `${m.title} utilisation`,
      description: describeMetric(
        metric,
        `Largest share of ${share.inUse?.join(", ")} in the whole, of any instance.`,
      ),
      unit: units.PercentUnit,
      targets: [{ expr: `max(${shareOf(m, ctx.scope, [INSTANCE])})`, legend: "utilisation" }],
      thresholds: m.thresholds ?? { warning: 0.8, critical: 0.95 },
      measure: {
        op: "maxShare",
        catalogue: c.name,
        metric: metric.key,
        label: share.label,
        inUse: share.inUse as readonly string[],
      },
      ...(ctx.links !== undefined ? { links: ctx.links } : {}),
    };
  }
  const filters = headlineFilters(m);
  if (filters === undefined) return undefined;
  const label = filters.map((f) => f.values.join("+")).join(", ");
  return {
    type: "stat",
    title: label === "" ? m.title : `${m.title} (${label})`,
    description: describeMetric(
      metric,
      `Current value, ${m.aggregation} over instances${label === "" ? "" : `, ${label} only`}.`,
    ),
    unit: valueUnit(metric.unit, metric.kind),
    targets: [{ expr: valueOf(m, ctx.scope, [], filters), legend: m.aggregation ?? "value" }],
    thresholds: m.thresholds ?? "neutral",
    measure: {
      op: "value",
      catalogue: c.name,
      metric: metric.key,
      aggregation: m.aggregation ?? "sum",
      ...(filters.length > 0 ? { filters } : {}),
    },
    ...(ctx.links !== undefined ? { links: ctx.links } : {}),
  };
}

/** Saturation of a RED row: a share of the in-use values, or the value itself. */
function saturationPanels(ctx: GroupContext, s: MetricMeaning): { stat?: PanelSpec; graph: PanelSpec } {
  const share = s.partitions.find((p) => p.inUse !== undefined);
  const headline = headlineFilters(s) ?? [];
  const graph: PanelSpec =
    share !== undefined
      ? {
          type: "timeseries",
          title: `${s.title} utilisation by instance`,
          description: describeMetric(s.metric, `Share of ${share.inUse?.join(", ")} per instance.`),
          unit: units.PercentUnit,
          targets: [{ expr: shareOf(s, ctx.scope, [INSTANCE]), legend: `{{${INSTANCE}}}` }],
          min: 0,
          max: 1,
        }
      : {
          type: "timeseries",
          title: `${s.title} by instance`,
          description: describeMetric(s.metric, `Per instance (${s.aggregation}).`),
          unit: valueUnit(s.metric.unit, s.metric.kind),
          targets: [{ expr: valueOf(s, ctx.scope, [INSTANCE], headline), legend: `{{${INSTANCE}}}` }],
          min: 0,
          measure: {
            op: "value",
            catalogue: ctx.catalogue.name,
            metric: s.metric.key,
            aggregation: s.aggregation ?? "sum",
            // The same filter as the query (memory: rss only): the e2e found the measure without it.
            ...(headline.length > 0 ? { filters: headline } : {}),
            by: [INSTANCE],
          },
        };
  const stat = valueStat(ctx, s);
  return stat === undefined ? { graph } : { stat, graph };
}

/** The RED panels of one requests metric: stats first, then per-instance graphs. */
export function redPanels(ctx: GroupContext, r: MetricMeaning): PanelSpec[] {
  const c = ctx.catalogue;
  const req = r.requests;
  if (req === undefined) return [];
  const errors = req.errors.map((e) => meaning(c, e));
  const stats: PanelSpec[] = [];
  const graphs: PanelSpec[] = [];
  // A histogram's rate counts its observations (requests), not its unit (seconds).
  const rateU = rateUnit(kindFacts(r.metric.kind).rate === "count" ? "{request}" : r.metric.unit);
  const withLinks = ctx.links !== undefined ? { links: ctx.links } : {};
  stats.push({
    type: "stat",
    title: `${r.title} /s`,
    description: describeMetric(r.metric, "Requests per second, all instances."),
    unit: rateU,
    targets: [{ expr: rateOf(r, ctx.scope), legend: "rate" }],
    thresholds: "neutral",
    measure: rateMeasure(c, r),
    ...withLinks,
  });
  graphs.push({
    type: "timeseries",
    title: `${r.title} /s by instance`,
    description: describeMetric(r.metric, "Requests per second, per instance."),
    unit: rateU,
    targets: [{ expr: rateOf(r, ctx.scope, [INSTANCE]), legend: `{{${INSTANCE}}}` }],
    min: 0,
    measure: rateMeasure(c, r, [INSTANCE]),
  });
  const ratio = errorRatio(r, errors, ctx.scope);
  if (ratio !== undefined) {
    const what = [
      ...errors.map((e) => e.title),
      ...r.failures.map((f) => `${f.label} ${f.values.join("|")}`),
    ].join(", ");
    stats.push({
      type: "stat",
      title: "Error ratio",
      description: `Failed / all: ${what} over ${r.title.toLowerCase()}.`,
      unit: units.PercentUnit,
      targets: [{ expr: ratio, legend: "errors" }],
      thresholds: req.errorRatio,
      measure: errorMeasure(c, r, errors),
      ...withLinks,
    });
    graphs.push({
      type: "timeseries",
      title: "Error ratio by instance",
      description: `Failed / all per instance: ${what}.`,
      unit: units.PercentUnit,
      targets: [{ expr: errorRatio(r, errors, ctx.scope, [INSTANCE]) as string, legend: `{{${INSTANCE}}}` }],
      min: 0,
      measure: errorMeasure(c, r, errors, [INSTANCE]),
    });
  }
  if (req.duration !== undefined) {
    const d = meaning(c, req.duration);
    const unit = valueUnit(d.metric.unit, d.metric.kind);
    for (const q of HISTOGRAM_QUANTILES) {
      stats.push({
        type: "stat",
        title: `${d.title} ${pct(q)}`,
        description: describeMetric(d.metric, `${pct(q)} over all instances, from the bucket rates.`),
        unit,
        targets: [{ expr: quantileOf(d, ctx.scope, q), legend: pct(q) }],
        thresholds: q === 0.99 ? (req.latency ?? "neutral") : "neutral",
        measure: { op: "quantile", catalogue: c.name, metric: d.metric.key, q },
        ...withLinks,
      });
    }
    graphs.push({
      type: "timeseries",
      title: `${d.title} ${HISTOGRAM_QUANTILES.map(pct).join(" / ")}`,
      description: describeMetric(d.metric, "Quantiles over all instances, from the bucket rates."),
      unit,
      targets: HISTOGRAM_QUANTILES.map((q) => ({ expr: quantileOf(d, ctx.scope, q), legend: pct(q) })),
      min: 0,
      measures: HISTOGRAM_QUANTILES.map((q): Measure => ({
        op: "quantile",
        catalogue: c.name,
        metric: d.metric.key,
        q,
      })),
    });
    graphs.push({
      type: "timeseries",
      title: `${d.title} p95 by instance`,
      description: describeMetric(d.metric, "p95 per instance."),
      unit,
      targets: [{ expr: quantileOf(d, ctx.scope, 0.95, [INSTANCE]), legend: `{{${INSTANCE}}}` }],
      min: 0,
      measure: { op: "quantile", catalogue: c.name, metric: d.metric.key, q: 0.95, by: [INSTANCE] },
    });
  }
  if (req.saturation !== undefined) {
    const sat = saturationPanels({ ...ctx }, meaning(c, req.saturation));
    if (sat.stat !== undefined) stats.push(sat.stat);
    graphs.push(sat.graph);
  }
  return [...stats, ...graphs];
}

/** Stats and per-instance graphs of a group without requests: its values and its uptime. */
export function usePanels(ctx: GroupContext, group: ResolvedGroup): PanelSpec[] {
  const c = ctx.catalogue;
  const stats: PanelSpec[] = [];
  const graphs: PanelSpec[] = [];
  const withLinks = ctx.links !== undefined ? { links: ctx.links } : {};
  for (const metric of group.metrics) {
    const m = meaning(c, metric);
    if (m.uptime) {
      stats.push({
        type: "stat",
        title: "Live instances",
        description: describeMetric(metric, "Instances with a current uptime series."),
        unit: units.Short,
        targets: [{ expr: liveInstances(m, ctx.scope), legend: "instances" }],
        thresholds: { warning: 1, critical: 0, below: true },
        measure: { op: "instances", catalogue: c.name, metric: metric.key },
        ...withLinks,
      });
      stats.push({
        type: "stat",
        title: "Youngest uptime",
        description: describeMetric(metric, "Time since the most recent (re)start of any instance."),
        unit: units.Seconds,
        targets: [{ expr: youngestUptime(m, ctx.scope), legend: "uptime" }],
        thresholds: "neutral",
        measure: { op: "youngestUptime", catalogue: c.name, metric: metric.key },
        ...withLinks,
      });
      continue;
    }
    // Counters get a stat only as a utilisation (CPU seconds by state); their rates are details.
    const shared = m.partitions.some((p) => p.inUse !== undefined);
    const headline = kindFacts(metric.kind).headline;
    if (headline === "none" || (headline === "utilisation" && !shared)) continue;
    const stat = valueStat(ctx, m);
    if (stat === undefined) continue;
    stats.push(stat);
    graphs.push(saturationPanels(ctx, m).graph);
  }
  return [...stats, ...graphs];
}

/** The detail panels of one metric: split by its attributes and by instance. */
export function detailPanels(ctx: GroupContext, metric: ResolvedMetric): PanelSpec[] {
  const c = ctx.catalogue;
  const m = meaning(c, metric);
  const labels = attributeLabels(metric);
  const by = labels.length === 0 ? "" : ` by ${labels.join(", ")}`;
  const partitionLabels = m.partitions.map((p) => p.label);
  // Counters and gauges alike: with an in-use partition, its share of the whole per instance.
  const utilisation = (): PanelSpec[] =>
    m.partitions.some((p) => p.inUse !== undefined)
      ? [
          {
            type: "timeseries",
            title: `${m.title} utilisation by instance`,
            description: describeMetric(metric, "Share of the in-use values in the whole, per instance."),
            unit: units.PercentUnit,
            targets: [
              {
                expr: shareOf(m, ctx.scope, [INSTANCE]),
                legend: legendFor(
                  [INSTANCE, ...labels.filter((l) => !partitionLabels.includes(l))],
                  "utilisation",
                ),
              },
            ],
            min: 0,
            max: 1,
          },
        ]
      : [];
  // Exhaustive over the table's `shows`: a new kind picks one of these, or this stops compiling.
  switch (kindFacts(metric.kind).shows) {
    case "rate": {
      if (m.uptime) {
        return [
          {
            type: "timeseries",
            title: `${m.title} by instance`,
            description: describeMetric(metric, "Seconds since each instance started; a drop is a restart."),
            unit: units.Seconds,
            targets: [
              {
                expr: `max by (${INSTANCE}) (${metric.seriesNames[0]}${ctx.scope.matchers.length > 0 ? `{${ctx.scope.matchers.join(",")}}` : ""})`,
                legend: `{{${INSTANCE}}}`,
              },
            ],
            min: 0,
          },
        ];
      }
      const partner = m.failuresOf !== undefined ? meaning(c, m.failuresOf) : undefined;
      const unit = rateUnit(metric.unit, m.utilisation);
      const panels: PanelSpec[] = [
        {
          type: "timeseries",
          title: `${m.title} /s${by}`,
          description: describeMetric(metric, "Per-second rate."),
          unit,
          targets: [{ expr: rateOrZero(m, partner, ctx.scope, labels), legend: legendFor(labels, "rate") }],
          min: 0,
        },
        {
          type: "timeseries",
          title: `${m.title} /s by instance${partitionLabels.length > 0 ? `, ${partitionLabels.join(", ")}` : ""}`,
          description: describeMetric(metric, "Per-second rate, per instance."),
          unit,
          targets: [
            {
              expr: rateOrZero(m, partner, ctx.scope, [INSTANCE, ...partitionLabels]),
              legend: legendFor([INSTANCE, ...partitionLabels], "rate"),
            },
          ],
          min: 0,
        },
      ];
      return [...panels, ...utilisation()];
    }
    case "value": {
      const unit = valueUnit(metric.unit, metric.kind);
      const panels: PanelSpec[] = [
        {
          type: "timeseries",
          title: `${m.title}${by}`,
          description: describeMetric(
            metric,
            `${m.aggregation} over instances${labels.length > 0 ? ", per attribute value" : ""}.`,
          ),
          unit,
          targets: [
            { expr: valueOf(m, ctx.scope, labels), legend: legendFor(labels, m.aggregation ?? "value") },
          ],
        },
        {
          type: "timeseries",
          title: `${m.title} by instance${partitionLabels.length > 0 ? `, ${partitionLabels.join(", ")}` : ""}`,
          description: describeMetric(metric, "Per instance."),
          unit,
          targets: [
            {
              expr: valueOf(m, ctx.scope, [INSTANCE, ...partitionLabels]),
              legend: legendFor([INSTANCE, ...partitionLabels], "value"),
            },
          ],
        },
      ];
      return [...panels, ...utilisation()];
    }
    case "distribution": {
      const unit = valueUnit(metric.unit, metric.kind);
      const panels: PanelSpec[] = [
        {
          type: "timeseries",
          title: `${m.title} ${HISTOGRAM_QUANTILES.map(pct).join(" / ")}`,
          description: describeMetric(metric, "Quantiles estimated from the bucket rates."),
          unit,
          targets: HISTOGRAM_QUANTILES.map((q) => ({ expr: quantileOf(m, ctx.scope, q), legend: pct(q) })),
          min: 0,
        },
        {
          type: "heatmap",
          title: `${m.title} distribution`,
          description: describeMetric(metric, "Observations per second in each bucket."),
          unit,
          targets: [{ expr: bucketRates(m, ctx.scope), legend: "{{le}}" }],
        },
        {
          type: "timeseries",
          title: `${m.title} observations /s${by}`,
          description: describeMetric(metric, "Observations per second (from _count)."),
          unit: units.CountsPerSecond,
          targets: [{ expr: rateOf(m, ctx.scope, labels), legend: legendFor(labels, "rate") }],
          min: 0,
        },
        {
          type: "timeseries",
          title: `${m.title} mean${by}`,
          description: describeMetric(metric, "Mean observed value (_sum rate / _count rate)."),
          unit,
          targets: [{ expr: meanOf(m, ctx.scope, labels), legend: legendFor(labels, "mean") }],
          min: 0,
        },
      ];
      if (labels.length > 0) {
        panels.push({
          type: "timeseries",
          title: `${m.title} p95${by}`,
          description: describeMetric(metric, "95th percentile per attribute value."),
          unit,
          targets: [{ expr: quantileOf(m, ctx.scope, 0.95, labels), legend: legendFor(labels, "p95") }],
          min: 0,
        });
      }
      return panels;
    }
  }
}

/** The requests metrics of a group, in declaration order. */
export function requestsOf(c: Catalogue, group: ResolvedGroup): MetricMeaning[] {
  return group.metrics.map((m) => meaning(c, m)).filter((m) => m.requests !== undefined);
}

/** A group's sections: RED (or USE) first and open, one collapsed detail row per metric below. */
export function groupSections(ctx: GroupContext, group: ResolvedGroup): Section[] {
  const sections: Section[] = [];
  const reqs = requestsOf(ctx.catalogue, group);
  for (const r of reqs) {
    sections.push({
      title: `${r.title}: rate, errors, duration`,
      panels: redPanels(ctx, r),
      collapsed: false,
    });
  }
  const use = usePanels(ctx, group);
  if (reqs.length === 0 && use.length > 0)
    sections.push({ title: `${group.title}: now`, panels: use, collapsed: false });
  for (const metric of group.metrics) {
    sections.push({
      title: meaning(ctx.catalogue, metric).title,
      panels: detailPanels(ctx, metric),
      collapsed: true,
    });
  }
  return sections;
}
