// Panel builders: one place that fixes sizes, datasource, legends and units, so every dashboard
// looks the same. Ids are handed out by a PanelIds counter per dashboard (unique, stable).
import * as common from "@grafana/grafana-foundation-sdk/common";
import { DashboardLinkBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as HeatmapBuilder, YAxisConfigBuilder } from "@grafana/grafana-foundation-sdk/heatmap";
import {
  DataqueryBuilder,
  PromQueryFormat,
  QueryEditorMode,
} from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { ResolvedMetric } from "../definitions";
import {
  attributeLabels,
  counterRate,
  currentValue,
  HISTOGRAM_QUANTILES,
  histogramBucketRates,
  histogramMean,
  histogramQuantile,
  histogramRate,
  legendFor,
  type LabelScope,
} from "./queries";
import { rateUnit, valueUnit } from "./units";

/** Every panel queries the dashboard's `datasource` variable (type prometheus). */
export const DATASOURCE_VARIABLE = "datasource";
const DATASOURCE = { type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` };

export type PanelBuilder = TimeseriesBuilder | StatBuilder | HeatmapBuilder;

/** Hands out panel ids 1, 2, 3 … in build order. */
export class PanelIds {
  private last = 0;
  next(): number {
    this.last += 1;
    return this.last;
  }
}

export interface Target {
  readonly expr: string;
  readonly legend: string;
}

export interface PanelLink {
  readonly title: string;
  readonly url: string;
}

function query(t: Target, index: number): DataqueryBuilder {
  return new DataqueryBuilder()
    .expr(t.expr)
    .legendFormat(t.legend)
    .refId(String.fromCharCode(65 + index))
    .editorMode(QueryEditorMode.Code)
    .range();
}

function links(list: readonly PanelLink[]): DashboardLinkBuilder[] {
  return list.map((l) => new DashboardLinkBuilder(l.title).url(l.url));
}

export function row(ids: PanelIds, title: string): RowBuilder {
  return new RowBuilder(title).id(ids.next());
}

export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly targets: readonly Target[];
  readonly links?: readonly PanelLink[];
}

export function timeseries(ids: PanelIds, p: PanelSpec & { min0?: boolean }): TimeseriesBuilder {
  if (p.targets.length > 26) throw new Error(`dashboards: panel "${p.title}" has more than 26 queries.`);
  const b = new TimeseriesBuilder()
    .id(ids.next())
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .unit(p.unit)
    .span(12)
    .height(8)
    .fillOpacity(10)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder()
        .mode(common.TooltipDisplayMode.Multi)
        .sort(common.SortOrder.Descending),
    )
    .targets(p.targets.map(query));
  if (p.min0 === true) b.min(0);
  if (p.links !== undefined) b.links(links(p.links));
  return b;
}

export function stat(ids: PanelIds, p: PanelSpec): StatBuilder {
  const b = new StatBuilder()
    .id(ids.next())
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .unit(p.unit)
    .span(6)
    .height(4)
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
    .targets(p.targets.map(query));
  if (p.links !== undefined) b.links(links(p.links));
  return b;
}

export function heatmap(ids: PanelIds, p: PanelSpec): HeatmapBuilder {
  return (
    new HeatmapBuilder()
      .id(ids.next())
      .title(p.title)
      .description(p.description)
      .datasource(DATASOURCE)
      .span(12)
      .height(8)
      // The buckets are already counted by Prometheus: show them, do not re-bucket.
      .calculate(false)
      .yAxis(new YAxisConfigBuilder().unit(p.unit))
      .targets(p.targets.map((t, i) => query(t, i).format(PromQueryFormat.Heatmap)))
  );
}

/** A metric's description plus where its data lives, for the panel's info tooltip. */
export function describeMetric(m: ResolvedMetric, extra?: string): string {
  const unit = m.unit === "" ? "" : `, unit ${m.unit}`;
  return `${m.description} (${m.name}: ${m.kind}${unit}; series ${m.seriesNames.join(", ")})${extra === undefined ? "" : ` ${extra}`}`;
}

/** The headline stat of a metric: current value, rate, or p90. */
export function headlineStat(
  ids: PanelIds,
  m: ResolvedMetric,
  scope: LabelScope,
  panelLinks?: readonly PanelLink[],
): StatBuilder {
  const withLinks = panelLinks === undefined ? {} : { links: panelLinks };
  switch (m.kind) {
    case "counter":
      return stat(ids, {
        title: `${m.name} /s`,
        description: describeMetric(m, "Per-second rate, all series summed."),
        unit: rateUnit(m.unit),
        targets: [{ expr: counterRate(m, scope), legend: "rate" }],
        ...withLinks,
      });
    case "histogram":
      return stat(ids, {
        title: `${m.name} p90`,
        description: describeMetric(m, "90th percentile over the rate window."),
        unit: valueUnit(m.unit, m.kind),
        targets: [{ expr: histogramQuantile(m, scope, 0.9), legend: "p90" }],
        ...withLinks,
      });
    default:
      return stat(ids, {
        title: m.name,
        description: describeMetric(m, "Current value, all series summed."),
        unit: valueUnit(m.unit, m.kind),
        targets: [{ expr: currentValue(m, scope), legend: "now" }],
        ...withLinks,
      });
  }
}

/** The time-series panels of one metric: rates, current values or quantiles, with breakdowns. */
export function metricPanels(ids: PanelIds, m: ResolvedMetric, scope: LabelScope): PanelBuilder[] {
  const labels = attributeLabels(m);
  const by = labels.length === 0 ? "" : ` by ${labels.join(", ")}`;
  switch (m.kind) {
    case "counter":
      return [
        timeseries(ids, {
          title: `${m.name} — rate${by}`,
          description: describeMetric(m, "Per-second rate."),
          unit: rateUnit(m.unit),
          targets: [{ expr: counterRate(m, scope, labels), legend: legendFor(labels, "rate") }],
          min0: true,
        }),
      ];
    case "gauge":
    case "upDownCounter":
      return [
        timeseries(ids, {
          title: `${m.name}${by}`,
          description: describeMetric(m),
          unit: valueUnit(m.unit, m.kind),
          targets: [{ expr: currentValue(m, scope, labels), legend: legendFor(labels, "value") }],
        }),
      ];
    case "histogram": {
      const unit = valueUnit(m.unit, m.kind);
      const panels: PanelBuilder[] = [
        timeseries(ids, {
          title: `${m.name} — ${HISTOGRAM_QUANTILES.map((q) => `p${q * 100}`).join(" / ")}`,
          description: describeMetric(m, "Quantiles estimated from the bucket rates."),
          unit,
          targets: HISTOGRAM_QUANTILES.map((q) => ({
            expr: histogramQuantile(m, scope, q),
            legend: `p${q * 100}`,
          })),
          min0: true,
        }),
        heatmap(ids, {
          title: `${m.name} — distribution`,
          description: describeMetric(m, "Observations per second in each bucket."),
          unit,
          targets: [{ expr: histogramBucketRates(m, scope), legend: "{{le}}" }],
        }),
        timeseries(ids, {
          title: `${m.name} — observations /s${by}`,
          description: describeMetric(m, "Observations per second (from _count)."),
          unit: units.OpsPerSecond,
          targets: [{ expr: histogramRate(m, scope, labels), legend: legendFor(labels, "rate") }],
          min0: true,
        }),
        timeseries(ids, {
          title: `${m.name} — mean${by}`,
          description: describeMetric(m, "Mean observed value (_sum rate / _count rate)."),
          unit,
          targets: [{ expr: histogramMean(m, scope, labels), legend: legendFor(labels, "mean") }],
          min0: true,
        }),
      ];
      if (labels.length > 0) {
        panels.push(
          timeseries(ids, {
            title: `${m.name} — p90${by}`,
            description: describeMetric(m, "90th percentile per attribute value."),
            unit,
            targets: [{ expr: histogramQuantile(m, scope, 0.9, labels), legend: legendFor(labels, "p90") }],
            min0: true,
          }),
        );
      }
      return panels;
    }
  }
}
