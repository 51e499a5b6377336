// Grafana dashboards from metric catalogues: one per group of the app's catalogue, an overview, the
// host dashboard (hostmetrics catalogue) and the collector's pipeline health (otelcol catalogue).
// Pure: catalogue + options in, plain dashboard models out.
import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from "@grafana/grafana-foundation-sdk/dashboard";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { hostmetrics, isCatalogue, otelcol } from "../definitions";
import type { Catalogue, ResolvedGroup, ResolvedMetric } from "../definitions";
import {
  DATASOURCE_VARIABLE,
  describeMetric,
  headlineStat,
  metricPanels,
  type PanelBuilder,
  PanelIds,
  row,
  stat,
  timeseries,
} from "./panels";
import {
  attributeLabels,
  counterRate,
  currentValue,
  legendFor,
  presenceSeries,
  type LabelScope,
} from "./queries";
import { canonicalJson } from "./serialize";
import { rateUnit, valueUnit } from "./units";

export interface DashboardOptions {
  /** Uid of the VictoriaMetrics datasource: the default of each dashboard's datasource variable. */
  datasourceUid: string;
  /** Uid of the Jaeger datasource, for the "Explore traces" link. */
  jaegerDatasourceUid: string;
  /** Jaeger's own UI, as the browser reaches it. */
  jaegerUiUrl: string;
  /** Include the host dashboard (hostmetrics catalogue). */
  hostmetrics: boolean;
  /** Grafana folder the dashboards go in. */
  folder: string;
  /** The `job` label VictoriaMetrics gives the collector's own metrics (its scrape job name). */
  otelcolJob: string;
  /**
   * Filter the host dashboard by `instance`. Host metrics only have that label when the collector
   * sets `service.instance.id` on them (resource processor); off by default.
   */
  hostInstanceLabel: boolean;
}

export const DEFAULT_DASHBOARD_OPTIONS: Readonly<DashboardOptions> = Object.freeze({
  datasourceUid: "victoriametrics",
  jaegerDatasourceUid: "jaeger",
  jaegerUiUrl: "http://localhost:16686",
  hostmetrics: true,
  folder: "Observability",
  otelcolJob: "otelcol",
  hostInstanceLabel: false,
});

export interface GeneratedDashboard {
  uid: string;
  title: string;
  /** The Grafana folder it belongs in (the model itself carries no folder). */
  folder: string;
  /** The bare dashboard model, as a provisioned dashboard file holds it. */
  model: Record<string, unknown>;
}

/** Tag on every generated dashboard; the dashboards dropdown link lists them by it. */
export const DASHBOARD_TAG = "observability-stack";

const UID_MAX = 40;
const SAFE_UID = /^[a-zA-Z0-9_-]+$/;

/** Which labels a dashboard's series carry decides its filters and variables. */
type Source =
  | { kind: "app" } // OTLP from apps: job = service.name, instance = service.instance.id
  | { kind: "host"; instance: boolean } // hostmetrics through the collector: no job
  | { kind: "otelcol"; job: string }; // scraped by VictoriaMetrics: job = scrape job

function scopeOf(source: Source): LabelScope {
  switch (source.kind) {
    case "app":
      return { matchers: ['job=~"$job"', 'instance=~"$instance"'] };
    case "host":
      return { matchers: source.instance ? ['instance=~"$instance"'] : [] };
    case "otelcol":
      return { matchers: [`job="${source.job}"`, 'instance=~"$instance"'] };
  }
}

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** `<catalogue>-<part>`, made uid-safe; over 40 characters it is cut and a hash keeps it unique. */
export function dashboardUid(catalogue: string, part: string): string {
  const raw = `${catalogue}-${part}`;
  const safe = raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/-+$/, "");
  if (safe.length <= UID_MAX) return safe;
  return `${safe.slice(0, UID_MAX - 9).replace(/-+$/, "")}-${fnv1a(raw)}`;
}

function checkOptions(o: DashboardOptions): void {
  const problems: string[] = [];
  if (!SAFE_UID.test(o.datasourceUid)) {
    problems.push(`datasourceUid "${o.datasourceUid}": use letters, digits, "-" and "_" (a Grafana uid).`);
  }
  if (!SAFE_UID.test(o.jaegerDatasourceUid)) {
    problems.push(
      `jaegerDatasourceUid "${o.jaegerDatasourceUid}": use letters, digits, "-" and "_" (a Grafana uid).`,
    );
  }
  if (!/^https?:\/\/[^\s"]+$/.test(o.jaegerUiUrl)) {
    problems.push(`jaegerUiUrl "${o.jaegerUiUrl}": give an http(s) URL such as http://localhost:16686.`);
  }
  if (!/^[a-zA-Z0-9_.:/-]+$/.test(o.otelcolJob)) {
    problems.push(
      `otelcolJob "${o.otelcolJob}": give the collector's scrape job name (letters, digits, "_.:/-"), e.g. "otelcol".`,
    );
  }
  if (o.folder.trim() === "") problems.push(`folder: give a Grafana folder title, e.g. "Observability".`);
  if (problems.length > 0) {
    throw new Error(`Invalid dashboard options:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

function datasourceVariable(o: DashboardOptions): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label("Data source")
    .type("prometheus")
    .current({ selected: true, text: o.datasourceUid, value: o.datasourceUid });
}

function labelVariable(name: string, label: string, match: string): QueryVariableBuilder {
  const q = `label_values(${match}, ${name})`;
  return (
    new QueryVariableBuilder(name)
      .label(label)
      .query(q)
      .definition(q)
      .datasource({ type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` })
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      // A regex that also matches series without the label, so "All" never hides data.
      .allValue(".*")
      .current({ selected: true, text: "All", value: "$__all" })
  );
}

/** `{__name__=~"a|b"}`: the series of these metrics (names need no escaping: [a-zA-Z0-9_:]). */
function nameMatch(metrics: readonly ResolvedMetric[], extra: readonly string[] = []): string {
  return `{${[`__name__=~"${metrics.map(presenceSeries).join("|")}"`, ...extra].join(",")}}`;
}

function variablesFor(source: Source, metrics: readonly ResolvedMetric[], o: DashboardOptions) {
  const vars: (DatasourceVariableBuilder | QueryVariableBuilder)[] = [datasourceVariable(o)];
  switch (source.kind) {
    case "app":
      vars.push(labelVariable("job", "Service", nameMatch(metrics)));
      vars.push(labelVariable("instance", "Instance", nameMatch(metrics, ['job=~"$job"'])));
      break;
    case "host":
      if (source.instance) vars.push(labelVariable("instance", "Host", nameMatch(metrics)));
      break;
    case "otelcol":
      vars.push(labelVariable("instance", "Collector", nameMatch(metrics, [`job="${source.job}"`])));
      break;
  }
  return vars;
}

function exploreTracesUrl(o: DashboardOptions): string {
  const pane = {
    traces: {
      datasource: o.jaegerDatasourceUid,
      queries: [
        { refId: "A", datasource: { type: "jaeger", uid: o.jaegerDatasourceUid }, queryType: "search" },
      ],
      range: { from: "now-1h", to: "now" },
    },
  };
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify(pane))}`;
}

function dashboard(
  uid: string,
  title: string,
  description: string,
  catalogue: string,
  o: DashboardOptions,
): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags([DASHBOARD_TAG, catalogue])
    .editable()
    .refresh("30s")
    .time({ from: "now-1h", to: "now" })
    .timezone("browser")
    .tooltip(DashboardCursorSync.Crosshair)
    .links([
      new DashboardLinkBuilder("Dashboards")
        .type(DashboardLinkType.Dashboards)
        .tags([DASHBOARD_TAG])
        .asDropdown(true)
        .keepTime(true)
        .includeVars(false)
        .targetBlank(false),
      new DashboardLinkBuilder("Traces (Jaeger UI)")
        .type(DashboardLinkType.Link)
        .icon("external link")
        .url(`${o.jaegerUiUrl.replace(/\/+$/, "")}/search`)
        .targetBlank(true),
      new DashboardLinkBuilder("Traces (Explore)")
        .type(DashboardLinkType.Link)
        .icon("external link")
        .url(exploreTracesUrl(o))
        .targetBlank(false),
    ]);
}

function finish(b: DashboardBuilder, uid: string, title: string, o: DashboardOptions): GeneratedDashboard {
  // Through JSON: drops the SDK's marker functions and undefined fields, leaving plain data.
  const model = canonicalJson(JSON.parse(JSON.stringify(b.build()))) as Record<string, unknown>;
  // The SDK puts every link in the controls menu; without `placement` Grafana shows them in the
  // dashboard's link bar, where the Jaeger links belong.
  for (const link of model.links as Record<string, unknown>[]) delete link.placement;
  return { uid, title, folder: o.folder, model };
}

function addPanels(b: DashboardBuilder, panels: readonly PanelBuilder[]): void {
  for (const p of panels) b.withPanel(p);
}

/** One group: current values first, then a row per metric with its time series. */
function groupDashboard(
  catalogue: Catalogue,
  group: ResolvedGroup,
  source: Source,
  uid: string,
  title: string,
  o: DashboardOptions,
): GeneratedDashboard {
  const ids = new PanelIds();
  const scope = scopeOf(source);
  const b = dashboard(uid, title, group.description ?? group.title, catalogue.name, o);
  // The whole catalogue's series feed the variables, so every group lists the same services.
  b.variables(variablesFor(source, catalogue.list, o));
  const now = group.metrics.filter((m) => m.kind === "gauge" || m.kind === "upDownCounter");
  if (now.length > 0) {
    b.withRow(row(ids, "Now"));
    addPanels(
      b,
      now.map((m) => headlineStat(ids, m, scope)),
    );
  }
  for (const m of group.metrics) {
    b.withRow(row(ids, `${m.name} — ${m.description}`));
    addPanels(b, metricPanels(ids, m, scope));
  }
  return finish(b, uid, title, o);
}

const HEADLINES_PER_GROUP = 4;

/** Headline stats per group, each linking to its group's dashboard. */
function overviewDashboard(
  catalogue: Catalogue,
  groupUids: ReadonlyMap<string, string>,
  uid: string,
  o: DashboardOptions,
): GeneratedDashboard {
  const ids = new PanelIds();
  const source: Source = { kind: "app" };
  const scope = scopeOf(source);
  const title = `${catalogue.title} / Overview`;
  const b = dashboard(uid, title, `Headline figures of ${catalogue.title}, per group.`, catalogue.name, o);
  b.variables(variablesFor(source, catalogue.list, o));
  for (const g of catalogue.groups) {
    b.withRow(row(ids, g.title));
    // Keep the variables and time range when drilling down.
    const link = {
      title: `${g.title} dashboard`,
      url: `/d/${groupUids.get(g.key)}?\${__url_time_range}&\${__all_variables}`,
    };
    addPanels(
      b,
      g.metrics.slice(0, HEADLINES_PER_GROUP).map((m) => headlineStat(ids, m, scope, [link])),
    );
  }
  return finish(b, uid, title, o);
}

/** Accepted/refused, sent/failed, queue fill and processor in/out of the collector itself. */
function pipelineDashboard(uid: string, o: DashboardOptions): GeneratedDashboard {
  const ids = new PanelIds();
  const source: Source = { kind: "otelcol", job: o.otelcolJob };
  const scope = scopeOf(source);
  const group = otelcol.groups[0] as ResolvedGroup;
  const title = `${otelcol.title} / ${group.title}`;
  const m = otelcol.byKey;
  const used = new Set<ResolvedMetric>();
  const rate = (metric: ResolvedMetric, word: string) => {
    used.add(metric);
    const labels = attributeLabels(metric);
    return { expr: counterRate(metric, scope, labels), legend: `${word} ${legendFor(labels, "")}`.trim() };
  };
  const value = (metric: ResolvedMetric, word: string, labels = attributeLabels(metric)) => {
    used.add(metric);
    return { expr: currentValue(metric, scope, labels), legend: `${word} ${legendFor(labels, "")}`.trim() };
  };
  const pairPanel = (title: string, a: ResolvedMetric, aWord: string, z: ResolvedMetric, zWord: string) =>
    timeseries(ids, {
      title,
      description: `${describeMetric(a)}\n${describeMetric(z)}`,
      unit: rateUnit(a.unit),
      targets: [rate(a, aWord), rate(z, zWord)],
      min0: true,
    });
  const b = dashboard(uid, title, group.description ?? group.title, otelcol.name, o);
  b.variables(variablesFor(source, otelcol.list, o));

  b.withRow(row(ids, "Throughput"));
  for (const metric of [
    m.receiverAcceptedMetricPoints,
    m.receiverAcceptedSpans,
    m.exporterSendFailedMetricPoints,
    m.exporterSendFailedSpans,
  ]) {
    used.add(metric);
    b.withPanel(headlineStat(ids, metric, scope));
  }
  b.withRow(row(ids, "Receivers"));
  b.withPanel(
    pairPanel(
      "Metric points received",
      m.receiverAcceptedMetricPoints,
      "accepted",
      m.receiverRefusedMetricPoints,
      "refused",
    ),
  );
  b.withPanel(
    pairPanel("Spans received", m.receiverAcceptedSpans, "accepted", m.receiverRefusedSpans, "refused"),
  );
  b.withRow(row(ids, "Exporters"));
  b.withPanel(
    pairPanel(
      "Metric points exported",
      m.exporterSentMetricPoints,
      "sent",
      m.exporterSendFailedMetricPoints,
      "failed",
    ),
  );
  b.withPanel(pairPanel("Spans exported", m.exporterSentSpans, "sent", m.exporterSendFailedSpans, "failed"));
  b.withRow(row(ids, "Export queues"));
  const queueLabels = attributeLabels(m.exporterQueueSize);
  b.withPanel(
    timeseries(ids, {
      title: "Queue size vs capacity",
      description: `${describeMetric(m.exporterQueueSize)}\n${describeMetric(m.exporterQueueCapacity)}`,
      unit: valueUnit(m.exporterQueueSize.unit, m.exporterQueueSize.kind),
      targets: [value(m.exporterQueueSize, "size"), value(m.exporterQueueCapacity, "capacity")],
      min0: true,
    }),
  );
  b.withPanel(
    stat(ids, {
      title: "Fullest queue",
      description: "The largest size/capacity ratio of any export queue: at 100% the exporter drops data.",
      unit: units.PercentUnit,
      targets: [
        {
          expr: `max(${currentValue(m.exporterQueueSize, scope, queueLabels)} / ${currentValue(m.exporterQueueCapacity, scope, queueLabels)})`,
          legend: "fill",
        },
      ],
    }),
  );
  b.withRow(row(ids, "Processors"));
  b.withPanel(
    pairPanel("Processor items in / out", m.processorIncomingItems, "in", m.processorOutgoingItems, "out"),
  );
  // Metrics added to the otelcol catalogue later still get panels.
  const rest = otelcol.list.filter((x) => !used.has(x));
  if (rest.length > 0) {
    b.withRow(row(ids, "Other"));
    for (const x of rest) addPanels(b, metricPanels(ids, x, scope));
  }
  return finish(b, uid, title, o);
}

/**
 * The dashboards for `catalogue`, in a stable order: its overview, one per group (in declaration
 * order), then the host dashboard (when `options.hostmetrics`) and the collector's pipeline health.
 */
export function buildDashboards(
  catalogue: Catalogue,
  options: Partial<DashboardOptions> = {},
): GeneratedDashboard[] {
  if (!isCatalogue(catalogue)) {
    throw new Error(
      "buildDashboards: the first argument is not a catalogue. Fix: pass the result of defineMetrics(…).",
    );
  }
  const o: DashboardOptions = { ...DEFAULT_DASHBOARD_OPTIONS, ...options };
  checkOptions(o);
  const groupUids = new Map(catalogue.groups.map((g) => [g.key, dashboardUid(catalogue.name, g.key)]));
  const out: GeneratedDashboard[] = [
    overviewDashboard(catalogue, groupUids, dashboardUid(catalogue.name, "overview"), o),
    ...catalogue.groups.map((g) =>
      groupDashboard(
        catalogue,
        g,
        { kind: "app" },
        groupUids.get(g.key) as string,
        `${catalogue.title} / ${g.title}`,
        o,
      ),
    ),
  ];
  if (o.hostmetrics) {
    for (const g of hostmetrics.groups) {
      const title = g.title === hostmetrics.title ? g.title : `${hostmetrics.title} / ${g.title}`;
      out.push(
        groupDashboard(
          hostmetrics,
          g,
          { kind: "host", instance: o.hostInstanceLabel },
          dashboardUid(hostmetrics.name, g.key),
          title,
          o,
        ),
      );
    }
  }
  out.push(pipelineDashboard(dashboardUid(otelcol.name, "pipeline"), o));
  const seen = new Map<string, string>();
  for (const d of out) {
    const other = seen.get(d.uid);
    if (other !== undefined) {
      throw new Error(
        `buildDashboards: dashboards "${other}" and "${d.title}" would share the uid "${d.uid}". ` +
          `Fix: rename the group (or catalogue "${catalogue.name}"; "overview" is taken by the overview, ` +
          `"hostmetrics" and "otelcol" by the built-in catalogues).`,
      );
    }
    seen.set(d.uid, d.title);
  }
  return out;
}
