// vmalert rule groups (the Prometheus rule-file format) from a catalogue's objectives and alerts:
// per objective, recording rules of its error ratio over every window and multiwindow
// multi-burn-rate alerts; the catalogue's plain alerts; the stack's built-in rules.
//
// Record names never hold the window: one name, `slo:sli_error:ratio_rate`, with the window as a
// `window` label (Sloth's naming, without its `…_rate5m` suffixes). A dashboard or query then
// selects `window="1h"` or shows every window with one query and a `{{window}}` legend, and adding
// or scaling windows changes label values, not the names dashboards are built on.
import { stringify } from "yaml";
import type { AlertingCatalogue, ResolvedObjective } from "../definitions";
import { builtinRules } from "./builtin";
import {
  annotations,
  BURN_ALERT_NAME,
  BUDGET_REMAINING_RECORD,
  OBJECTIVE_RECORD,
  plainAlertRule,
  resolveAlertingOptions,
  SLI_ERROR_RECORD,
  STACK_CATALOGUE_LABEL,
  type AlertingOptions,
  type Rule,
  type RuleGroup,
} from "./model";
import { num, sliErrorRatio } from "./promql";
import { BURN_RATE_ALERTS, scaledDuration, sliWindow, sliWindows } from "./windows";

function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}

/** The recording rules and burn-rate alerts of one objective. */
export function objectiveRules(catalogue: string, o: ResolvedObjective, options: AlertingOptions): Rule[] {
  const scale = options.windowScale;
  const ids = { objective: o.key, catalogue };
  const rules: Rule[] = sliWindows(o, scale).map((w) => ({
    record: SLI_ERROR_RECORD,
    expr: sliErrorRatio(o, w.label),
    labels: { ...ids, window: w.label },
  }));
  const own = sliWindow(o, o.windowSeconds, scale);
  rules.push({ record: OBJECTIVE_RECORD, expr: `vector(${num(o.target / 100)})`, labels: ids });
  rules.push({
    record: BUDGET_REMAINING_RECORD,
    expr: `1 - ${SLI_ERROR_RECORD}{catalogue="${catalogue}",objective="${o.key}",window="${own.label}"} / ${num(o.errorBudget)}`,
    labels: ids,
  });
  for (const b of BURN_RATE_ALERTS) {
    const long = sliWindow(o, b.longWindowSeconds, scale);
    const short = sliWindow(o, b.shortWindowSeconds, scale);
    // The SLI itself, not its record: the alert does not wait for recorded samples to come back
    // from VictoriaMetrics, and works even before the recording rules have any history.
    const limit = `${num(b.burnRate)} * ${num(o.errorBudget)}`;
    rules.push({
      alert: BURN_ALERT_NAME,
      expr: `(${sliErrorRatio(o, long.label)}) > (${limit}) and (${sliErrorRatio(o, short.label)}) > (${limit})`,
      labels: {
        severity: b.severity,
        ...ids,
        long_window: long.label,
        short_window: short.label,
        burn_rate: num(b.burnRate),
      },
      annotations: annotations(
        `${o.title} (${catalogue}, {{ $labels.job }}): error budget burning ${num(b.burnRate)}x as fast as the ` +
          `${o.window} target ${o.target}% allows, over ${long.label} and ${short.label} ` +
          `(error ratio {{ $value | humanizePercentage }}, budget ${percent(o.errorBudget)}).`,
        o.description,
        o.runbookUrl,
      ),
    });
  }
  return rules;
}

/**
 * The rule groups for a catalogue with alerting: `<catalogue>-slo-<objective>` per objective,
 * `<catalogue>-alerts` for its plain alerts, and `observability-stack` (the built-in rules).
 * @throws when a plain alert's name is one of the built-in rules' (the alertname would be ambiguous).
 */
export function ruleGroups(
  catalogue: AlertingCatalogue,
  options: Partial<AlertingOptions> = {},
): RuleGroup[] {
  const o = resolveAlertingOptions(options);
  const interval = scaledDuration(o.evaluationIntervalSeconds, o.windowScale);
  const groups: RuleGroup[] = catalogue.alerting.objectives.map((obj) => ({
    name: `${catalogue.name}-slo-${obj.key}`,
    interval,
    rules: objectiveRules(catalogue.name, obj, o),
  }));
  if (catalogue.alerting.alerts.length > 0) {
    groups.push({
      name: `${catalogue.name}-alerts`,
      interval,
      rules: catalogue.alerting.alerts.map((a) => plainAlertRule(catalogue.name, a, o)),
    });
  }
  if (o.builtinRules) {
    const builtin = builtinRules(o);
    const names = new Set(builtin.map((r) => r.alert));
    const clash = catalogue.alerting.alerts.filter((a) => names.has(a.name) || a.name === BURN_ALERT_NAME);
    if (clash.length > 0) {
      throw new Error(
        `Catalogue "${catalogue.name}": alert ${clash.map((a) => `"${a.name}"`).join(", ")} has the name of a built-in rule. ` +
          `Fix: rename it (or set alerting.builtinRules: false).`,
      );
    }
    groups.push({ name: STACK_CATALOGUE_LABEL, interval, rules: builtin });
  } else if (catalogue.alerting.alerts.some((a) => a.name === BURN_ALERT_NAME)) {
    throw new Error(
      `Catalogue "${catalogue.name}": alert "${BURN_ALERT_NAME}" is the burn-rate alerts' name. Fix: rename it.`,
    );
  }
  return groups;
}

/** The rule file (`vmalert -rule=…`), deterministic: groups and rules in generation order. */
export function ruleFileYaml(groups: readonly RuleGroup[], options: Partial<AlertingOptions> = {}): string {
  const o = resolveAlertingOptions(options);
  const header =
    "# Generated by observability-stack. Do not edit: run `npm run render`.\n" +
    (o.windowScale === 1
      ? ""
      : `# Windows, 'for' and intervals scaled by alerting.windowScale = ${o.windowScale}.\n`);
  return header + stringify({ groups }, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Every expression of the groups, with where it comes from (for tests and tools). */
export function ruleExpressions(
  groups: readonly RuleGroup[],
): { group: string; rule: string; expr: string }[] {
  return groups.flatMap((g) =>
    g.rules.map((r) => ({ group: g.name, rule: "record" in r ? r.record : r.alert, expr: r.expr })),
  );
}
