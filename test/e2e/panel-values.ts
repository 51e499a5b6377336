// The value check of the e2e: every panel of a catalogue's dashboards that states its meaning (every
// stat and every RED panel) must show, from the real VictoriaMetrics, the value computed from what the
// app instances recorded (their ledgers), within a stated tolerance.
import * as fs from "node:fs";
import type { Catalogue } from "../../definitions";
import { buildDashboards, dashboardQueries, substituteVariables } from "../../dashboards";
import type { Measure } from "../../dashboards";
import type { RenderedFile } from "../../render";
import type { LedgerFile } from "../../examples/ledger";
import { evaluate, leafMeasures, truthFromLedgers, type Values } from "./values";
import type { VictoriaMetricsClient } from "./vm";

/** Relative tolerance of a panel value (recordings and samples meet at ms clock resolution). */
export const RELATIVE_TOLERANCE = 0.01;
const ABSOLUTE_TOLERANCE = 1e-9;

export interface PanelValueReport {
  /** Panels with at least one measured target, and how many showed the recorded values. */
  readonly panels: number;
  readonly matching: number;
  /** Of the panels, those whose truth is the stored samples (metrics the module observes itself). */
  readonly observed: number;
  readonly mismatches: readonly string[];
  /** Ledger series with no stored series, and stored series the ledgers do not explain. */
  readonly lost: readonly string[];
  readonly unexplained: readonly string[];
}

const close = (got: number, want: number) =>
  Math.abs(got - want) <= ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.abs(want);

function compare(got: Values, want: Values): string | undefined {
  const fmt = (v: Values) =>
    [...v.values()].map((x) => `${JSON.stringify(x.labels)}=${x.value.toPrecision(6)}`).join(" ");
  if (want.size === 0) return `nothing to expect (the recordings give no value)`;
  if (got.size !== want.size) return `got ${got.size} series (${fmt(got)}), want ${want.size} (${fmt(want)})`;
  for (const [k, w] of want) {
    const g = got.get(k);
    if (g === undefined) return `no series ${k}; got ${fmt(got)}`;
    if (!close(g.value, w.value))
      return `${k}: got ${g.value.toPrecision(6)}, want ${w.value.toPrecision(6)}`;
  }
  return undefined;
}

/**
 * Checks the panels of `catalogue`'s dashboards (as rendered into `files`) against `ledgerFiles`.
 * `job` selects the instances the ledgers belong to; the rate window covers the whole run.
 */
export async function checkPanelValues(o: {
  client: VictoriaMetricsClient;
  catalogue: Catalogue;
  files: readonly RenderedFile[];
  ledgerFiles: readonly string[];
  job: string;
  /** Seconds back that hold every sample of the run (and no earlier sample of `job`). */
  windowSec: number;
}): Promise<PanelValueReport> {
  const { client, catalogue } = o;
  const ledgers = o.ledgerFiles.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as LedgerFile);
  const names = catalogue.list.flatMap((m) => m.seriesNames).join("|");
  const stored = await client.export(`{__name__=~"^(${names})$", job="${o.job}"}`, o.windowSec);
  const truth = truthFromLedgers(catalogue, ledgers, stored);
  const recorded = new Set(ledgers.flatMap((l) => l.series.map((s) => s.key)));
  const window = `${o.windowSec}s`;

  const mismatches: string[] = [];
  let panels = 0;
  let matching = 0;
  let observed = 0;
  for (const d of buildDashboards(catalogue)) {
    // The panels as built must be the panels as rendered, or this would check something else.
    const file = o.files.find((f) => f.path.endsWith(`/${d.uid}.json`));
    if (file === undefined) throw new Error(`dashboard ${d.uid} is not among the rendered files`);
    const rendered = dashboardQueries({ model: JSON.parse(file.content) as Record<string, unknown> });
    const built = d.panels.flatMap((p) => p.exprs);
    if (JSON.stringify(rendered) !== JSON.stringify(built)) {
      throw new Error(`dashboard ${d.uid}: the rendered queries differ from the built panels`);
    }
    for (const p of d.panels) {
      const measured = p.measures
        .map((m, i) => [m, p.exprs[i]] as const)
        .filter((x): x is readonly [Measure, string] => x[0] !== undefined);
      if (
        measured.length === 0 ||
        !measured.every(([m]) => leafMeasures(m).every((l) => l.catalogue === catalogue.name))
      )
        continue;
      panels++;
      const keys = measured.flatMap(([m]) => leafMeasures(m).map((l) => l.metric));
      if (keys.some((k) => !recorded.has(k))) observed++;
      let problem: string | undefined;
      for (const [m, expr] of measured) {
        const q = substituteVariables(expr, { __rate_interval: window, job: o.job, instance: ".*" });
        const by: readonly string[] = "by" in m ? (m.by ?? []) : [];
        const result = await client.query(q);
        const got: Values = new Map();
        for (const s of result) {
          const labels = Object.fromEntries(Object.entries(s.metric).filter(([k]) => by.includes(k)));
          got.set(JSON.stringify(Object.entries(labels).sort()), { labels, value: Number(s.value?.[1]) });
        }
        // Two series with one label set (say a label-less fallback beside the real one) is wrong too.
        problem =
          got.size === result.length
            ? compare(got, evaluate(m, catalogue, truth.series))
            : `${result.length} series for ${got.size} label sets: ${JSON.stringify(result.map((s) => s.metric))}`;
        if (problem !== undefined) {
          problem = `${d.uid} / ${p.section} / "${p.title}": ${problem} — query ${q}`;
          break;
        }
      }
      if (problem === undefined) matching++;
      else mismatches.push(problem);
    }
  }
  return { panels, matching, observed, mismatches, lost: truth.lost, unexplained: truth.unexplained };
}
