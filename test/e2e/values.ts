// What a panel must show, computed from what the example app recorded (its ledger), independently of
// the panel's PromQL: each panel target carries a Measure (dashboards/measure.ts) that states its
// meaning; this evaluates the measure over "truth" series and the e2e compares the result with what
// the real VictoriaMetrics answers to the panel's own query.
//
// Truth series have the timestamps at which the SDK sampled (read from VictoriaMetrics) and the values
// the ledger says the instruments held at those times; metrics the module observes by itself (process
// memory, CPU, uptime) are not in the ledger and take the stored values. Semantics are PromQL's over a
// window that holds every sample of the run: rate = (last − first) / (t_last − t_first) of a series with
// at least two samples, a gauge's value = its last sample, histogram_quantile as Prometheus interpolates.
import type { Catalogue, ResolvedMetric } from "../../definitions";
import { labelName } from "../../definitions";
import type { Measure, MeasureFilter } from "../../dashboards";
import type { LedgerFile } from "../../examples/ledger";

export interface TruthSeries {
  /** Prometheus labels, `__name__` included. */
  readonly labels: Readonly<Record<string, string>>;
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

/** A raw series as VictoriaMetrics' /api/v1/export gives it. */
export interface RawSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

/** Ledger series matched to stored series, and what did not match. */
export interface Truth {
  readonly series: readonly TruthSeries[];
  /** Ledger series with no stored series: recordings the pipeline lost. */
  readonly lost: readonly string[];
  /** Stored series of a recorded metric that the ledger cannot explain. */
  readonly unexplained: readonly string[];
}

const show = (labels: Readonly<Record<string, string>>) =>
  `${labels.__name__ ?? ""}{${Object.entries(labels)
    .filter(([k]) => k !== "__name__")
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}}`;

/** The metric a stored series name belongs to, and which of its series it is. */
function metricOf(
  catalogue: Catalogue,
  name: string,
): { metric: ResolvedMetric; part: "value" | "bucket" | "sum" | "count" } | undefined {
  for (const m of catalogue.list) {
    if (m.kind !== "histogram") {
      if (m.prometheusName === name) return { metric: m, part: "value" };
      continue;
    }
    for (const part of ["bucket", "sum", "count"] as const) {
      if (`${m.prometheusName}_${part}` === name) return { metric: m, part };
    }
  }
  return undefined;
}

/** The identity of a series of `metric` from one instance: its declared attributes' labels. */
function identity(metric: ResolvedMetric, instance: string, labelOf: (label: string) => string): string {
  return JSON.stringify([metric.key, instance, ...metric.attributes.map((a) => labelOf(a.label) ?? "")]);
}

/**
 * Builds truth series: for every stored series of a metric the ledgers recorded, the ledger's value at
 * each stored timestamp; stored values for metrics no ledger has (the module observes them).
 */
export function truthFromLedgers(
  catalogue: Catalogue,
  ledgers: readonly LedgerFile[],
  stored: readonly RawSeries[],
): Truth {
  const byIdentity = new Map<string, { ledger: LedgerFile; entries: (readonly [number, number])[] }>();
  const recordedKeys = new Set<string>();
  for (const l of ledgers) {
    for (const s of l.series) {
      const metric = catalogue.byKey[s.key];
      if (metric === undefined) throw new Error(`ledger of ${l.instanceId}: no metric "${s.key}"`);
      recordedKeys.add(s.key);
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(s.attributes)) labels[labelName(k)] = v;
      const id = identity(metric, l.instanceId, (label) => labels[label] ?? "");
      const entry = byIdentity.get(id) ?? { ledger: l, entries: [] };
      entry.entries.push(...s.entries);
      byIdentity.set(id, entry);
    }
  }
  const explained = new Set<string>();
  const unexplained: string[] = [];
  const series: TruthSeries[] = [];
  for (const raw of stored) {
    const name = raw.metric.__name__ ?? "";
    const found = metricOf(catalogue, name);
    if (found === undefined) continue;
    const { metric, part } = found;
    if (!recordedKeys.has(metric.key)) {
      series.push({ labels: raw.metric, timestamps: raw.timestamps, values: raw.values });
      continue;
    }
    const id = identity(metric, raw.metric.instance ?? "", (label) => raw.metric[label] ?? "");
    const rec = byIdentity.get(id);
    if (rec === undefined) {
      unexplained.push(show(raw.metric));
      continue;
    }
    explained.add(id);
    const entries = [...rec.entries].sort((a, b) => a[0] - b[0]);
    const le = part === "bucket" ? Number(raw.metric.le === "+Inf" ? Infinity : raw.metric.le) : Number.NaN;
    const values = raw.timestamps.map((t) => valueAt(metric, part, le, entries, t));
    series.push({ labels: raw.metric, timestamps: raw.timestamps, values });
  }
  const lost = [...byIdentity.keys()].filter((id) => !explained.has(id));
  return { series, lost, unexplained };
}

/** What the instrument held at time `t` (ms), from the recordings made up to then. */
function valueAt(
  metric: ResolvedMetric,
  part: "value" | "bucket" | "sum" | "count",
  le: number,
  entries: readonly (readonly [number, number])[],
  t: number,
): number {
  let out = 0;
  for (const [at, v] of entries) {
    if (at > t) break;
    if (metric.kind === "gauge") out = v;
    else if (metric.kind !== "histogram") out += v;
    else if (part === "sum") out += v;
    else if (part === "count") out += 1;
    else if (v <= le) out += 1;
  }
  return out;
}

// ---- measure evaluation --------------------------------------------------------------------------

/** Result of a measure: one value per label set of its `by` labels (`{}` for a single value). */
export type Values = Map<string, { labels: Record<string, string>; value: number }>;

const keyOf = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());

function matches(s: TruthSeries, filters: readonly MeasureFilter[] | undefined): boolean {
  return (filters ?? []).every((f) => f.values.includes(s.labels[f.label] ?? "") !== (f.negate ?? false));
}

function pick(labels: Readonly<Record<string, string>>, by: readonly string[]): Record<string, string> {
  return Object.fromEntries(by.map((l) => [l, labels[l] ?? ""]));
}

function last(s: TruthSeries): number | undefined {
  return s.values.length ? s.values[s.values.length - 1] : undefined;
}

/** PromQL rate over a window holding every sample: undefined with fewer than two samples. */
function rate(s: TruthSeries): number | undefined {
  const n = s.timestamps.length;
  if (n < 2) return undefined;
  let increase = 0;
  for (let i = 1; i < n; i++) {
    const d = (s.values[i] as number) - (s.values[i - 1] as number);
    increase += d >= 0 ? d : (s.values[i] as number); // a counter reset starts again from 0
  }
  return increase / (((s.timestamps[n - 1] as number) - (s.timestamps[0] as number)) / 1000);
}

function aggregate(values: readonly number[], how: "sum" | "avg" | "min" | "max"): number {
  switch (how) {
    case "sum":
      return values.reduce((a, b) => a + b, 0);
    case "avg":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "min":
      return Math.min(...values);
    case "max":
      return Math.max(...values);
  }
}

function group(
  series: readonly TruthSeries[],
  by: readonly string[],
  value: (s: TruthSeries) => number | undefined,
  how: "sum" | "avg" | "min" | "max",
): Values {
  const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
  for (const s of series) {
    const v = value(s);
    if (v === undefined) continue;
    const labels = pick(s.labels, by);
    const g = groups.get(keyOf(labels)) ?? { labels, values: [] };
    g.values.push(v);
    groups.set(keyOf(labels), g);
  }
  const out: Values = new Map();
  for (const [k, g] of groups) out.set(k, { labels: g.labels, value: aggregate(g.values, how) });
  return out;
}

/** Prometheus' histogram_quantile over (upper bound, cumulative count) pairs. */
export function histogramQuantile(q: number, buckets: readonly (readonly [number, number])[]): number {
  const b = [...buckets].sort((x, y) => x[0] - y[0]);
  const total = b.length ? (b[b.length - 1] as readonly [number, number])[1] : 0;
  if (b.length < 2 || !(total > 0) || b[b.length - 1]![0] !== Infinity) return Number.NaN;
  const rank = q * total;
  let i = b.findIndex(([, c]) => c >= rank);
  if (i === b.length - 1) return b[b.length - 2]![0];
  if (i < 0) i = b.length - 1;
  const [upper, count] = b[i]!;
  const lower = i === 0 ? (upper > 0 ? 0 : upper) : b[i - 1]![0];
  const below = i === 0 ? 0 : b[i - 1]![1];
  if (i === 0 && upper <= 0) return upper;
  return lower + ((upper - lower) * (rank - below)) / (count - below);
}

/** Evaluates a measure over truth series of its catalogue. */
export function evaluate(m: Measure, catalogue: Catalogue, series: readonly TruthSeries[]): Values {
  const named = (key: string, part?: "bucket" | "count") => {
    const metric = catalogue.byKey[key];
    if (metric === undefined) throw new Error(`measure names "${key}", not a metric of ${catalogue.name}`);
    const name =
      metric.kind === "histogram" ? `${metric.prometheusName}_${part ?? "count"}` : metric.prometheusName;
    return { metric, series: series.filter((s) => s.labels.__name__ === name) };
  };
  switch (m.op) {
    case "rate": {
      const { series: ss } = named(m.metric);
      return group(
        ss.filter((s) => matches(s, m.filters)),
        m.by ?? [],
        rate,
        "sum",
      );
    }
    case "value": {
      const { series: ss } = named(m.metric);
      return group(
        ss.filter((s) => matches(s, m.filters)),
        m.by ?? [],
        last,
        m.aggregation,
      );
    }
    case "ratio": {
      const sum = (parts: readonly Measure[]): Values => {
        const out: Values = new Map();
        for (const p of parts) {
          for (const [k, v] of evaluate(p, catalogue, series)) {
            const prev = out.get(k);
            out.set(k, { labels: v.labels, value: (prev?.value ?? 0) + v.value });
          }
        }
        return out;
      };
      const num = sum(m.numerator);
      const den = sum(m.denominator);
      const out: Values = new Map();
      for (const [k, d] of den) {
        const n = num.get(k);
        if (n !== undefined) out.set(k, { labels: d.labels, value: n.value / d.value });
      }
      return out;
    }
    case "maxShare": {
      const { metric, series: ss } = named(m.metric);
      const v = metric.kind === "counter" ? rate : last;
      const rest = (s: TruthSeries) =>
        Object.keys(s.labels).filter((l) => l !== "__name__" && l !== "job" && l !== m.label);
      const whole = new Map<string, { used: number; all: number }>();
      for (const s of ss) {
        const x = v(s);
        if (x === undefined) continue;
        const k = keyOf(pick(s.labels, rest(s)));
        const w = whole.get(k) ?? { used: 0, all: 0 };
        w.all += x;
        if (m.inUse.includes(s.labels[m.label] ?? "")) w.used += x;
        whole.set(k, w);
      }
      const shares = [...whole.values()].map((w) => w.used / w.all);
      return shares.length ? new Map([["[]", { labels: {}, value: Math.max(...shares) }]]) : new Map();
    }
    case "quantile": {
      const { series: ss } = named(m.metric, "bucket");
      const by = m.by ?? [];
      const perGroup = new Map<string, { labels: Record<string, string>; le: Map<number, number> }>();
      for (const s of ss) {
        const r = rate(s);
        if (r === undefined) continue;
        const labels = pick(s.labels, by);
        const g = perGroup.get(keyOf(labels)) ?? { labels, le: new Map() };
        const le = s.labels.le === "+Inf" ? Infinity : Number(s.labels.le);
        g.le.set(le, (g.le.get(le) ?? 0) + r);
        perGroup.set(keyOf(labels), g);
      }
      const out: Values = new Map();
      for (const [k, g] of perGroup) {
        out.set(k, { labels: g.labels, value: histogramQuantile(m.q, [...g.le.entries()]) });
      }
      return out;
    }
    case "instances": {
      const { series: ss } = named(m.metric);
      return new Map([["[]", { labels: {}, value: ss.filter((s) => last(s) !== undefined).length }]]);
    }
    case "youngestUptime": {
      const { series: ss } = named(m.metric);
      return group(ss, [], last, "min");
    }
  }
}

/** The measures of one metric a measure is made of (a ratio's parts; itself otherwise). */
export function leafMeasures(m: Measure): Exclude<Measure, { op: "ratio" }>[] {
  return m.op === "ratio" ? [...m.numerator, ...m.denominator].flatMap(leafMeasures) : [m];
}
