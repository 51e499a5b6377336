// Panel defaults, in one place (the foundation SDK examples' common.ts): datasource, legends,
// units, thresholds and sizes, so every dashboard looks and reads the same. A panel is first a
// plain PanelSpec; the assembler (layout.ts) places it and builds it.
import * as common from "@grafana/grafana-foundation-sdk/common";
import {
  DashboardLinkBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as HeatmapBuilder, YAxisConfigBuilder } from "@grafana/grafana-foundation-sdk/heatmap";
import {
  DataqueryBuilder,
  PromQueryFormat,
  QueryEditorMode,
} from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import type { ResolvedMetric } from "../definitions";
import type { ThresholdSpec } from "../definitions/types";
import type { Measure } from "./measure";

/** Every panel queries the dashboard's `datasource` variable (type prometheus). */
export const DATASOURCE_VARIABLE = "datasource";
const DATASOURCE = { type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` };

export type PanelBuilder = TimeseriesBuilder | StatBuilder | HeatmapBuilder;

/** Colours of threshold steps. "text" is the theme's neutral colour: throughput is never "bad". */
export const COLORS = Object.freeze({ neutral: "text", ok: "green", warning: "orange", critical: "red" });

export interface Target {
  readonly expr: string;
  readonly legend: string;
}

export interface PanelLink {
  readonly title: string;
  readonly url: string;
}

/** One panel before layout. */
export interface PanelSpec {
  readonly type: "stat" | "timeseries" | "heatmap";
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly targets: readonly Target[];
  /** Stats must say how they are coloured: thresholds, or "neutral" for values with no bad side. */
  readonly thresholds?: ThresholdSpec | "neutral";
  /** Draw the thresholds as lines on a graph (collector memory against its limits). */
  readonly thresholdLines?: boolean;
  readonly links?: readonly PanelLink[];
  readonly min?: number;
  readonly max?: number;
  /** Relative width in its line (default 1): the assembler fills the 24 columns in proportion. */
  readonly weight?: number;
  /** What the value means, for the end-to-end value check (not part of the dashboard model). */
  readonly measure?: Measure;
  /** One measure per target (for graphs with several queries). */
  readonly measures?: readonly (Measure | undefined)[];
}

/** Grafana threshold steps: neutral, or green → orange → red (reversed when low is bad). */
export function thresholdSteps(
  t: ThresholdSpec | "neutral" | undefined,
): { value: number | null; color: string }[] {
  if (t === undefined || t === "neutral" || (t.warning === undefined && t.critical === undefined)) {
    return [{ value: null, color: COLORS.neutral }];
  }
  if (t.below === true) {
    const steps: { value: number | null; color: string }[] = [
      { value: null, color: t.critical !== undefined ? COLORS.critical : COLORS.warning },
    ];
    if (t.critical !== undefined && t.warning !== undefined)
      steps.push({ value: t.critical, color: COLORS.warning });
    steps.push({ value: (t.warning ?? t.critical) as number, color: COLORS.ok });
    return steps;
  }
  const steps: { value: number | null; color: string }[] = [{ value: null, color: COLORS.ok }];
  if (t.warning !== undefined) steps.push({ value: t.warning, color: COLORS.warning });
  if (t.critical !== undefined) steps.push({ value: t.critical, color: COLORS.critical });
  return steps;
}

function thresholdsConfig(t: ThresholdSpec | "neutral" | undefined): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(thresholdSteps(t));
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

/** Builds a placed panel. */
export function buildPanel(
  p: PanelSpec,
  id: number,
  gridPos: { x: number; y: number; w: number; h: number },
): PanelBuilder {
  if (p.targets.length > 26) throw new Error(`dashboards: panel "${p.title}" has more than 26 queries.`);
  switch (p.type) {
    case "stat": {
      const b = new StatBuilder()
        .id(id)
        .title(p.title)
        .description(p.description)
        .datasource(DATASOURCE)
        .unit(p.unit)
        .gridPos(gridPos)
        .graphMode(common.BigValueGraphMode.Area)
        .colorMode(common.BigValueColorMode.Value)
        .thresholds(thresholdsConfig(p.thresholds))
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
        .targets(p.targets.map(query));
      if (p.links !== undefined) b.links(links(p.links));
      return b;
    }
    case "timeseries": {
      const b = new TimeseriesBuilder()
        .id(id)
        .title(p.title)
        .description(p.description)
        .datasource(DATASOURCE)
        .unit(p.unit)
        .gridPos(gridPos)
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
      // A graph's series take palette colours, so thresholds only matter where they are drawn or
      // given: unset, Grafana's own default is never seen (and not written into every panel).
      if (p.thresholds !== undefined || p.thresholdLines === true)
        b.thresholds(thresholdsConfig(p.thresholds));
      if (p.thresholdLines === true) {
        b.thresholdsStyle(
          new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
        );
      }
      if (p.min !== undefined) b.min(p.min);
      if (p.max !== undefined) b.max(p.max);
      if (p.links !== undefined) b.links(links(p.links));
      return b;
    }
    case "heatmap":
      return (
        new HeatmapBuilder()
          .id(id)
          .title(p.title)
          .description(p.description)
          .datasource(DATASOURCE)
          .unit(p.unit)
          .gridPos(gridPos)
          // The buckets are already counted by Prometheus: show them, do not re-bucket.
          .calculate(false)
          .yAxis(new YAxisConfigBuilder().unit(p.unit))
          .targets(p.targets.map((t, i) => query(t, i).format(PromQueryFormat.Heatmap)))
      );
  }
}

/** A metric's description plus where its data lives, for the panel's info tooltip. */
export function describeMetric(m: ResolvedMetric, extra?: string): string {
  const unit = m.unit === "" ? "" : `, unit ${m.unit}`;
  return `${m.description} (${m.name}: ${m.kind}${unit}; series ${m.seriesNames.join(", ")})${extra === undefined ? "" : ` ${extra}`}`;
}
