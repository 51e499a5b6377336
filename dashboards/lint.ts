// A dashboard lint: the rules of grafana/dashboard-linter that apply here, plus this project's
// rules about what a number means. Run by the tests on every rendered dashboard of every catalogue.
// Test-only: it parses PromQL with @prometheus-io/lezer-promql, a devDependency.
import type { SyntaxNode } from "@lezer/common";
import type { LRParser } from "@lezer/lr";
import type { Catalogue } from "../definitions";
import { meanings } from "../definitions/semantics";
import { kindFacts } from "../definitions/kinds";

// lezer-promql ships ESM types with a CommonJS build: load it with require, typed by @lezer/lr.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require("@prometheus-io/lezer-promql") as { parser: LRParser };

/** The rules, by name (each has a failing-input test in lint.test.ts). */
export const LINT_RULES = {
  "rate-over-counters":
    "rate/irate/increase only over counters (a catalogue counter, or _total/_bucket/_count/_sum)",
  "rate-interval": "range selectors of rate/irate/increase use $__rate_interval",
  "templated-datasource":
    "every panel and target queries the ${datasource} variable, which the dashboard declares",
  "job-instance-matchers": 'every selector of an app series filters job=~"$job" and instance=~"$instance"',
  "panel-unit": "every panel sets a unit",
  "stat-thresholds": "every stat sets its thresholds explicitly (never Grafana's default red at 80)",
  "no-partition-sum": "no aggregation sums across a partition of distinct quantities",
  "no-non-additive-sum": "no sum over a gauge whose declared aggregation is not sum (ratios, maxima)",
  "no-label-less-fallback": "no `or vector(…)` / `or <number>` fallback series",
  "query-parses": "every query parses as PromQL",
} as const;

export type LintRule = keyof typeof LINT_RULES;

export interface LintProblem {
  readonly rule: LintRule;
  readonly dashboard: string;
  readonly panel: string;
  readonly message: string;
}

export interface LintContext {
  /** Catalogues whose series the dashboards use (the app's and the built-in ones). */
  readonly catalogues: readonly Catalogue[];
  /** Catalogues whose series come from apps and so must be filtered by job and instance. */
  readonly appCatalogues: readonly Catalogue[];
}

interface PanelLike {
  type?: string;
  title?: string;
  datasource?: { uid?: string };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
  panels?: PanelLike[];
  fieldConfig?: {
    defaults?: { unit?: string; thresholds?: { steps?: { value: number | null; color: string }[] } };
  };
  options?: { yAxis?: { unit?: string } };
}

const RATE_SENTINEL = "7777s";
const RATE_FUNCTIONS = new Set(["rate", "irate", "increase"]);
const COUNTER_SUFFIX = /(_total|_bucket|_count|_sum)$/;

interface SeriesInfo {
  readonly counter: boolean;
  readonly app: boolean;
  /** Labels of partitions of distinct quantities. */
  readonly distinct: readonly string[];
  /** The declared aggregation of a gauge or up-down counter. */
  readonly aggregation?: string;
}

function seriesInfo(ctx: LintContext): Map<string, SeriesInfo> {
  const out = new Map<string, SeriesInfo>();
  for (const c of ctx.catalogues) {
    const app = ctx.appCatalogues.includes(c);
    for (const m of meanings(c).values()) {
      const distinct = m.partitions.filter((p) => p.inUse === undefined).map((p) => p.label);
      for (const s of m.metric.seriesNames) {
        out.set(s, {
          counter: kindFacts(m.metric.kind).monotonic,
          app,
          distinct,
          ...(m.aggregation !== undefined ? { aggregation: m.aggregation } : {}),
        });
      }
    }
  }
  return out;
}

function flatten(list: unknown): PanelLike[] {
  const out: PanelLike[] = [];
  for (const p of (Array.isArray(list) ? list : []) as PanelLike[]) {
    out.push(p);
    out.push(...flatten(p.panels));
  }
  return out;
}

function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c !== null; c = c.nextSibling) out.push(c);
  return out;
}

function descendants(n: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (x: SyntaxNode) => {
    for (const c of children(x)) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(n);
  return out;
}

/** The problems of one PromQL expression. */
export function lintQuery(
  expr: string,
  ctx: LintContext,
  info = seriesInfo(ctx),
): { rule: LintRule; message: string }[] {
  const problems: { rule: LintRule; message: string }[] = [];
  const text = expr.replace(/\$__rate_interval/g, RATE_SENTINEL).replace(/\$__range|\$__interval/g, "1h");
  const tree = parser.parse(text);
  const src = (n: SyntaxNode) => text.slice(n.from, n.to);
  let broken = false;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) broken = true;
    },
  });
  if (broken) return [{ rule: "query-parses", message: `does not parse: ${expr}` }];
  const top = tree.topNode;
  const selectorName = (vs: SyntaxNode) => {
    const id = vs.getChild("Identifier");
    return id === null ? "" : src(id);
  };
  const matchers = (vs: SyntaxNode) =>
    (vs.getChild("LabelMatchers")?.getChildren("UnquotedLabelMatcher") ?? []).map((m) => ({
      label: src(m.getChild("LabelName") as SyntaxNode),
      op: src(m.getChild("MatchOp") as SyntaxNode),
      value: src(m.getChild("StringLiteral") as SyntaxNode).slice(1, -1),
    }));

  for (const call of descendants(top, "FunctionCall")) {
    const fn = src(call.getChild("FunctionIdentifier") as SyntaxNode);
    const body = call.getChild("FunctionCallBody");
    if (RATE_FUNCTIONS.has(fn) && body !== null) {
      for (const ms of descendants(body, "MatrixSelector")) {
        const vs = ms.getChild("VectorSelector");
        const name = vs === null ? "" : selectorName(vs);
        const known = info.get(name);
        if (!(known?.counter ?? COUNTER_SUFFIX.test(name))) {
          problems.push({
            rule: "rate-over-counters",
            message: `${fn}() over ${name}, which is not a counter: ${expr}`,
          });
        }
        const duration = src(ms).slice(src(ms).lastIndexOf("[") + 1, -1);
        if (duration !== RATE_SENTINEL) {
          problems.push({
            rule: "rate-interval",
            message: `${fn}() over [${duration}], not [$__rate_interval]: ${expr}`,
          });
        }
      }
    }
  }
  for (const vs of descendants(top, "VectorSelector")) {
    const name = selectorName(vs);
    const known = info.get(name);
    if (known?.app === true) {
      const ms = matchers(vs);
      const has = (label: string) =>
        ms.some((m) => m.label === label && m.op === "=~" && m.value === `$${label}`);
      if (!has("job") || !has("instance")) {
        problems.push({
          rule: "job-instance-matchers",
          message: `${name} is not filtered by $job and $instance: ${expr}`,
        });
      }
    }
  }
  for (const agg of descendants(top, "AggregateExpr")) {
    const op = src(agg.getChild("AggregateOp") as SyntaxNode);
    const modifier = agg.getChild("AggregateModifier");
    const without = modifier?.getChild("Without") !== null && modifier !== null;
    const grouping = modifier === null ? [] : descendants(modifier, "LabelName").map(src);
    const body = agg.getChild("FunctionCallBody");
    if (body === null) continue;
    for (const vs of descendants(body, "VectorSelector")) {
      const name = selectorName(vs);
      const known = info.get(name);
      if (known === undefined) continue;
      const pinned = matchers(vs).filter((m) => m.op === "=" || (m.op === "=~" && !/[|*+?]/.test(m.value)));
      for (const label of known.distinct) {
        const kept = without ? !grouping.includes(label) : grouping.includes(label);
        if (!kept && !pinned.some((m) => m.label === label)) {
          problems.push({
            rule: "no-partition-sum",
            message: `${op}() adds up ${name} across its partition "${label}" (different quantities): ${expr}`,
          });
        }
      }
      // Only a sum directly over the gauge's series (not over a rate or ratio built from it).
      const direct = body.getChild("VectorSelector");
      if (
        op === "sum" &&
        known.aggregation !== undefined &&
        known.aggregation !== "sum" &&
        direct !== null &&
        direct.from === vs.from
      ) {
        problems.push({
          rule: "no-non-additive-sum",
          message: `sum() over ${name}, whose catalogue aggregation is ${known.aggregation}: ${expr}`,
        });
      }
    }
  }
  for (const bin of descendants(top, "BinaryExpr").concat(
    top.firstChild?.name === "BinaryExpr" ? [top.firstChild] : [],
  )) {
    const parts = children(bin);
    const orIndex = parts.findIndex((p) => p.name === "Or");
    if (orIndex < 0) continue;
    const right = parts[parts.length - 1] as SyntaxNode;
    const isVector = (n: SyntaxNode) =>
      n.name === "NumberDurationLiteral" ||
      (n.name === "FunctionCall" && src(n.getChild("FunctionIdentifier") as SyntaxNode) === "vector");
    const leftmost = (n: SyntaxNode): SyntaxNode =>
      n.name === "BinaryExpr" ? leftmost(n.firstChild as SyntaxNode) : n;
    if (isVector(right) || isVector(leftmost(right))) {
      problems.push({ rule: "no-label-less-fallback", message: `a label-less fallback after "or": ${expr}` });
    }
  }
  // A problem found twice (nested aggregations) is one problem.
  return problems.filter(
    (p, i) => problems.findIndex((q) => q.rule === p.rule && q.message === p.message) === i,
  );
}

/** Every problem of a dashboard model. */
export function lintDashboard(model: Readonly<Record<string, unknown>>, ctx: LintContext): LintProblem[] {
  const info = seriesInfo(ctx);
  const dashboard = String(model.uid ?? model.title ?? "?");
  const out: LintProblem[] = [];
  const templating = model.templating as { list?: { name: string; type: string }[] } | undefined;
  const hasDsVar = (templating?.list ?? []).some((v) => v.type === "datasource" && v.name === "datasource");
  for (const p of flatten(model.panels)) {
    if (p.type === "row") continue;
    const panel = p.title ?? "(untitled)";
    const add = (rule: LintRule, message: string) => out.push({ rule, dashboard, panel, message });
    const dsOk = (uid: string | undefined) => uid === "${datasource}";
    if (
      !hasDsVar ||
      !dsOk(p.datasource?.uid) ||
      !(p.targets ?? []).every((t) => t.datasource === undefined || dsOk(t.datasource.uid))
    ) {
      add("templated-datasource", `panel "${panel}" does not query the \${datasource} variable`);
    }
    const unit = p.type === "heatmap" ? p.options?.yAxis?.unit : p.fieldConfig?.defaults?.unit;
    if (typeof unit !== "string" || unit === "") add("panel-unit", `panel "${panel}" has no unit`);
    if (p.type === "stat") {
      const steps = p.fieldConfig?.defaults?.thresholds?.steps;
      const isDefault =
        steps?.length === 2 &&
        steps[0]?.color === "green" &&
        steps[1]?.color === "red" &&
        steps[1]?.value === 80;
      if (steps === undefined || steps.length === 0 || isDefault) {
        add("stat-thresholds", `stat "${panel}" has no explicit thresholds`);
      }
    }
    for (const t of p.targets ?? []) {
      if (typeof t.expr !== "string") continue;
      for (const q of lintQuery(t.expr, ctx, info)) add(q.rule, q.message);
    }
  }
  return out;
}
