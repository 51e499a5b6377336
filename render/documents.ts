// The catalogue as documents: metrics.json for tools, METRICS.md and DASHBOARDS.md for people and
// PR review. A catalogue made with defineAlerting also lists its objectives and every generated
// rule (read from the rule generator's output, so the documents say what vmalert runs).
import {
  BURN_ALERT_NAME,
  ruleGroups,
  STACK_CATALOGUE_LABEL,
  type AlertingOptions,
  type AlertingRule,
  type RecordingRule,
} from "../alerts";
import { sloDashboardUid, type GeneratedDashboard } from "../dashboards";
import { hasAlerting, type Catalogue, type ResolvedMetric, type ResolvedObjective } from "../definitions";

/** One metric in metrics.json. */
export interface MetricDocument {
  readonly key: string;
  /** The name the app's OTel instrument has. */
  readonly otelName: string;
  /** The series base name in VictoriaMetrics. */
  readonly prometheusName: string;
  /** The concrete series (`_bucket`/`_sum`/`_count` for histograms). */
  readonly series: readonly string[];
  readonly kind: ResolvedMetric["kind"];
  readonly unit: string;
  readonly description: string;
  readonly naming: ResolvedMetric["naming"];
  readonly group: { readonly key: string; readonly title: string };
  readonly attributes: readonly {
    readonly key: string;
    readonly label: string;
    readonly description?: string;
    readonly values?: readonly string[];
    readonly maxValues?: number;
  }[];
  readonly buckets?: readonly number[];
  readonly cardinalityLimit: number;
  /** Product of the attributes' value counts: the most attribute sets (series per name) it can have. */
  readonly maxSeries: number;
}

/** One service-level objective in metrics.json. */
export interface ObjectiveDocument {
  readonly key: string;
  readonly title: string;
  readonly description?: string;
  readonly sli:
    | {
        readonly kind: "availability";
        /** The metric key counted (all events). */
        readonly metric: string;
        readonly totalSeries: string;
        /** Failure as attribute values (`label`, `values`) or a paired error counter (`series`). */
        readonly failure:
          | { readonly label: string; readonly values: readonly string[] }
          | { readonly metric: string; readonly series: string };
        readonly where: readonly { readonly label: string; readonly values: readonly string[] }[];
      }
    | {
        readonly kind: "latency";
        readonly metric: string;
        readonly bucketSeries: string;
        /** In the metric's unit; the bucket boundary `le`. */
        readonly threshold: number;
        readonly le: string;
        readonly unit: string;
        readonly where: readonly { readonly label: string; readonly values: readonly string[] }[];
      };
  /** Percent of good events promised (`99.5`). */
  readonly target: number;
  readonly window: string;
  /** Share of events allowed to be bad over the window (`0.005`). */
  readonly errorBudget: number;
  readonly runbookUrl?: string;
  /** The SLO dashboard's uid. */
  readonly dashboard: string;
  /** The `window` label values its error ratio is recorded over. */
  readonly recordedWindows: readonly string[];
}

/** One generated alerting rule in metrics.json (burn-rate, plain and built-in alike). */
export interface AlertDocument {
  /** The `alertname`. */
  readonly name: string;
  /** The rule group in vmalert/rules.yaml. */
  readonly group: string;
  readonly severity: string;
  /** The `catalogue` label: the catalogue's name, or "observability-stack" for built-in rules. */
  readonly catalogue: string;
  /** Of a burn-rate alert. */
  readonly objective?: string;
  readonly burnRate?: number;
  /** The range windows its expression reads (long then short for a burn-rate alert). */
  readonly windows: readonly string[];
  /** `0s` when it fires at the first evaluation that holds. */
  readonly for: string;
  readonly summary: string;
  readonly description?: string;
  readonly runbookUrl?: string;
  readonly expr: string;
}

/** One recording rule in metrics.json. */
export interface RecordDocument {
  readonly record: string;
  readonly group: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface AlertingDocument {
  /** The alerting.windowScale the windows below are given at (1 in real use). */
  readonly windowScale: number;
  readonly objectives: readonly ObjectiveDocument[];
  readonly alerts: readonly AlertDocument[];
  readonly records: readonly RecordDocument[];
}

export interface CatalogueDocument {
  readonly catalogue: { readonly name: string; readonly title: string; readonly seriesBudget: number };
  readonly groups: readonly { readonly key: string; readonly title: string; readonly description?: string }[];
  readonly metrics: readonly MetricDocument[];
  /** Only for a catalogue made with defineAlerting. */
  readonly alerting?: AlertingDocument;
}

/** Options of the documents: the rules' alerting options (their windowScale names the windows). */
export interface DocumentOptions {
  readonly alerting?: Partial<AlertingOptions>;
}

/** A deep copy with object keys sorted (arrays keep their order: it is the catalogue's). */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === "object") {
    const src = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(src)
        .sort()
        .filter((k) => src[k] !== undefined)
        .map((k) => [k, sortedKeys(src[k])]),
    );
  }
  return value;
}

function groupTitle(titles: ReadonlyMap<string, string>, catalogue: Catalogue, key: string): string {
  const title = titles.get(key);
  if (title === undefined) {
    throw new Error(`Catalogue "${catalogue.name}": metric group "${key}" is not declared in groups.`);
  }
  return title;
}

const matches = (list: readonly { label: string; values: readonly string[] }[]) =>
  list.map((m) => ({ label: m.label, values: [...m.values] }));

function objectiveDocument(catalogue: string, o: ResolvedObjective, windows: string[]): ObjectiveDocument {
  const sli = o.sli;
  return {
    key: o.key,
    title: o.title,
    ...(o.description !== undefined ? { description: o.description } : {}),
    sli:
      sli.kind === "availability"
        ? {
            kind: "availability",
            metric: sli.metric.key,
            totalSeries: sli.totalSeries,
            failure:
              sli.failure.kind === "values"
                ? { label: sli.failure.match.label, values: [...sli.failure.match.values] }
                : { metric: sli.failure.metric.key, series: sli.failure.series },
            where: matches(sli.where),
          }
        : {
            kind: "latency",
            metric: sli.metric.key,
            bucketSeries: sli.bucketSeries,
            threshold: sli.threshold,
            le: sli.le,
            unit: sli.metric.unit,
            where: matches(sli.where),
          },
    target: o.target,
    window: o.window,
    errorBudget: o.errorBudget,
    ...(o.runbookUrl !== undefined ? { runbookUrl: o.runbookUrl } : {}),
    dashboard: sloDashboardUid(catalogue, o.key),
    recordedWindows: windows,
  };
}

/** The ranges an expression reads (`[5m]`), in order of first use, each once. */
function ranges(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\[([0-9]+[smhdw])\]/g)].map((m) => m[1] as string))];
}

function alertDocument(group: string, r: AlertingRule): AlertDocument {
  const burn = r.alert === BURN_ALERT_NAME;
  return {
    name: r.alert,
    group,
    severity: r.labels.severity ?? "",
    catalogue: r.labels.catalogue ?? "",
    ...(burn && r.labels.objective !== undefined ? { objective: r.labels.objective } : {}),
    ...(burn ? { burnRate: Number(r.labels.burn_rate) } : {}),
    windows:
      burn && r.labels.long_window !== undefined && r.labels.short_window !== undefined
        ? [r.labels.long_window, r.labels.short_window]
        : ranges(r.expr),
    for: r.for ?? "0s",
    summary: r.annotations.summary ?? "",
    ...(r.annotations.description !== undefined ? { description: r.annotations.description } : {}),
    ...(r.annotations.runbook_url !== undefined ? { runbookUrl: r.annotations.runbook_url } : {}),
    expr: r.expr,
  };
}

/** Objectives, alerts and records of an alerting catalogue, from the rule generator's groups. */
function alertingDocument(
  catalogue: Catalogue,
  options: Partial<AlertingOptions>,
): AlertingDocument | undefined {
  if (!hasAlerting(catalogue)) return undefined;
  const groups = ruleGroups(catalogue, options);
  const alerts: AlertDocument[] = [];
  const records: RecordDocument[] = [];
  for (const g of groups) {
    for (const r of g.rules) {
      if ("record" in r)
        records.push({ record: (r as RecordingRule).record, group: g.name, labels: { ...r.labels } });
      else alerts.push(alertDocument(g.name, r));
    }
  }
  const windowsOf = (key: string) =>
    records
      .filter((r) => r.labels.objective === key && r.labels.window !== undefined)
      .map((r) => r.labels.window as string);
  return {
    windowScale: options.windowScale ?? 1,
    objectives: catalogue.alerting.objectives.map((o) =>
      objectiveDocument(catalogue.name, o, windowsOf(o.key)),
    ),
    alerts,
    records,
  };
}

/**
 * The catalogue as a plain document, metrics in declaration order; for a catalogue made with
 * defineAlerting also its objectives and generated rules (at `options.alerting`, default scale 1).
 */
export function catalogueDocument(catalogue: Catalogue, options: DocumentOptions = {}): CatalogueDocument {
  const alerting = alertingDocument(catalogue, options.alerting ?? {});
  // One lookup table, not a search of the groups per metric (groups x metrics; issue 12 item 11).
  const titles = new Map(catalogue.groups.map((g) => [g.key, g.title]));
  return {
    catalogue: { name: catalogue.name, title: catalogue.title, seriesBudget: catalogue.seriesBudget },
    groups: catalogue.groups.map((g) => ({
      key: g.key,
      title: g.title,
      ...(g.description !== undefined ? { description: g.description } : {}),
    })),
    metrics: catalogue.list.map((m) => ({
      key: m.key,
      otelName: m.name,
      prometheusName: m.prometheusName,
      series: [...m.seriesNames],
      kind: m.kind,
      unit: m.unit,
      description: m.description,
      naming: m.naming,
      group: { key: m.group, title: groupTitle(titles, catalogue, m.group) },
      attributes: m.attributes.map((a) => ({
        key: a.key,
        label: a.label,
        ...(a.description !== undefined ? { description: a.description } : {}),
        ...(a.values !== undefined ? { values: [...a.values] } : { maxValues: a.cardinality }),
      })),
      ...(m.buckets !== undefined ? { buckets: [...m.buckets] } : {}),
      cardinalityLimit: m.cardinalityLimit,
      maxSeries: m.maxSeries,
    })),
    ...(alerting !== undefined ? { alerting } : {}),
  };
}

/** metrics.json: {@link catalogueDocument} with sorted keys, 2-space indent, trailing newline. */
export function metricsJson(catalogue: Catalogue, options: DocumentOptions = {}): string {
  return `${JSON.stringify(sortedKeys(catalogueDocument(catalogue, options)), null, 2)}\n`;
}

/** Text for a Markdown table cell: no line breaks, `|` escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

function code(text: string): string {
  return `\`${text}\``;
}

function attributeCell(m: MetricDocument): string {
  if (m.attributes.length === 0) return "—";
  return m.attributes
    .map((a) => {
      const label = a.label === a.key ? code(a.label) : `${code(a.label)} (${code(a.key)})`;
      const values = a.values !== undefined ? a.values.map(code).join(", ") : `up to ${a.maxValues} values`;
      return `${label}: ${values}`;
    })
    .join("<br>");
}

function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}

function sliCell(o: ObjectiveDocument): string {
  const sli = o.sli;
  const where = sli.where.map((w) => `${code(w.label)} ∈ ${w.values.map(code).join(", ")}`);
  const scope = where.length > 0 ? `; only ${where.join(", ")}` : "";
  if (sli.kind === "latency")
    return `latency: share of ${code(sli.metric)} at or under ${sli.threshold} ${code(sli.unit)} (${code(`le="${sli.le}"`)})${scope}`;
  const failure =
    "series" in sli.failure
      ? `failures counted by ${code(sli.failure.metric)}`
      : `failure ${code(sli.failure.label)} ∈ ${sli.failure.values.map(code).join(", ")}`;
  return `availability: ${code(sli.metric)} not failed (${failure})${scope}`;
}

/** The "Objectives" and "Alerts" sections of METRICS.md. */
function alertingMarkdown(a: AlertingDocument): string[] {
  const lines: string[] = ["", "## Objectives", ""];
  if (a.windowScale !== 1)
    lines.push(`Windows scaled by alerting.windowScale = ${a.windowScale} (tests only).`, "");
  if (a.objectives.length === 0) lines.push("None.");
  else {
    lines.push(
      "| Objective | SLI | Target | Window | Error budget | Dashboard | Description |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const o of a.objectives) {
      lines.push(
        "| " +
          [
            `${o.title} (${code(o.key)})`,
            sliCell(o),
            `${o.target}%`,
            o.window,
            percent(o.errorBudget),
            code(o.dashboard),
            o.description ?? "—",
          ]
            .map(cell)
            .join(" | ") +
          " |",
      );
    }
    const recorded = [...new Set(a.records.map((r) => r.record))];
    lines.push(
      "",
      `Recorded (vmalert/rules.yaml): ${recorded.map(code).join(", ")}; the window is the ${code("window")} label ` +
        `(${[...new Set(a.objectives.flatMap((o) => o.recordedWindows))].map(code).join(", ")}).`,
    );
  }
  lines.push(
    "",
    "## Alerts",
    "",
    "| Alert | Severity | Objective | Windows | For | Summary | Runbook |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const r of a.alerts) {
    const name = r.catalogue === STACK_CATALOGUE_LABEL ? `${code(r.name)} (built-in)` : code(r.name);
    const objective = r.objective !== undefined ? `${code(r.objective)}, burn rate ${r.burnRate}×` : "—";
    lines.push(
      "| " +
        [
          name,
          r.severity,
          objective,
          r.windows.length > 0 ? r.windows.join(" and ") : "—",
          r.for,
          r.summary,
          r.runbookUrl ?? "—",
        ]
          .map(cell)
          .join(" | ") +
        " |",
    );
  }
  return lines;
}

/** METRICS.md: one table per group, in the catalogue's order; then objectives and alerts, if any. */
export function metricsMarkdown(catalogue: Catalogue, options: DocumentOptions = {}): string {
  const doc = catalogueDocument(catalogue, options);
  const totalSeries = doc.metrics.reduce((sum, m) => sum + m.maxSeries, 0);
  const lines: string[] = [
    `# ${cell(doc.catalogue.title)} metrics`,
    "",
    "<!-- Generated by observability-stack from the metric catalogue. Do not edit: run `npm run render`. -->",
    "",
    `Catalogue ${code(doc.catalogue.name)}: ${doc.metrics.length} metric${doc.metrics.length === 1 ? "" : "s"} ` +
      `in ${doc.groups.length} group${doc.groups.length === 1 ? "" : "s"}; at most ${totalSeries} attribute sets ` +
      `(series budget ${doc.catalogue.seriesBudget}).`,
    "",
    "Series names are what the collector's remote write exporter writes to VictoriaMetrics " +
      "(translation strategy UnderscoreEscapingWithSuffixes).",
  ];
  const byGroup = new Map<string, MetricDocument[]>();
  for (const m of doc.metrics) {
    const list = byGroup.get(m.group.key);
    if (list === undefined) byGroup.set(m.group.key, [m]);
    else list.push(m);
  }
  for (const group of doc.groups) {
    const metrics = byGroup.get(group.key) ?? [];
    lines.push("", `## ${cell(group.title)}`, "");
    if (group.description !== undefined) lines.push(cell(group.description), "");
    lines.push(
      "| OTel name | Series | Kind | Unit | Labels | Buckets | Description |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const m of metrics) {
      lines.push(
        "| " +
          [
            code(m.otelName),
            m.series.map(code).join("<br>"),
            m.kind,
            code(m.unit),
            attributeCell(m),
            m.buckets !== undefined ? m.buckets.join(", ") : "—",
            m.description,
          ]
            .map(cell)
            .join(" | ") +
          " |",
      );
    }
  }
  if (doc.alerting !== undefined) lines.push(...alertingMarkdown(doc.alerting));
  return `${lines.join("\n")}\n`;
}

interface ModelPanel {
  type?: string;
  title?: string;
  gridPos?: { w?: number };
  collapsed?: boolean;
  fieldConfig?: { defaults?: { unit?: string } };
  options?: { yAxis?: { unit?: string } };
  targets?: { expr?: string }[];
  panels?: ModelPanel[];
}

/**
 * DASHBOARDS.md: one section per dashboard, its rows (open or collapsed) and their panels with
 * type, width, unit and queries, read back from the dashboard models Grafana gets.
 */
export function dashboardsMarkdown(
  dashboards: readonly Pick<GeneratedDashboard, "uid" | "title" | "model">[],
): string {
  const lines: string[] = [
    "# Dashboards",
    "",
    "<!-- Generated by observability-stack from the metric catalogue. Do not edit: run `npm run render`. -->",
    "",
    `${dashboards.length} dashboard${dashboards.length === 1 ? "" : "s"}. Width is in Grafana's 24 grid columns; ` +
      "collapsed rows open on a click.",
  ];
  for (const d of dashboards) {
    lines.push("", `## ${cell(d.title)}`, "", `uid ${code(d.uid)}`);
    const rows: { title: string; collapsed: boolean; panels: ModelPanel[] }[] = [];
    for (const p of (d.model.panels ?? []) as ModelPanel[]) {
      if (p.type === "row")
        rows.push({ title: p.title ?? "", collapsed: p.collapsed === true, panels: [...(p.panels ?? [])] });
      else if (rows.length === 0) rows.push({ title: "", collapsed: false, panels: [p] });
      else (rows[rows.length - 1] as { panels: ModelPanel[] }).panels.push(p);
    }
    for (const r of rows) {
      lines.push("", `### ${cell(r.title)}${r.collapsed ? " (collapsed)" : ""}`, "");
      lines.push("| Panel | Type | Width | Unit | Queries |", "| --- | --- | --- | --- | --- |");
      for (const p of r.panels) {
        const unit = p.type === "heatmap" ? p.options?.yAxis?.unit : p.fieldConfig?.defaults?.unit;
        lines.push(
          "| " +
            [
              p.title ?? "",
              p.type ?? "",
              String(p.gridPos?.w ?? ""),
              unit !== undefined ? code(unit) : "—",
              (p.targets ?? []).map((t) => code(t.expr ?? "")).join("<br>"),
            ]
              .map(cell)
              .join(" | ") +
            " |",
        );
      }
    }
  }
  return `${lines.join("\n")}\n`;
}
