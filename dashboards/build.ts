// Grafana dashboards from metric catalogues: one per group of the app's catalogue, an overview, the
// host dashboard (hostmetrics catalogue) and the collector's pipeline health (otelcol catalogue).
// Pure: catalogue + options in, plain dashboard models out. This file is the small assembler; the
// panels of each dashboard family live in group.ts, pipeline.ts; layout.ts places them.
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { HOST_JOB } from "../collector/config";
import { DEFAULT_COLLECTOR_OPTIONS, memoryLimiterSettings } from "../collector/options";
import { hostmetrics, isCatalogue, otelcol } from "../definitions";
import type { Catalogue, ResolvedGroup, ResolvedMetric } from "../definitions";
import { meanings, type MetricMeaning } from "../definitions/semantics";
import { containerPort } from "../topology";
import { groupSections, redPanels, requestsOf, usePanels } from "./group";
import { assemble, plainModel, type PlacedPanel, type Section } from "./layout";
import { DATASOURCE_VARIABLE, type PanelLink } from "./panels";
import { pipelineSections } from "./pipeline";
import { JAEGER_DATASOURCE_UID, VICTORIAMETRICS_DATASOURCE_UID } from "./provisioning";
import { presenceSeries, recentStarts, type LabelScope } from "./queries";

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
   * Filter the host dashboard by host. The generated collector config gives host metrics
   * `job` = {@link hostJob} and `instance` = the host name (a resource processor); turn this off for
   * a collector that does not.
   * @default true
   */
  hostInstanceLabel: boolean;
  /**
   * The `job` of host metrics (the collector's host pipeline sets `service.name` to it).
   * @default "hostmetrics"
   */
  hostJob: string;
  /**
   * The collector's memory limit in MiB: its memory panel shows the memory_limiter's soft and hard
   * limits derived from it, as the collector config does.
   * @default 128 (the collector default, DEFAULT_COLLECTOR_OPTIONS.memoryLimitMib)
   */
  collectorMemoryLimitMib: number;
}

export const DEFAULT_DASHBOARD_OPTIONS: Readonly<DashboardOptions> = Object.freeze({
  datasourceUid: VICTORIAMETRICS_DATASOURCE_UID,
  jaegerDatasourceUid: JAEGER_DATASOURCE_UID,
  // The browser's way to Jaeger: the stack publishes its UI on the host at the container's port by
  // default (stack/settings.ts DEFAULT_PORTS).
  jaegerUiUrl: `http://localhost:${containerPort("jaeger", "query")}`,
  hostmetrics: true,
  folder: "Observability",
  otelcolJob: "otelcol",
  hostInstanceLabel: true,
  hostJob: HOST_JOB,
  collectorMemoryLimitMib: DEFAULT_COLLECTOR_OPTIONS.memoryLimitMib,
});

export interface GeneratedDashboard {
  uid: string;
  title: string;
  /** The Grafana folder it belongs in (the model itself carries no folder). */
  folder: string;
  /** The bare dashboard model, as a provisioned dashboard file holds it. */
  model: Record<string, unknown>;
  /** Its panels as placed, with what each target means (not part of the model). */
  panels: readonly PlacedPanel[];
}

/** Tag on every generated dashboard; the dashboards dropdown link lists them by it. */
export const DASHBOARD_TAG = "observability-stack";

const UID_MAX = 40;
const SAFE_UID = /^[a-zA-Z0-9_-]+$/;

/** Which labels a dashboard's series carry decides its filters and variables. */
type Source =
  | { kind: "app" } // OTLP from apps: job = service.name, instance = service.instance.id
  | { kind: "host"; job: string; instance: boolean } // host pipeline: job = hostJob, instance = host
  | { kind: "otelcol"; job: string }; // scraped by VictoriaMetrics: job = scrape job

function scopeOf(source: Source): LabelScope {
  switch (source.kind) {
    case "app":
      return { matchers: ['job=~"$job"', 'instance=~"$instance"'] };
    case "host":
      return { matchers: source.instance ? [`job="${source.job}"`, 'instance=~"$host"'] : [] };
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
    problems.push(
      `jaegerUiUrl "${o.jaegerUiUrl}": give an http(s) URL such as ${DEFAULT_DASHBOARD_OPTIONS.jaegerUiUrl}.`,
    );
  }
  if (!/^[a-zA-Z0-9_.:/-]+$/.test(o.otelcolJob)) {
    problems.push(
      `otelcolJob "${o.otelcolJob}": give the collector's scrape job name (letters, digits, "_.:/-"), e.g. "otelcol".`,
    );
  }
  if (!/^[a-zA-Z0-9_.:/-]+$/.test(o.hostJob)) {
    problems.push(
      `hostJob "${o.hostJob}": give the job of host metrics (letters, digits, "_.:/-"), e.g. "hostmetrics".`,
    );
  }
  if (!Number.isInteger(o.collectorMemoryLimitMib) || o.collectorMemoryLimitMib < 1) {
    problems.push(
      `collectorMemoryLimitMib ${String(o.collectorMemoryLimitMib)}: give the collector's memory limit in MiB.`,
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
  const q = `label_values(${match}, ${name === "host" ? "instance" : name})`;
  return (
    new QueryVariableBuilder(name)
      .label(label)
      .query(q)
      .definition(q)
      .datasource({ type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` })
      // Only instances with series in the dashboard's time range: a fresh instance id per process
      // would otherwise fill the list with dead ones.
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      // A regex that also matches series without the label, so "All" never hides data.
      .allValue(".*")
      .current({ selected: true, text: "All", value: "$__all" })
  );
}

/**
 * The one series whose labels fill a dashboard's variables: the uptime if the catalogue has one
 * (every live instance exports it), else the first requests metric of `metrics`, else the first
 * metric. One series, so a variable's query costs the same for 10 metrics as for 10,000; and the
 * pick reads only `metrics` (the uptime is found once per catalogue), so rendering G group
 * dashboards stays linear in the catalogue, not G x its size.
 */
function variableSeries(catalogue: Catalogue, metrics: readonly ResolvedMetric[]): string {
  const uptime = uptimeOf(catalogue);
  if (uptime !== undefined) return presenceSeries(uptime.metric);
  const all = meanings(catalogue);
  const pick = metrics.find((m) => all.get(m.key)?.requests !== undefined) ?? metrics[0];
  return presenceSeries(pick as ResolvedMetric);
}

function variablesFor(source: Source, series: string, o: DashboardOptions) {
  const vars: (DatasourceVariableBuilder | QueryVariableBuilder)[] = [datasourceVariable(o)];
  switch (source.kind) {
    case "app":
      vars.push(labelVariable("job", "Service", series));
      vars.push(labelVariable("instance", "Instance", `${series}{job=~"$job"}`));
      break;
    case "host":
      if (source.instance) vars.push(labelVariable("host", "Host", `${series}{job="${source.job}"}`));
      break;
    case "otelcol":
      vars.push(labelVariable("instance", "Collector", `${series}{job="${source.job}"}`));
      break;
  }
  return vars;
}

/** Grafana Explore on the Jaeger datasource, searching `service` in the dashboard's time range. */
function exploreTracesUrl(o: DashboardOptions, service: string | undefined): string {
  const pane = {
    traces: {
      datasource: o.jaegerDatasourceUid,
      queries: [
        {
          refId: "A",
          datasource: { type: "jaeger", uid: o.jaegerDatasourceUid },
          queryType: "search",
          ...(service !== undefined ? { service } : {}),
        },
      ],
      range: { from: "${__from}", to: "${__to}" },
    },
  };
  // Grafana interpolates ${__from}/${__to} in link URLs before following them: keep them literal.
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify(pane)).replace(/%24%7B(__from|__to)%7D/g, "${$1}")}`;
}

/** Jaeger's search for `service` over the dashboard's time range (Jaeger takes microseconds). */
function jaegerSearchUrl(o: DashboardOptions, service: string | undefined): string {
  const base = `${o.jaegerUiUrl.replace(/\/+$/, "")}/search`;
  const svc = service !== undefined ? `service=${encodeURIComponent(service)}&` : "";
  return `${base}?${svc}start=\${__from}000&end=\${__to}000`;
}

function dashboard(
  uid: string,
  title: string,
  description: string,
  catalogue: string,
  service: string | undefined,
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
        // The service and instance picked here stay picked on the next dashboard.
        .includeVars(true)
        .targetBlank(false),
      new DashboardLinkBuilder(
        service !== undefined ? `Traces of ${service} (Jaeger UI)` : "Traces (Jaeger UI)",
      )
        .type(DashboardLinkType.Link)
        .icon("external link")
        .url(jaegerSearchUrl(o, service))
        .targetBlank(true),
      new DashboardLinkBuilder(service !== undefined ? `Traces of ${service} (Explore)` : "Traces (Explore)")
        .type(DashboardLinkType.Link)
        .icon("external link")
        .url(exploreTracesUrl(o, service))
        .targetBlank(false),
    ]);
}

/** A restart annotation from the uptime metric: each instance's first minute. */
function restartAnnotation(uptime: MetricMeaning | undefined, scope: LabelScope): AnnotationQueryBuilder[] {
  if (uptime === undefined) return [];
  return [
    new AnnotationQueryBuilder()
      .name("Restarts")
      .datasource({ type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` })
      .enable(true)
      .iconColor("orange")
      .target(new DataqueryBuilder().expr(recentStarts(uptime, scope, 60)).refId("Anno"))
      .expr(recentStarts(uptime, scope, 60))
      .step("60s")
      .titleFormat("Start of {{instance}}")
      .textFormat("{{job}} {{instance}} (re)started"),
  ];
}

function finish(
  b: DashboardBuilder,
  sections: readonly Section[],
  uid: string,
  title: string,
  o: DashboardOptions,
): GeneratedDashboard {
  const panels = assemble(b, sections);
  const model = plainModel(b);
  // The SDK puts every link in the controls menu; without `placement` Grafana shows them in the
  // dashboard's link bar, where the Jaeger links belong.
  for (const link of model.links as Record<string, unknown>[]) delete link.placement;
  return { uid, title, folder: o.folder, model, panels };
}

// Catalogues are frozen: their uptime is looked up once, not once per group dashboard.
const uptimes = new WeakMap<Catalogue, MetricMeaning | null>();

function uptimeOf(catalogue: Catalogue): MetricMeaning | undefined {
  let hit = uptimes.get(catalogue);
  if (hit === undefined) {
    hit = null;
    for (const m of meanings(catalogue).values()) {
      if (m.uptime) {
        hit = m;
        break;
      }
    }
    uptimes.set(catalogue, hit);
  }
  return hit ?? undefined;
}

/** One group: its RED (or USE) row first, open; a collapsed detail row per metric below. */
function groupDashboard(
  catalogue: Catalogue,
  group: ResolvedGroup,
  source: Source,
  uid: string,
  title: string,
  o: DashboardOptions,
): GeneratedDashboard {
  const scope = scopeOf(source);
  const service = source.kind === "app" ? catalogue.name : undefined;
  const b = dashboard(uid, title, group.description ?? group.title, catalogue.name, service, o);
  b.variables(variablesFor(source, variableSeries(catalogue, group.metrics), o));
  b.annotations(restartAnnotation(uptimeOf(catalogue), scope));
  return finish(b, groupSections({ catalogue, scope }, group), uid, title, o);
}

/** The RED (or USE) stats of every group, each linking to its group's dashboard. */
function overviewDashboard(
  catalogue: Catalogue,
  groupUids: ReadonlyMap<string, string>,
  uid: string,
  o: DashboardOptions,
): GeneratedDashboard {
  const source: Source = { kind: "app" };
  const scope = scopeOf(source);
  const title = `${catalogue.title} / Overview`;
  const b = dashboard(
    uid,
    title,
    `Rate, errors, duration and saturation of ${catalogue.title}, per group.`,
    catalogue.name,
    catalogue.name,
    o,
  );
  b.variables(variablesFor(source, variableSeries(catalogue, catalogue.list), o));
  b.annotations(restartAnnotation(uptimeOf(catalogue), scope));
  const sections: Section[] = [];
  for (const g of catalogue.groups) {
    // Keep the variables and time range when drilling down.
    const links: PanelLink[] = [
      {
        title: `${g.title} dashboard`,
        url: `/d/${groupUids.get(g.key)}?\${__url_time_range}&\${__all_variables}`,
      },
    ];
    const ctx = { catalogue, scope, links };
    const reqs = requestsOf(catalogue, g);
    // Stats only: the overview is the at-a-glance view, the graphs are one click away.
    const panels = (reqs.length > 0 ? reqs.flatMap((r) => redPanels(ctx, r)) : usePanels(ctx, g)).filter(
      (p) => p.type === "stat",
    );
    if (panels.length > 0) sections.push({ title: g.title, panels, collapsed: false });
  }
  return finish(b, sections, uid, title, o);
}

/** The collector's own health. */
function pipelineDashboard(uid: string, o: DashboardOptions): GeneratedDashboard {
  const source: Source = { kind: "otelcol", job: o.otelcolJob };
  const scope = scopeOf(source);
  const group = otelcol.groups[0] as ResolvedGroup;
  const title = `${otelcol.title} / ${group.title}`;
  const b = dashboard(uid, title, group.description ?? group.title, otelcol.name, undefined, o);
  b.variables(variablesFor(source, variableSeries(otelcol, otelcol.list), o));
  b.annotations(restartAnnotation(uptimeOf(otelcol), scope));
  const limiter = memoryLimiterSettings(o.collectorMemoryLimitMib);
  const sections = pipelineSections({
    scope,
    memoryLimiter: { softMib: limiter.limitMib - limiter.spikeLimitMib, hardMib: limiter.limitMib },
  });
  return finish(b, sections, uid, title, o);
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
          { kind: "host", job: o.hostJob, instance: o.hostInstanceLabel },
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
