// What the alerting e2e expects of the burn-rate alerts, read from the rule file render wrote
// (vmalert/rules.yaml, the generator's rules at the run's windowScale): each ErrorBudgetBurn rule of
// the driven objective whose threshold the driven error ratio passes must fire, within a time
// computed from that rule's own (scaled) windows, threshold, `for` and its group's interval.
import { parse } from "yaml";
import { BURN_ALERT_NAME } from "../../alerts";
import { durationSeconds, type ResolvedObjective } from "../../definitions";

/** A rule as the rule file holds it. */
export interface RuleFileRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface RuleFileGroup {
  readonly name: string;
  readonly interval: string;
  readonly rules: readonly RuleFileRule[];
}

/** The groups of a rule file (vmalert -rule=…). */
export function parseRuleFile(content: string): RuleFileGroup[] {
  const doc = parse(content) as { groups?: RuleFileGroup[] };
  if (!Array.isArray(doc?.groups)) throw new Error("rule file: no `groups` list");
  return doc.groups;
}

function seconds(d: string, what: string): number {
  const s = durationSeconds(d);
  if (s === undefined) throw new Error(`rule file: ${what} "${d}" is not a duration`);
  return s;
}

/** An alert the run must see fire, and how long each step may take. */
export interface ExpectedAlert {
  readonly alertname: string;
  readonly severity: "page" | "ticket";
  readonly objective: string;
  /** The rule's `burn_rate` label, as written. */
  readonly burnRate: string;
  readonly longWindowSeconds: number;
  readonly shortWindowSeconds: number;
  /** The error ratio both windows must exceed. */
  readonly threshold: number;
  /**
   * From the start of the bad phase until the alert fires: at a constant error ratio after a
   * healthy history, the long window's ratio passes the threshold after long × threshold / ratio;
   * then `for`, and one evaluation interval until vmalert sees it.
   */
  readonly fireSeconds: number;
  /**
   * From the end of the bad phase until the short window's ratio is under the threshold again:
   * short × (1 − threshold / ratio), plus one evaluation interval.
   */
  readonly resolveSeconds: number;
}

/**
 * The burn-rate alerts of `objective` in `groups` that an error ratio `ratio` (0..1) must fire.
 * Windows come from the expression's range selectors (`[2m]`, `[10s]`), the threshold from its
 * `> (factor * budget)`; both are checked against the rule's labels, so a label that lies fails here.
 * Rules whose threshold the ratio does not pass are not expected (and so must not fire).
 */
export function expectedAlerts(
  groups: readonly RuleFileGroup[],
  objective: ResolvedObjective,
  ratio: number,
): ExpectedAlert[] {
  const out: ExpectedAlert[] = [];
  for (const g of groups) {
    const interval = seconds(g.interval, `group ${g.name} interval`);
    for (const r of g.rules) {
      if (r.alert !== BURN_ALERT_NAME || r.labels?.objective !== objective.key) continue;
      const labels = r.labels;
      const ranges = [...r.expr.matchAll(/\[(\w+)\]/g)].map((m) => seconds(m[1] as string, "range"));
      const long = Math.max(...ranges);
      const short = Math.min(...ranges);
      const limits = [...r.expr.matchAll(/> \(([0-9.e-]+) \* ([0-9.e-]+)\)/g)].map(
        (m) => Number(m[1]) * Number(m[2]),
      );
      const threshold = limits[0];
      if (
        ranges.length === 0 ||
        threshold === undefined ||
        limits.some((l) => l !== threshold) ||
        seconds(labels.long_window ?? "", "long_window") !== long ||
        seconds(labels.short_window ?? "", "short_window") !== short ||
        Math.abs(Number(labels.burn_rate) * objective.errorBudget - threshold) > 1e-12
      ) {
        throw new Error(
          `rule file: ${BURN_ALERT_NAME} ${JSON.stringify(labels)} does not match its expression ${r.expr}`,
        );
      }
      if (!(ratio > threshold)) continue;
      const severity = labels.severity;
      if (severity !== "page" && severity !== "ticket")
        throw new Error(`rule file: ${BURN_ALERT_NAME} has severity ${String(severity)}`);
      const forSeconds = r.for === undefined ? 0 : seconds(r.for, "for");
      out.push({
        alertname: BURN_ALERT_NAME,
        severity,
        objective: objective.key,
        burnRate: labels.burn_rate as string,
        longWindowSeconds: long,
        shortWindowSeconds: short,
        threshold,
        fireSeconds: long * (threshold / ratio) + forSeconds + interval,
        resolveSeconds: short * (1 - threshold / ratio) + interval,
      });
    }
  }
  return out;
}
