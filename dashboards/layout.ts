// The assembler: sections of PanelSpecs in, a placed, built dashboard model out. Panels fill the
// 24 grid columns line by line; the first section is open, the others are collapsed rows that keep
// their panels inside them until opened (Grafana's model for collapsed rows).
import { DashboardBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { leanPanel } from "./lean";
import { buildPanel, type PanelBuilder, type PanelSpec } from "./panels";
import type { Measure } from "./measure";
import { canonicalJson } from "./serialize";

export interface Section {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
  /** @default true for every section but the first */
  readonly collapsed?: boolean;
}

/** A panel as placed, with what it means (for the end-to-end value check and DASHBOARDS.md). */
export interface PlacedPanel {
  readonly id: number;
  readonly section: string;
  readonly type: PanelSpec["type"];
  readonly title: string;
  readonly unit: string;
  readonly exprs: readonly string[];
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  /** One per target; undefined where the target has no stated measure. */
  readonly measures: readonly (Measure | undefined)[];
}

const GRID = 24;
const PER_LINE: Readonly<Record<PanelSpec["type"], number>> = { stat: 6, timeseries: 3, heatmap: 3 };
const HEIGHT: Readonly<Record<PanelSpec["type"], number>> = { stat: 5, timeseries: 8, heatmap: 8 };

/** Consecutive panels of one size class, cut into lines of at most PER_LINE, evenly filled. */
function lines(panels: readonly PanelSpec[]): PanelSpec[][] {
  const out: PanelSpec[][] = [];
  let i = 0;
  while (i < panels.length) {
    const cls = (panels[i] as PanelSpec).type === "stat" ? "stat" : "graph";
    let j = i;
    while (j < panels.length && ((panels[j] as PanelSpec).type === "stat" ? "stat" : "graph") === cls) j++;
    const run = panels.slice(i, j);
    const max = PER_LINE[(run[0] as PanelSpec).type];
    const count = Math.ceil(run.length / max);
    const per = Math.ceil(run.length / count);
    for (let k = 0; k < run.length; k += per) out.push(run.slice(k, k + per));
    i = j;
  }
  return out;
}

/** Column widths for a line: in proportion to the weights, summing to exactly 24. */
function widths(line: readonly PanelSpec[]): number[] {
  const total = line.reduce((n, p) => n + (p.weight ?? 1), 0);
  const raw = line.map((p) => ((p.weight ?? 1) * GRID) / total);
  const w = raw.map(Math.floor);
  let rest = GRID - w.reduce((a, b) => a + b, 0);
  for (let k = 0; rest > 0; k = (k + 1) % w.length, rest--) w[k] = (w[k] as number) + 1;
  return w;
}

/**
 * Places and builds the sections into `b`; returns the placed panels in order. Ids are 1, 2, 3 …
 * in reading order, so they are stable for a given catalogue.
 */
export function assemble(b: DashboardBuilder, sections: readonly Section[]): PlacedPanel[] {
  let id = 0;
  let y = 0;
  const placed: PlacedPanel[] = [];
  sections.forEach((section, index) => {
    const collapsed = section.collapsed ?? index > 0;
    const row = new RowBuilder(section.title).id(++id).gridPos({ x: 0, y, w: GRID, h: 1 });
    // A collapsed row's panels are positioned as if it were open; rows below it start right after it.
    let py = y + 1;
    const built: PanelBuilder[] = [];
    for (const line of lines(section.panels)) {
      const ws = widths(line);
      let x = 0;
      let h = 0;
      line.forEach((p, k) => {
        const w = ws[k] as number;
        const gridPos = { x, y: py, w, h: HEIGHT[p.type] };
        const panelId = ++id;
        built.push(buildPanel(p, panelId, gridPos));
        placed.push({
          id: panelId,
          section: section.title,
          type: p.type,
          title: p.title,
          unit: p.unit,
          exprs: p.targets.map((t) => t.expr),
          gridPos,
          measures: p.measures ?? p.targets.map((_, i) => (i === 0 ? p.measure : undefined)),
        });
        x += w;
        h = Math.max(h, gridPos.h);
      });
      py += h;
    }
    if (collapsed) {
      row.collapsed(true);
      for (const p of built) row.withPanel(p);
      b.withRow(row);
      y += 1;
    } else {
      row.collapsed(false);
      b.withRow(row);
      for (const p of built) b.withPanel(p);
      y = py;
    }
  });
  return placed;
}

/**
 * The built model as plain, key-sorted data: the SDK's marker functions and undefined fields gone,
 * and each panel without the defaults Grafana fills in itself (lean.ts).
 */
export function plainModel(b: DashboardBuilder): Record<string, unknown> {
  const model = JSON.parse(JSON.stringify(b.build())) as Record<string, unknown>;
  if (Array.isArray(model.panels)) for (const p of model.panels) leanPanel(p as Record<string, unknown>);
  return canonicalJson(model) as Record<string, unknown>;
}
