// What the alerting e2e expects of the burn-rate alerts, computed from the SRE workbook's
// multi-window, multi-burn-rate table (issue 15) and the one window scale of the run; and, until the
// project's rule generator lands, the rules and the Alertmanager config the e2e runs, made here from
// the catalogue's resolved objectives (definitions/alerting.ts) with that same table and scale.
// INTERIM: the generator (alerts/, issue 15 item 2) replaces renderInterimAlerting; the expectations
// stay, since they follow from the table, not from the rules' text.
import { stringify } from "yaml";
import type { ResolvedObjective } from "../../definitions";

/** One row of the table: alert when the error ratio exceeds `factor` × budget over both windows. */
export interface BurnRateRow {
  readonly severity: "page" | "ticket";
  readonly factor: number;
  /** Nominal windows, in seconds (before scaling). */
  readonly longSeconds: number;
  readonly shortSeconds: number;
  /** Nominal `for`, in seconds. */
  readonly forSeconds: number;
}

export const BURN_RATE_TABLE: readonly BurnRateRow[] = [
  { severity: "page", factor: 14.4, longSeconds: 3600, shortSeconds: 300, forSeconds: 120 },
  { severity: "page", factor: 6, longSeconds: 6 * 3600, shortSeconds: 1800, forSeconds: 900 },
  { severity: "ticket", factor: 1, longSeconds: 3 * 86_400, shortSeconds: 6 * 3600, forSeconds: 1800 },
];

/** A scaled duration as a Prometheus duration in whole seconds (at least 1 s). */
export function scaled(seconds: number, scale: number): string {
  return `${Math.max(1, Math.round(seconds * scale))}s`;
}

export function scaledSeconds(seconds: number, scale: number): number {
  return Math.max(1, Math.round(seconds * scale));
}

/** An alert the run must see fire, and how long each step may take. */
export interface ExpectedAlert {
  readonly alertname: string;
  readonly severity: "page" | "ticket";
  readonly objective: string;
  readonly factor: number;
  /**
   * From the start of the bad phase until the alert fires: the time the long window's ratio needs to
   * pass the threshold at a constant error ratio (long × threshold / ratio), plus `for`.
   */
  readonly fireSeconds: number;
  /** From the end of the bad phase until the short window's ratio is under the threshold again. */
  readonly resolveSeconds: number;
}

/**
 * The alerts of `objective` that an error ratio `ratio` (0..1) must fire, with their timings in the
 * scaled run. Rows whose threshold the ratio does not pass are not expected (and must not fire).
 */
export function expectedAlerts(
  objective: ResolvedObjective,
  ratio: number,
  scale: number,
  names: { page: string; ticket: string },
): ExpectedAlert[] {
  return BURN_RATE_TABLE.filter((row) => ratio > row.factor * objective.errorBudget).map((row) => {
    const threshold = row.factor * objective.errorBudget;
    const long = scaledSeconds(row.longSeconds, scale);
    const short = scaledSeconds(row.shortSeconds, scale);
    return {
      alertname: names[row.severity],
      severity: row.severity,
      objective: objective.key,
      factor: row.factor,
      fireSeconds: Math.max(long, short) * (threshold / ratio) + scaledSeconds(row.forSeconds, scale),
      resolveSeconds: short * (1 - threshold / ratio),
    };
  });
}

export interface InterimAlerting {
  /** Rule files for vmalert (name → content). */
  readonly ruleFiles: readonly { name: string; content: string }[];
  readonly alertmanagerConfig: string;
  readonly names: { page: string; ticket: string };
  /** The recording rules' series names. */
  readonly recorded: readonly string[];
  /** Alertmanager's group_wait and group_interval, in seconds. */
  readonly groupWaitSeconds: number;
  readonly groupIntervalSeconds: number;
}

const RATIO = "slo:error_ratio";

/** Error ratio of an availability objective over one window, by job. */
function errorRatioExpr(o: ResolvedObjective, window: string): string {
  const sli = o.sli;
  if (sli.kind !== "availability" || sli.failure.kind !== "values")
    throw new Error(`interim rules: objective ${o.key} is not availability by failure values`);
  const where = sli.where.map((w) => `${w.label}=~"${w.values.join("|")}"`);
  const sel = (extra: string[]) => `${sli.totalSeries}{${[...where, ...extra].join(",")}}`;
  const bad = sel([`${sli.failure.match.label}=~"${sli.failure.match.values.join("|")}"`]);
  const total = `sum by (job) (rate(${sel([])}[${window}]))`;
  // No failure yet is a ratio of 0, not an absent series.
  return `(sum by (job) (rate(${bad}[${window}])) or ${total} * 0) / ${total}`;
}

/** The rules and Alertmanager config the run uses until the generator lands (see the file's header). */
export function renderInterimAlerting(
  objectives: readonly ResolvedObjective[],
  scale: number,
  webhookUrl: string,
): InterimAlerting {
  const names = { page: "SLOErrorBudgetBurnPage", ticket: "SLOErrorBudgetBurnTicket" };
  const windows = [...new Set(BURN_RATE_TABLE.flatMap((r) => [r.longSeconds, r.shortSeconds]))].sort(
    (a, b) => a - b,
  );
  const nominal = (s: number) =>
    s % 86_400 === 0 ? `${s / 86_400}d` : s % 3600 === 0 ? `${s / 3600}h` : `${s / 60}m`;
  const groups = objectives
    .filter((o) => o.sli.kind === "availability" && o.sli.failure.kind === "values")
    .map((o) => ({
      name: `slo-${o.key}`,
      rules: [
        // The window is a label, not part of the name: dashboards select it.
        ...windows.map((w) => ({
          record: RATIO,
          expr: errorRatioExpr(o, scaled(w, scale)),
          labels: { objective: o.key, window: nominal(w) },
        })),
        ...BURN_RATE_TABLE.map((row) => {
          const th = row.factor * o.errorBudget;
          const at = (w: number) => `${RATIO}{objective="${o.key}",window="${nominal(w)}"} > ${th}`;
          return {
            alert: names[row.severity],
            expr: `${at(row.longSeconds)} and ignoring(window) ${at(row.shortSeconds)}`,
            for: scaled(row.forSeconds, scale),
            labels: { severity: row.severity, objective: o.key, burn_rate: String(row.factor) },
            annotations: { summary: `${o.title}: error budget burning at ${row.factor}x or faster` },
          };
        }),
      ],
    }));
  const groupWaitSeconds = scaledSeconds(30, scale);
  const groupIntervalSeconds = scaledSeconds(300, scale);
  const alertmanagerConfig = stringify({
    route: {
      receiver: "webhook",
      group_by: ["alertname", "objective", "job"],
      group_wait: `${groupWaitSeconds}s`,
      group_interval: `${groupIntervalSeconds}s`,
      repeat_interval: scaled(4 * 3600, scale),
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="page"'],
        target_matchers: ['severity="ticket"'],
        equal: ["objective", "job"],
      },
    ],
    receivers: [{ name: "webhook", webhook_configs: [{ url: webhookUrl, send_resolved: true }] }],
  });
  return {
    ruleFiles: [{ name: "slo.yaml", content: stringify({ groups }) }],
    alertmanagerConfig,
    names,
    recorded: [RATIO],
    groupWaitSeconds,
    groupIntervalSeconds,
  };
}
