// Public entry point of alerts/: vmalert rules and the Alertmanager config from a catalogue with
// objectives and alerts (definitions/alerting.ts). Pure functions; writing files is the caller's job.
export {
  alertmanagerConfig,
  alertmanagerYaml,
  DEFAULT_ALERTMANAGER_OPTIONS,
  receiverName,
} from "./alertmanager";
export type { AlertmanagerOptions } from "./alertmanager";
export {
  BUILTIN_ALERT_NAMES,
  builtinRules,
  collectorAlerting,
  DISK_FREE_RATIO,
  QUEUE_FILLING_RATIO,
} from "./builtin";
export {
  ALERTS_SERIES,
  BUDGET_REMAINING_RECORD,
  BURN_ALERT_NAME,
  DEFAULT_ALERTING_OPTIONS,
  OBJECTIVE_RECORD,
  plainAlertRule,
  resolveAlertingOptions,
  SLI_ERROR_RECORD,
  STACK_CATALOGUE_LABEL,
} from "./model";
export type { AlertingOptions, AlertingRule, RecordingRule, Rule, RuleGroup } from "./model";
export { alertExpression, matcher, num, SLI_BY, sliErrorRatio } from "./promql";
export { objectiveRules, ruleExpressions, ruleFileYaml, ruleGroups } from "./rules";
export {
  BURN_RATE_ALERTS,
  checkWindowScale,
  DEFAULT_EVALUATION_INTERVAL_SECONDS,
  scaledDuration,
  scaleSeconds,
  sliWindow,
  sliWindows,
  STANDARD_WINDOWS_SECONDS,
} from "./windows";
export type { BurnRateAlert, SliWindow } from "./windows";
