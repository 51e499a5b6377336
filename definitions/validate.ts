// Definition-time validation. Every error names the metric (or catalogue setting) and the fix,
// so a bad catalogue fails at import / `pulumi preview`, never deep inside a generator.
import {
  labelName,
  nameTokens,
  PER_UNIT_WORDS,
  prometheusName,
  seriesNames,
  UNIT_WORDS,
  unitSuffixes,
} from "./naming";
import type { CatalogueSpec, MetricSpec, ResolvedAttribute, ResolvedMetric } from "./types";
import { METRIC_KINDS } from "./types";

/** Thrown for an invalid catalogue; `problems` lists every problem found, not only the first. */
export class DefinitionError extends Error {
  readonly problems: readonly string[];
  constructor(catalogue: string, problems: readonly string[]) {
    super(
      `Invalid metric catalogue "${catalogue}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "DefinitionError";
    this.problems = problems;
  }
}

export const DEFAULT_CARDINALITY_LIMIT = 2000;
export const DEFAULT_SERIES_BUDGET = 10000;

const OTEL_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9][a-z0-9_]*)*$/;
const PROMETHEUS_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const ATTRIBUTE_KEY = /^[a-z][a-z0-9]*(_[a-z0-9]+)*(\.[a-z][a-z0-9]*(_[a-z0-9]+)*)*$/;
// Labels the pipeline sets itself (job/instance from the resource, le/quantile for histograms).
const RESERVED_LABELS = new Set([
  "job",
  "instance",
  "le",
  "quantile",
  "otel_scope_name",
  "otel_scope_version",
]);

// Tokens that mean a unit: the symbols and words of the translator's tables plus common
// abbreviations. Symbols match case-sensitively (`By`, `ms`); words and abbreviations in any case.
const UNIT_SYMBOLS = new Set(Object.keys(UNIT_WORDS).filter((u) => u !== "1" && u !== "%"));
const UNIT_WORD_TOKENS = new Set(
  [
    ...Object.values(UNIT_WORDS).filter((w) => w !== ""),
    ...Object.values(PER_UNIT_WORDS),
    ...["second", "millisecond", "microsecond", "nanosecond", "minute", "hour", "day", "byte"],
    ...["sec", "secs", "msec", "msecs", "millis", "usec", "usecs", "nsec", "nsecs", "mins", "hr", "hrs"],
    ...["kb", "mb", "gb", "tb", "kib", "mib", "gib", "tib", "kbytes", "mbytes", "gbytes", "pct"],
  ].map((w) => w.toLowerCase()),
);

function isUnitToken(token: string): boolean {
  return UNIT_SYMBOLS.has(token) || UNIT_WORD_TOKENS.has(token.toLowerCase());
}

function describe(key: string, spec: Partial<MetricSpec>): string {
  return typeof spec.name === "string" && spec.name !== ""
    ? `metric "${spec.name}" (key ${key})`
    : `metric key ${key}`;
}

/** Validates one metric; returns its problems and, when it has none, its resolved form. */
function resolveMetric(
  key: string,
  spec: MetricSpec,
  groups: ReadonlySet<string>,
  defaultLimit: number,
): { problems: string[]; metric?: ResolvedMetric } {
  const problems: string[] = [];
  const who = describe(key, spec);
  const naming = spec.naming ?? "otlp";
  if (naming !== "otlp" && naming !== "prometheus") {
    problems.push(`${who}: unknown naming "${String(naming)}". Fix: use "otlp" (default) or "prometheus".`);
  }
  if (typeof spec.name !== "string" || spec.name === "") {
    problems.push(
      `${who}: missing name. Fix: give it an OTel-style dotted name such as "myservice.requests".`,
    );
    return { problems };
  }
  const nameOk = naming === "prometheus" ? PROMETHEUS_NAME.test(spec.name) : OTEL_NAME.test(spec.name);
  if (!nameOk || spec.name.length > 255) {
    problems.push(
      naming === "prometheus"
        ? `${who}: invalid characters in name. Fix: a Prometheus name matches [a-zA-Z_:][a-zA-Z0-9_:]*.`
        : `${who}: invalid characters in name. Fix: use lower-case letters, digits and "_", in dot-separated ` +
            `segments starting with a letter (for example "myservice.http.requests"), at most 255 characters.`,
    );
  }
  if (!METRIC_KINDS.includes(spec.kind)) {
    problems.push(`${who}: unknown kind "${String(spec.kind)}". Fix: use one of ${METRIC_KINDS.join(", ")}.`);
  }
  if (typeof spec.description !== "string" || spec.description.trim() === "") {
    problems.push(`${who}: missing description. Fix: say what it counts or measures, in one sentence.`);
  }
  if (typeof spec.unit !== "string") {
    problems.push(`${who}: missing unit. Fix: give a UCUM unit ("s", "By", "1", "{request}").`);
  }
  if (typeof spec.group !== "string" || !groups.has(spec.group)) {
    problems.push(
      `${who}: unknown dashboard group "${String(spec.group)}". Fix: use one of the catalogue's groups ` +
        `(${[...groups].join(", ")}) or declare it in \`groups\`.`,
    );
  }
  const unit = typeof spec.unit === "string" ? spec.unit : "";
  if (naming === "otlp" && nameOk && typeof spec.unit === "string") {
    const tokens = nameTokens(spec.name);
    const suffix = unitSuffixes(unit).main;
    const doubled = tokens.filter((t) => isUnitToken(t) && t !== suffix);
    if (doubled.length > 0) {
      problems.push(
        `${who}: the name contains the unit word "${doubled.join('", "')}" while its unit is "${unit}"` +
          ` (it would be written as ${prometheusName(spec.name, unit, spec.kind)}). Fix: drop the unit from the name;` +
          ` the unit field adds the suffix.`,
      );
    }
    if (spec.kind === "counter" && tokens[tokens.length - 1]?.toLowerCase() === "total") {
      problems.push(
        `${who}: a counter name must not end in "total": the exporter appends "_total" itself. ` +
          `Fix: rename it to "${spec.name.replace(/[._]?total$/i, "")}".`,
      );
    }
  }
  if (spec.kind === "histogram") {
    const b = spec.buckets;
    if (!Array.isArray(b) || b.length === 0) {
      problems.push(
        `${who}: a histogram needs bucket boundaries. Fix: set \`buckets\` in the metric's unit.`,
      );
    } else if (!b.every((x) => typeof x === "number" && Number.isFinite(x))) {
      problems.push(
        `${who}: histogram buckets must be finite numbers, got [${b.join(", ")}]. Fix: remove NaN/Infinity.`,
      );
    } else if (!b.every((x, i) => i === 0 || x > (b[i - 1] as number))) {
      problems.push(
        `${who}: histogram buckets must be strictly increasing, got [${b.join(", ")}]. Fix: sort them and drop duplicates.`,
      );
    }
  } else if (spec.buckets !== undefined) {
    problems.push(`${who}: only histograms have buckets. Fix: remove \`buckets\` or make it a histogram.`);
  }

  const attributes: ResolvedAttribute[] = [];
  const labels = new Map<string, string>();
  for (const [attrKey, attr] of Object.entries(spec.attributes ?? {})) {
    const where = `${who}, attribute "${attrKey}"`;
    if (!ATTRIBUTE_KEY.test(attrKey)) {
      problems.push(
        `${where}: invalid key. Fix: lower-case letters and digits, words joined by "_", namespaces by "." ` +
          `(for example "error.type").`,
      );
      continue;
    }
    const label = labelName(attrKey);
    if (RESERVED_LABELS.has(label)) {
      problems.push(`${where}: becomes the reserved label "${label}". Fix: choose another key.`);
    }
    const other = labels.get(label);
    if (other !== undefined) {
      problems.push(
        `${where}: collides with attribute "${other}" as label "${label}". Fix: rename one of them.`,
      );
    }
    labels.set(label, attrKey);
    const hasValues = attr.values !== undefined;
    const hasMax = attr.maxValues !== undefined;
    if (hasValues === hasMax) {
      problems.push(
        `${where}: declare either \`values\` (the allowed values) or \`maxValues\` (a bound), exactly one.`,
      );
      continue;
    }
    let cardinality = 0;
    if (hasValues) {
      const values = attr.values as readonly string[];
      const bad = values.filter((v) => typeof v !== "string" || v === "");
      const dupes = values.filter((v, i) => values.indexOf(v) !== i);
      if (values.length === 0 || bad.length > 0 || dupes.length > 0) {
        problems.push(`${where}: \`values\` must be a non-empty list of distinct, non-empty strings.`);
      }
      cardinality = values.length;
    } else {
      const max = attr.maxValues as number;
      if (!Number.isInteger(max) || max < 1) {
        problems.push(`${where}: \`maxValues\` must be a positive integer, got ${String(max)}.`);
      }
      cardinality = max;
    }
    attributes.push({
      key: attrKey,
      label,
      ...(attr.description !== undefined ? { description: attr.description } : {}),
      ...(hasValues ? { values: [...(attr.values as readonly string[])] } : {}),
      cardinality,
    });
  }
  const limit = spec.cardinalityLimit ?? defaultLimit;
  if (!Number.isInteger(limit) || limit < 1) {
    problems.push(`${who}: \`cardinalityLimit\` must be a positive integer, got ${String(limit)}.`);
  }
  const maxSeries = attributes.reduce((n, a) => n * a.cardinality, 1);
  if (maxSeries > limit) {
    problems.push(
      `${who}: its attributes allow ${maxSeries} series (${attributes.map((a) => `${a.key}: ${a.cardinality}`).join(" × ")}),` +
        ` over its cardinality limit of ${limit}. Fix: drop or bound an attribute, or raise \`cardinalityLimit\`.`,
    );
  }
  if (problems.length > 0) return { problems };
  const base = naming === "prometheus" ? spec.name : prometheusName(spec.name, unit, spec.kind);
  const series =
    naming === "prometheus"
      ? spec.kind === "histogram"
        ? [`${base}_bucket`, `${base}_sum`, `${base}_count`]
        : [base]
      : seriesNames(spec.name, unit, spec.kind);
  return {
    problems,
    metric: {
      key,
      name: spec.name,
      kind: spec.kind,
      unit,
      description: spec.description.trim(),
      group: spec.group,
      attributes,
      ...(spec.buckets !== undefined ? { buckets: [...spec.buckets] } : {}),
      cardinalityLimit: limit,
      maxSeries,
      naming,
      zeroWhenAbsent: spec.zeroWhenAbsent === true,
      prometheusName: base,
      seriesNames: series,
    },
  };
}

/** Validates a whole catalogue spec; throws {@link DefinitionError} listing every problem. */
export function validateCatalogue(
  spec: CatalogueSpec<Readonly<Record<string, MetricSpec>>>,
): ResolvedMetric[] {
  const catalogueName = typeof spec?.name === "string" && spec.name !== "" ? spec.name : "(unnamed)";
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]*$/.test(spec?.name ?? "")) {
    problems.push(
      `catalogue name "${String(spec?.name)}": use lower-case letters, digits and "-" (it prefixes dashboard uids).`,
    );
  }
  const groups = new Set(Object.keys(spec?.groups ?? {}));
  if (groups.size === 0)
    problems.push(`catalogue "${catalogueName}": no \`groups\`. Fix: declare at least one dashboard group.`);
  const defaultLimit = spec?.defaultCardinalityLimit ?? DEFAULT_CARDINALITY_LIMIT;
  const budget = spec?.seriesBudget ?? DEFAULT_SERIES_BUDGET;
  const metrics: ResolvedMetric[] = [];
  const byName = new Map<string, string>();
  const bySeries = new Map<string, ResolvedMetric>();
  const entries = Object.entries(spec?.metrics ?? {});
  if (entries.length === 0)
    problems.push(`catalogue "${catalogueName}": no metrics. Fix: define at least one.`);
  for (const [key, m] of entries) {
    const r = resolveMetric(key, m, groups, defaultLimit);
    problems.push(...r.problems);
    if (typeof m?.name === "string") {
      // OTel instrument names are case-insensitive.
      const lower = m.name.toLowerCase();
      const first = byName.get(lower);
      if (first !== undefined) {
        problems.push(
          `${describe(key, m)}: duplicate name, already used by key ${first}. Fix: rename one of them.`,
        );
      } else byName.set(lower, key);
    }
    if (r.metric === undefined) continue;
    for (const s of r.metric.seriesNames) {
      const other = bySeries.get(s);
      if (other !== undefined && other.name.toLowerCase() !== r.metric.name.toLowerCase()) {
        problems.push(
          `${describe(key, m)}: its series "${s}" collides with metric "${other.name}" after Prometheus translation. ` +
            `Fix: rename one of them.`,
        );
      }
      bySeries.set(s, r.metric);
    }
    metrics.push(r.metric);
  }
  for (const g of groups) {
    if (!entries.some(([, m]) => m?.group === g)) {
      problems.push(
        `group "${g}" of catalogue "${catalogueName}" has no metrics. Fix: remove it or put metrics in it.`,
      );
    }
  }
  if (problems.length === 0) {
    const total = metrics.reduce((n, m) => n + m.maxSeries, 0);
    if (total > budget) {
      const top = [...metrics].sort((a, b) => b.maxSeries - a.maxSeries).slice(0, 3);
      problems.push(
        `catalogue "${catalogueName}": its metrics allow ${total} series in all, over the series budget of ${budget}` +
          ` (largest: ${top.map((m) => `${m.name} ${m.maxSeries}`).join(", ")}). Fix: bound those attributes or raise \`seriesBudget\`.`,
      );
    }
  }
  if (problems.length > 0) throw new DefinitionError(catalogueName, problems);
  return metrics;
}
