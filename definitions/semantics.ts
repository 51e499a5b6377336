// What a metric's number means, beyond its kind and unit: how its series combine, which attributes
// partition a whole, which values or paired counters mean failure, which metrics are a service's
// requests, its title and thresholds. Generators read these resolved meanings and never guess; the
// rules below reject combinations that would make a panel lie, naming the metric and the fix.
import type {
  Aggregation,
  Catalogue,
  CatalogueSpec,
  MetricSpec,
  ResolvedMetric,
  ThresholdSpec,
} from "./types";
import { kindFacts } from "./kinds";
import { AGGREGATIONS } from "./types";
import { DefinitionError } from "./validate";

/** A partitioning attribute, resolved. */
export interface PartitionMeaning {
  readonly key: string;
  readonly label: string;
  readonly values?: readonly string[];
  readonly inUse?: readonly string[];
  readonly headline?: string;
}

/** Failure values of an attribute, resolved. */
export interface FailureMeaning {
  readonly key: string;
  readonly label: string;
  readonly values: readonly string[];
}

export interface RequestsMeaning {
  readonly duration?: ResolvedMetric;
  readonly saturation?: ResolvedMetric;
  /** Counters declared `failuresOf` this metric. */
  readonly errors: readonly ResolvedMetric[];
  readonly errorRatio: ThresholdSpec;
  readonly latency?: ThresholdSpec;
}

/** Everything a generator needs to show a metric truthfully, with defaults applied. */
export interface MetricMeaning {
  readonly metric: ResolvedMetric;
  readonly title: string;
  /** Gauges and up-down counters only. */
  readonly aggregation?: Aggregation;
  /** A dimensionless gauge (unit `1`) or a percent: never summed. */
  readonly ratio: boolean;
  readonly partitions: readonly PartitionMeaning[];
  readonly failures: readonly FailureMeaning[];
  readonly requests?: RequestsMeaning;
  readonly failuresOf?: ResolvedMetric;
  readonly thresholds?: ThresholdSpec;
  readonly uptime: boolean;
  /** A seconds counter whose rate is a busy fraction. */
  readonly utilisation: boolean;
}

export const DEFAULT_ERROR_RATIO_THRESHOLDS: Readonly<ThresholdSpec> = Object.freeze({
  warning: 0.01,
  critical: 0.05,
});

/** `scotty.log_streams.active` → "Log streams active"; `otelcol_exporter_queue_size` → "Exporter queue size". */
export function defaultTitle(name: string): string {
  const words = name.split(/[^a-zA-Z0-9]+/).filter((w) => w !== "");
  // The first token is the namespace (service or component) when there is more than one.
  const rest = words.length > 1 ? words.slice(1) : words;
  const text = rest.join(" ").toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isRatioUnit(unit: string): boolean {
  return unit === "1" || unit === "%";
}

type Specs = Readonly<Record<string, MetricSpec>>;

function checkThresholds(who: string, what: string, t: ThresholdSpec | undefined, problems: string[]): void {
  if (t === undefined) return;
  for (const k of ["warning", "critical"] as const) {
    const v = t[k];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v))) {
      problems.push(`${who}: ${what}.${k} must be a finite number, got ${String(v)}.`);
    }
  }
  if (t.warning !== undefined && t.critical !== undefined) {
    const ordered = t.below === true ? t.critical < t.warning : t.warning < t.critical;
    if (!ordered) {
      problems.push(
        `${who}: ${what} has warning ${t.warning} and critical ${t.critical}, which never both apply` +
          `${t.below === true ? " when low is bad (below: true)" : ""}. Fix: critical must be ${t.below === true ? "below" : "above"} warning.`,
      );
    }
  }
}

/**
 * The semantic rules. Run by defineMetrics after the structural validation, on a catalogue whose
 * names, kinds and attributes are already valid; throws {@link DefinitionError} listing every problem.
 */
export function checkSemantics(spec: CatalogueSpec<Specs>, list: readonly ResolvedMetric[]): void {
  const problems = semanticProblems(spec.metrics, list);
  if (problems.length > 0) throw new DefinitionError(spec.name, problems);
}

/** Every semantic problem of the catalogue's metrics (empty when it is sound). */
export function semanticProblems(specs: Specs, list: readonly ResolvedMetric[]): string[] {
  const problems: string[] = [];
  const byKey = new Map(list.map((m) => [m.key, m]));
  for (const m of list) {
    const s = specs[m.key] as MetricSpec;
    const who = `metric "${m.name}" (key ${m.key})`;
    const facts = kindFacts(m.kind);
    const valueKind = facts.defaultAggregation !== undefined;
    if (s.title !== undefined && (typeof s.title !== "string" || s.title.trim() === "")) {
      problems.push(`${who}: \`title\` is empty. Fix: give a short title such as "Requests" or drop it.`);
    }
    if (s.aggregation !== undefined) {
      if (!AGGREGATIONS.includes(s.aggregation)) {
        problems.push(
          `${who}: unknown aggregation "${String(s.aggregation)}". Fix: use one of ${AGGREGATIONS.join(", ")}.`,
        );
      } else if (!valueKind) {
        problems.push(
          `${who}: a ${m.kind} is shown as a rate of its total; \`aggregation\` only applies to gauges and up-down counters. Fix: remove it.`,
        );
      }
    }
    if (valueKind && isRatioUnit(m.unit) && (s.aggregation ?? facts.defaultAggregation) === "sum") {
      problems.push(
        `${who}: summing a ratio (unit "${m.unit}") across instances is meaningless (three instances at 85% would show 255%). ` +
          `Fix: set \`aggregation\` to "avg", "min" or "max".`,
      );
    }
    if (facts.rate === "series" && isRatioUnit(m.unit)) {
      problems.push(
        `${who}: a counter with unit "${m.unit}" would be rated into a ratio per second. Fix: make it a gauge, or give it a count unit such as "{request}".`,
      );
    }
    if (s.requests !== undefined) {
      if (!facts.requests) {
        problems.push(
          `${who}: requests are rated, and a rate over a ${m.kind} is meaningless. Fix: mark a counter or a histogram as \`requests\`.`,
        );
      }
      const d = s.requests.duration;
      if (d !== undefined) {
        const dm = byKey.get(d);
        if (dm === undefined || !kindFacts(dm.kind).duration) {
          problems.push(
            `${who}: requests.duration "${d}" is ${dm === undefined ? "not a metric key of the catalogue" : `a ${dm.kind}`}. Fix: name the key of a histogram.`,
          );
        } else if (facts.duration && d !== m.key) {
          problems.push(
            `${who}: a histogram marked as requests is its own duration. Fix: drop requests.duration.`,
          );
        }
      }
      const sat = s.requests.saturation;
      if (sat !== undefined) {
        const sm = byKey.get(sat);
        if (sm === undefined || !kindFacts(sm.kind).saturation) {
          problems.push(
            `${who}: requests.saturation "${sat}" is ${sm === undefined ? "not a metric key of the catalogue" : `a ${sm.kind}`}. Fix: name the key of a gauge or up-down counter.`,
          );
        }
      }
      checkThresholds(who, "requests.errorRatio", s.requests.errorRatio, problems);
      checkThresholds(who, "requests.latency", s.requests.latency, problems);
    }
    if (s.failuresOf !== undefined) {
      const base = byKey.get(s.failuresOf);
      if (!facts.failures) {
        problems.push(
          `${who}: \`failuresOf\` pairs a failure counter with its requests, but this is a ${m.kind}. Fix: remove it.`,
        );
      } else if (base === undefined || !kindFacts(base.kind).failuresTarget) {
        problems.push(
          `${who}: failuresOf "${s.failuresOf}" is ${base === undefined ? "not a metric key of the catalogue" : `a ${base.kind}`}. Fix: name the counter or histogram whose failures this counts.`,
        );
      } else if (base.key === m.key) {
        problems.push(`${who}: a counter cannot count its own failures. Fix: name the requests counter.`);
      }
    }
    if (s.uptime === true) {
      if (!facts.uptime || m.unit !== "s" || m.attributes.length > 0) {
        problems.push(
          `${who}: an uptime is a counter or gauge in seconds ("s") without attributes. Fix: change it or drop \`uptime\`.`,
        );
      }
    }
    if (s.utilisation === true && (!facts.utilisation || m.unit !== "s")) {
      problems.push(`${who}: \`utilisation\` marks a counter of busy seconds (unit "s"). Fix: remove it.`);
    }
    checkThresholds(who, "thresholds", s.thresholds, problems);
    for (const [key, a] of Object.entries(s.attributes ?? {})) {
      const where = `${who}, attribute "${key}"`;
      const declared = a.values;
      const subset = (field: string, vs: readonly string[]) => {
        if (declared === undefined) {
          problems.push(
            `${where}: \`${field}\` needs the attribute's \`values\` listed. Fix: list them instead of \`maxValues\`.`,
          );
          return;
        }
        const unknown = vs.filter((v) => !declared.includes(v));
        if (vs.length === 0 || unknown.length > 0) {
          problems.push(
            `${where}: \`${field}\` must list some of its values (${declared.join(", ")})` +
              `${unknown.length > 0 ? `, not ${unknown.join(", ")}` : ""}.`,
          );
        }
      };
      if (a.inUse !== undefined || a.headline !== undefined) {
        if (a.partition !== true) {
          problems.push(
            `${where}: \`inUse\` and \`headline\` describe a partition. Fix: set \`partition: true\`.`,
          );
        }
        if (a.inUse !== undefined && a.headline !== undefined) {
          problems.push(
            `${where}: give \`inUse\` (the values add up to a whole) or \`headline\` (they are different quantities), not both.`,
          );
        }
        if (a.inUse !== undefined) subset("inUse", a.inUse);
        if (a.headline !== undefined) subset("headline", [a.headline]);
        if (a.inUse !== undefined && declared !== undefined && a.inUse.length === declared.length) {
          problems.push(
            `${where}: \`inUse\` lists every value, so utilisation is always 100%. Fix: leave out the free ones.`,
          );
        }
      }
      if (a.failure !== undefined) {
        subset("failure", a.failure);
        if (!facts.countsEvents) {
          problems.push(
            `${where}: failure values count failed events, but a ${m.kind} counts no events. Fix: remove \`failure\`.`,
          );
        }
        if (a.partition === true) {
          problems.push(
            `${where}: a failure attribute is summed into an error ratio; it cannot be a partition.`,
          );
        }
      }
    }
    const partitioned = Object.values(s.attributes ?? {}).some((a) => a.partition === true);
    if (partitioned && !facts.partition) {
      problems.push(
        `${who}: a histogram's observations always add up; a partition attribute means nothing here. Fix: remove \`partition\`.`,
      );
    }
  }
  return problems;
}

const cache = new WeakMap<Catalogue, ReadonlyMap<string, MetricMeaning>>();

/** The resolved meanings of a catalogue's metrics, by metric key (computed once per catalogue). */
export function meanings(catalogue: Catalogue): ReadonlyMap<string, MetricMeaning> {
  const hit = cache.get(catalogue);
  if (hit !== undefined) return hit;
  const byKey = new Map(catalogue.list.map((m) => [m.key, m]));
  const specs = catalogue.metrics as Specs;
  const errorsOf = new Map<string, ResolvedMetric[]>();
  for (const m of catalogue.list) {
    const of = specs[m.key]?.failuresOf;
    if (of !== undefined) errorsOf.set(of, [...(errorsOf.get(of) ?? []), m]);
  }
  const out = new Map<string, MetricMeaning>();
  for (const m of catalogue.list) {
    const s = (specs[m.key] ?? {}) as Partial<MetricSpec>;
    const attrs = s.attributes ?? {};
    const labelOf = (key: string) => m.attributes.find((a) => a.key === key)?.label ?? key;
    const partitions: PartitionMeaning[] = Object.entries(attrs)
      .filter(([, a]) => a.partition === true)
      .map(([key, a]) => ({
        key,
        label: labelOf(key),
        ...(a.values !== undefined ? { values: a.values } : {}),
        ...(a.inUse !== undefined ? { inUse: a.inUse } : {}),
        ...(a.headline !== undefined ? { headline: a.headline } : {}),
      }));
    const failures: FailureMeaning[] = Object.entries(attrs)
      .filter(([, a]) => a.failure !== undefined)
      .map(([key, a]) => ({ key, label: labelOf(key), values: a.failure as readonly string[] }));
    const facts = kindFacts(m.kind);
    const valueKind = facts.defaultAggregation !== undefined;
    const r = s.requests;
    const meaning: MetricMeaning = {
      metric: m,
      title: s.title?.trim() ?? defaultTitle(m.name),
      ...(facts.defaultAggregation !== undefined
        ? { aggregation: s.aggregation ?? facts.defaultAggregation }
        : {}),
      ratio: valueKind && isRatioUnit(m.unit),
      partitions,
      failures,
      ...(r !== undefined
        ? {
            requests: {
              ...(facts.duration
                ? { duration: m }
                : r.duration !== undefined
                  ? { duration: byKey.get(r.duration) as ResolvedMetric }
                  : {}),
              ...(r.saturation !== undefined
                ? { saturation: byKey.get(r.saturation) as ResolvedMetric }
                : {}),
              errors: errorsOf.get(m.key) ?? [],
              errorRatio: r.errorRatio ?? DEFAULT_ERROR_RATIO_THRESHOLDS,
              ...(r.latency !== undefined ? { latency: r.latency } : {}),
            },
          }
        : {}),
      ...(s.failuresOf !== undefined ? { failuresOf: byKey.get(s.failuresOf) as ResolvedMetric } : {}),
      ...(s.thresholds !== undefined ? { thresholds: s.thresholds } : {}),
      uptime: s.uptime === true,
      utilisation: s.utilisation === true,
    };
    out.set(m.key, meaning);
  }
  cache.set(catalogue, out);
  return out;
}

/** The meaning of one metric of `catalogue`. */
export function meaningOf(catalogue: Catalogue, metric: ResolvedMetric): MetricMeaning {
  const m = meanings(catalogue).get(metric.key);
  if (m === undefined) {
    throw new Error(`meaningOf: metric "${metric.name}" is not in catalogue "${catalogue.name}".`);
  }
  return m;
}
