// The rule model shared by the generators: names of records and alerts, the alerting render
// options, the rule shapes, and a plain alert as a rule.
import type { ResolvedAlert } from "../definitions";
import { alertExpression } from "./promql";
import {
  DEFAULT_EVALUATION_INTERVAL_SECONDS,
  checkWindowScale,
  scaledDuration,
  scaleSeconds,
} from "./windows";

/** The error ratio of an objective's SLI over the window in its `window` label. */
export const SLI_ERROR_RECORD = "slo:sli_error:ratio_rate";
/** The objective's target as a ratio (`0.995`): a constant series for dashboards. */
export const OBJECTIVE_RECORD = "slo:objective:ratio";
/** Share of the error budget of the objective window left (1 = untouched, below 0 = overspent). */
export const BUDGET_REMAINING_RECORD = "slo:error_budget_remaining:ratio";
/** The alertname of every burn-rate alert; `severity`, `objective`, `long_window` tell them apart. */
export const BURN_ALERT_NAME = "ErrorBudgetBurn";
/**
 * The series vmalert writes for every pending or firing alert (`alertstate` label) to
 * -remoteWrite.url, as Prometheus does: dashboards read alert history from it.
 */
export const ALERTS_SERIES = "ALERTS";
/** The `catalogue` label of the built-in rules for the stack itself. */
export const STACK_CATALOGUE_LABEL = "observability-stack";

export interface AlertingOptions {
  /**
   * Multiplies every rule window, `for`, group interval and Alertmanager timer (for tests: 0.01 turns
   * 1h into 36s, 30d into 7h12m). Durations are rounded to whole seconds, at least 1s.
   * @default 1
   */
  readonly windowScale: number;
  /**
   * Include the rules for the stack itself (collector refusing, failing, dropping, queue filling; a
   * scrape target down; VictoriaMetrics disk space low, read-only, rows ignored).
   * @default true
   */
  readonly builtinRules: boolean;
  /** How often vmalert evaluates each group, in seconds before scaling. @default 60 */
  readonly evaluationIntervalSeconds: number;
}

export const DEFAULT_ALERTING_OPTIONS: Readonly<AlertingOptions> = Object.freeze({
  windowScale: 1,
  builtinRules: true,
  evaluationIntervalSeconds: DEFAULT_EVALUATION_INTERVAL_SECONDS,
});

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** Omitted when 0 (fires at the first evaluation that holds). */
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  readonly name: string;
  readonly interval: string;
  readonly rules: readonly Rule[];
}

/** Options with defaults applied and checked. */
export function resolveAlertingOptions(options: Partial<AlertingOptions> = {}): AlertingOptions {
  const o = {
    ...DEFAULT_ALERTING_OPTIONS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  checkWindowScale(o.windowScale);
  if (!Number.isInteger(o.evaluationIntervalSeconds) || o.evaluationIntervalSeconds < 1) {
    throw new Error(
      `Invalid render option alerting.evaluationIntervalSeconds ${JSON.stringify(o.evaluationIntervalSeconds)}: a whole number of seconds, at least 1 (e.g. 60).`,
    );
  }
  if (typeof o.builtinRules !== "boolean") {
    throw new Error(
      `Invalid render option alerting.builtinRules ${JSON.stringify(o.builtinRules)}: true or false.`,
    );
  }
  return o;
}

export function annotations(
  summary: string,
  description: string | undefined,
  runbookUrl: string | undefined,
): Record<string, string> {
  return {
    summary,
    ...(description !== undefined ? { description } : {}),
    ...(runbookUrl !== undefined ? { runbook_url: runbookUrl } : {}),
  };
}

/** One plain alert of a catalogue as a rule. */
export function plainAlertRule(catalogue: string, a: ResolvedAlert, options: AlertingOptions): AlertingRule {
  const forSeconds = scaleSeconds(a.forSeconds, options.windowScale);
  return {
    alert: a.name,
    expr: alertExpression(a, scaledDuration(a.windowSeconds, options.windowScale)),
    ...(forSeconds > 0 ? { for: scaledDuration(a.forSeconds, options.windowScale) } : {}),
    labels: { severity: a.severity, catalogue },
    annotations: annotations(a.summary, a.description, a.runbookUrl),
  };
}
