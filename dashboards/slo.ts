// One SLO dashboard per objective of a catalogue made with defineAlerting: the SLI now (per
// window), the error budget left over the objective's window, the burn rate over each alert's two
// windows against its threshold, and the burn-rate alerts that fired. Every query reads the records
// the rule generator writes (alerts/rules.ts), by the names alerts/ exports, with the window as a
// label value: the dashboard must be built with the rules' windowScale, so its labels match.
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
import {
  ALERTS_SERIES,
  BUDGET_REMAINING_RECORD,
  BURN_ALERT_NAME,
  BURN_RATE_ALERTS,
  checkWindowScale,
  matcher,
  num,
  OBJECTIVE_RECORD,
  SLI_ERROR_RECORD,
  sliWindow,
  sliWindows,
} from "../alerts";
import { hasAlerting, isCatalogue, type AlertingCatalogue, type ResolvedObjective } from "../definitions";
import { DASHBOARD_TAG, dashboardUid, DEFAULT_DASHBOARD_OPTIONS, type GeneratedDashboard } from "./build";
import { assemble, plainModel, type Section } from "./layout";
import { DATASOURCE_VARIABLE, type PanelSpec } from "./panels";

export interface SloDashboardOptions {
  /** Uid of the VictoriaMetrics datasource (the datasource variable's default). @default "victoriametrics" */
  readonly datasourceUid: string;
  /** Grafana folder. @default "Observability" */
  readonly folder: string;
  /**
   * The rules' `alerting.windowScale`: the `window` label values the records carry. Must be the
   * value the rules were rendered with, else the queries select windows that do not exist.
   * @default 1
   */
  readonly windowScale: number;
}

export const DEFAULT_SLO_DASHBOARD_OPTIONS: Readonly<SloDashboardOptions> = Object.freeze({
  datasourceUid: DEFAULT_DASHBOARD_OPTIONS.datasourceUid,
  folder: DEFAULT_DASHBOARD_OPTIONS.folder,
  windowScale: 1,
});

/** Burn rate is a multiple of the budgeted error ratio: a plain number shown with "×". */
export const BURN_RATE_UNIT = "suffix:×";

/** `<catalogue>-slo-<objective>` (cut and hashed like every dashboard uid when long). */
export function sloDashboardUid(catalogue: string, objective: string): string {
  return dashboardUid(catalogue, `slo-${objective}`);
}

const DATASOURCE = { type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` };

function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}

/** PromQL for one objective's records, for the `$job` picked. */
class Queries {
  private readonly ids: string;

  constructor(
    catalogue: string,
    private readonly o: ResolvedObjective,
  ) {
    this.ids = `${matcher("catalogue", [catalogue])},${matcher("objective", [o.key])}`;
  }

  /** The job variable's source: every job that has this objective's SLI recorded. */
  jobs(): string {
    return `${SLI_ERROR_RECORD}{${this.ids}}`;
  }

  /** Error ratio over `window` (a label value), or over every window. */
  errorRatio(window?: string): string {
    const w = window === undefined ? "" : `,window="${window}"`;
    return `${SLI_ERROR_RECORD}{${this.ids},job=~"$job"${w}}`;
  }

  /** The SLI: the good share, per job and window (a ratio per series: never summed). */
  sli(window?: string): string {
    return `1 - ${this.errorRatio(window)}`;
  }

  /** How many times faster than the objective allows the budget is spent. */
  burnRate(window?: string): string {
    return `${this.errorRatio(window)} / ${num(this.o.errorBudget)}`;
  }

  budgetRemaining(): string {
    return `${BUDGET_REMAINING_RECORD}{${this.ids},job=~"$job"}`;
  }

  target(): string {
    return `${OBJECTIVE_RECORD}{${this.ids}}`;
  }

  firing(): string {
    return `${ALERTS_SERIES}{alertname="${BURN_ALERT_NAME}",alertstate="firing",${this.ids},job=~"$job"}`;
  }
}

function objectiveSections(catalogue: string, o: ResolvedObjective, scale: number): Section[] {
  const q = new Queries(catalogue, o);
  const target = o.target / 100;
  const own = sliWindow(o, o.windowSeconds, scale);
  const windows = sliWindows(o, scale);
  // Red under the target: the SLI is the good share, so low is bad.
  const sliThresholds = { below: true, critical: target } as const;
  // Red when overspent; amber with under a quarter of the budget left.
  const budgetThresholds = { below: true, critical: 0, warning: 0.25 } as const;
  const scaleNote =
    scale === 1 ? "" : ` Windows scaled by alerting.windowScale ${scale} (${o.window} is ${own.label} here).`;

  const now: PanelSpec[] = [
    {
      type: "stat",
      title: `SLI over ${o.window}`,
      description: `${o.description ?? o.title} Good share over the objective's window; red under the target ${o.target}%.${scaleNote}`,
      unit: units.PercentUnit,
      targets: [{ expr: q.sli(own.label), legend: "{{job}}" }],
      thresholds: sliThresholds,
    },
    {
      type: "stat",
      title: `Error budget left (${o.window})`,
      description: `Share of the ${o.window} error budget (${percent(o.errorBudget)} of events) not yet spent: 100% untouched, 0 spent, below 0 the objective is missed.`,
      unit: units.PercentUnit,
      targets: [{ expr: q.budgetRemaining(), legend: "{{job}}" }],
      thresholds: budgetThresholds,
    },
    {
      type: "stat",
      title: "Target",
      description: `The objective: ${o.target}% good over ${o.window}.`,
      unit: units.PercentUnit,
      targets: [{ expr: q.target(), legend: "target" }],
      thresholds: "neutral",
    },
    {
      type: "stat",
      title: "SLI per window",
      description: `Good share over each recorded window, shortest first; red under the target ${o.target}%.`,
      unit: units.PercentUnit,
      // One query per window, so the stats read shortest to longest.
      targets: windows.map((w) => ({ expr: q.sli(w.label), legend: w.label })),
      thresholds: sliThresholds,
      weight: 3,
    },
  ];

  const burn: PanelSpec[] = BURN_RATE_ALERTS.map((b) => {
    const long = sliWindow(o, b.longWindowSeconds, scale);
    const short = sliWindow(o, b.shortWindowSeconds, scale);
    return {
      type: "timeseries",
      title: `Burn rate: ${b.severity} at ${b.burnRate}× (${long.label} and ${short.label})`,
      description:
        `Error ratio over the budget (${percent(o.errorBudget)}). ${BURN_ALERT_NAME} (${b.severity}) fires ` +
        `while both the ${long.label} and the ${short.label} lines are above ${b.burnRate}×.`,
      unit: BURN_RATE_UNIT,
      targets: [long, short].map((w) => ({ expr: q.burnRate(w.label), legend: `{{job}} ${w.label}` })),
      thresholds: b.severity === "page" ? { critical: b.burnRate } : { warning: b.burnRate },
      thresholdLines: true,
      min: 0,
    };
  });

  const history: PanelSpec[] = [
    {
      type: "timeseries",
      title: "SLI per window",
      description: `Good share over each recorded window; the line is the target ${o.target}%.`,
      unit: units.PercentUnit,
      targets: [{ expr: q.sli(), legend: "{{job}} {{window}}" }],
      thresholds: sliThresholds,
      thresholdLines: true,
      max: 1,
    },
    {
      type: "timeseries",
      title: `Error budget left (${o.window})`,
      description: `Share of the ${o.window} error budget not yet spent, over time.`,
      unit: units.PercentUnit,
      targets: [{ expr: q.budgetRemaining(), legend: "{{job}}" }],
      thresholds: budgetThresholds,
      thresholdLines: true,
    },
    {
      type: "timeseries",
      title: "Firing burn-rate alerts",
      description: `${BURN_ALERT_NAME} alerts of this objective while firing (vmalert's ${ALERTS_SERIES} series, 1 = firing).`,
      unit: units.NoUnit,
      targets: [
        {
          expr: q.firing(),
          legend: "{{job}} {{severity}} {{burn_rate}}× over {{long_window}} and {{short_window}}",
        },
      ],
      min: 0,
    },
  ];

  return [
    { title: "Now", panels: now, collapsed: false },
    { title: "Burn rate", panels: burn, collapsed: false },
    { title: "Over time", panels: history, collapsed: false },
  ];
}

function jobVariable(q: Queries): QueryVariableBuilder {
  const query = `label_values(${q.jobs()}, job)`;
  // One service at a time: an SLO is per service, and its ratios are never added up.
  return new QueryVariableBuilder("job")
    .label("Service")
    .query(query)
    .definition(query)
    .datasource(DATASOURCE)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(false)
    .includeAll(false);
}

function objectiveDashboard(
  catalogue: AlertingCatalogue,
  o: ResolvedObjective,
  opts: SloDashboardOptions,
): GeneratedDashboard {
  const uid = sloDashboardUid(catalogue.name, o.key);
  const title = `${catalogue.title} / SLO: ${o.title}`;
  const b = new DashboardBuilder(title)
    .uid(uid)
    .description(`${o.description ?? o.title} Objective ${o.target}% over ${o.window}.`)
    .tags([DASHBOARD_TAG, catalogue.name, "slo"])
    .editable()
    .refresh("30s")
    .time({ from: "now-6h", to: "now" })
    .timezone("browser")
    .tooltip(DashboardCursorSync.Crosshair)
    .links([
      new DashboardLinkBuilder("Dashboards")
        .type(DashboardLinkType.Dashboards)
        .tags([DASHBOARD_TAG])
        .asDropdown(true)
        .keepTime(true)
        .includeVars(true)
        .targetBlank(false),
    ])
    .variables([
      new DatasourceVariableBuilder(DATASOURCE_VARIABLE)
        .label("Data source")
        .type("prometheus")
        .current({ selected: true, text: opts.datasourceUid, value: opts.datasourceUid }),
      jobVariable(new Queries(catalogue.name, o)),
    ]);
  const panels = assemble(b, objectiveSections(catalogue.name, o, opts.windowScale));
  const model = plainModel(b);
  // As on the other dashboards: links in the link bar, not the controls menu.
  for (const link of model.links as Record<string, unknown>[]) delete link.placement;
  return { uid, title, folder: opts.folder, model, panels };
}

/**
 * The SLO dashboards of a catalogue made with defineAlerting, one per objective in declaration
 * order (none without objectives). Pass the rules' `windowScale` (render's `alerting.windowScale`).
 * @throws for a value that is not an alerting catalogue, or a bad option (naming it).
 */
export function sloDashboards(
  catalogue: AlertingCatalogue,
  options: Partial<SloDashboardOptions> = {},
): GeneratedDashboard[] {
  if (!isCatalogue(catalogue) || !hasAlerting(catalogue)) {
    throw new TypeError(
      "sloDashboards: the first argument is not a catalogue with objectives. Fix: pass the result of defineAlerting(…).",
    );
  }
  const opts: SloDashboardOptions = {
    ...DEFAULT_SLO_DASHBOARD_OPTIONS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  checkWindowScale(opts.windowScale);
  if (!/^[a-zA-Z0-9_-]+$/.test(opts.datasourceUid)) {
    throw new Error(
      `Invalid SLO dashboard option datasourceUid "${opts.datasourceUid}": use letters, digits, "-" and "_" (a Grafana uid).`,
    );
  }
  if (opts.folder.trim() === "") {
    throw new Error(
      `Invalid SLO dashboard option folder: give a Grafana folder title, e.g. "Observability".`,
    );
  }
  return catalogue.alerting.objectives.map((o) => objectiveDashboard(catalogue, o, opts));
}
