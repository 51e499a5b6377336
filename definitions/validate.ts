// Definition-time validation. Every error names the metric (or catalogue setting) and the fix,
// so a bad catalogue fails at import / `pulumi preview`, never deep inside a generator.
import {
  labelName,
  nameTokens,
  PER_UNIT_WORDS,
  prometheusName,
  seriesNames,
  unitProblem,
  UNIT_WORDS,
  unitSuffixes,
} from "./naming";
import type {
  CatalogueSpec,
  MetricKind,
  MetricSpec,
  ResolvedAttribute,
  ResolvedMetric,
  SystemSource,
} from "./types";
import { kindFacts, kindSeries, METRIC_KINDS } from "./kinds";
import { PROCESS_MEMORY_TYPES, SYSTEM_SOURCES } from "./types";

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

/** A value as a message shows it; never throws (String() does for Symbol and null-prototype objects). */
function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "symbol") return v.toString();
  if (typeof v === "object") return "an object";
  if (typeof v === "function") return "a function";
  return String(v);
}

function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Why `value` cannot be a keyed collection (`metrics`, `groups`, `attributes`), or undefined. A
 * `__proto__: {…}` entry in an object literal sets the prototype instead of adding a key, so such an
 * entry would vanish silently: an object whose prototype is not some realm's Object.prototype is refused.
 */
function collectionProblem(value: unknown, what: string, example: string): string | undefined {
  if (!isRecord(value)) return `${what} must be an object ${example}, got ${show(value)}. Fix: write it so.`;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== null && Object.getPrototypeOf(proto) !== null) {
    return (
      `${what} has a prototype of its own (an entry "__proto__" in an object literal sets the prototype ` +
      `instead of adding an entry). Fix: rename the "__proto__" entry.`
    );
  }
  if (Object.hasOwn(value, "__proto__")) {
    return `${what} has an entry "__proto__", which cannot be a key of a JavaScript object. Fix: rename it.`;
  }
  return undefined;
}

function isPositiveInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 1;
}

/**
 * The attribute sets a metric can record at run time: every attribute takes one of its values or is
 * absent (attributes are optional), so each counts its values + 1. The empty set is one of them.
 */
export function attributeSetCount(attributes: readonly Pick<ResolvedAttribute, "cardinality">[]): number {
  return attributes.reduce((n, a) => n * (a.cardinality + 1), 1);
}

function describe(key: string, spec: unknown): string {
  const name = isRecord(spec) ? spec.name : undefined;
  return typeof name === "string" && name !== "" ? `metric "${name}" (key ${key})` : `metric key ${key}`;
}

/**
 * Why a valid metric cannot be observed from `source`, or undefined when its kind, unit and attributes
 * fit what the instrumentation module observes (see {@link SystemSource}).
 */
export function observedByProblem(
  source: SystemSource,
  metric: Pick<ResolvedMetric, "kind" | "unit" | "attributes">,
): string | undefined {
  const { kind, unit, attributes } = metric;
  // Which kinds a source can be observed as is the kinds table's; the unit and attributes are the source's.
  const kindFits = kindFacts(kind).observableFrom.includes(source);
  switch (source) {
    case "process.memory": {
      const attr = attributes[0];
      const fits =
        kindFits &&
        unit === "By" &&
        attributes.length === 1 &&
        attr?.key === "memory.type" &&
        attr.values !== undefined &&
        attr.values.every((v) => (PROCESS_MEMORY_TYPES as readonly string[]).includes(v));
      return fits
        ? undefined
        : `a gauge with unit "By" and one attribute "memory.type" whose values are among ${PROCESS_MEMORY_TYPES.join(", ")}`;
    }
    case "process.cpu":
      return kindFits && (unit === "%" || unit === "1") && attributes.length === 0
        ? undefined
        : `a gauge with unit "%" (percent of one core) or "1" (fraction of one core) and no attributes`;
    case "process.uptime":
      return kindFits && unit === "s" && attributes.length === 0
        ? undefined
        : `a counter or gauge with unit "s" and no attributes`;
  }
}

/** A metric as written, before validation: any field may be missing or of the wrong type. */
type RawMetric = { readonly [K in keyof MetricSpec]?: unknown };

/** Validates one metric; returns its problems and, when it has none, its resolved form. */
function resolveMetric(
  key: string,
  raw: unknown,
  groups: ReadonlySet<string>,
  defaultLimit: number,
): { problems: string[]; metric?: ResolvedMetric } {
  const problems: string[] = [];
  const who = describe(key, raw);
  if (key === "__proto__") {
    problems.push(
      `${who}: "__proto__" cannot be a metric key (it is the JavaScript prototype, not a property). ` +
        `Fix: rename the key.`,
    );
  }
  if (!isRecord(raw)) {
    problems.push(
      `${who}: is ${show(raw)}, not a metric definition. ` +
        `Fix: give an object { name, kind, unit, description, group }.`,
    );
    return { problems };
  }
  const spec: RawMetric = raw;
  const naming = spec.naming ?? "otlp";
  if (naming !== "otlp" && naming !== "prometheus") {
    problems.push(`${who}: unknown naming ${show(naming)}. Fix: use "otlp" (default) or "prometheus".`);
  }
  if (typeof spec.name !== "string" || spec.name === "") {
    problems.push(
      spec.name === undefined || spec.name === ""
        ? `${who}: missing name. Fix: give it an OTel-style dotted name such as "myservice.requests".`
        : `${who}: its name is ${show(spec.name)}, not a string. ` +
            `Fix: give it an OTel-style dotted name such as "myservice.requests".`,
    );
    return { problems };
  }
  const name = spec.name;
  const kind = (METRIC_KINDS as readonly unknown[]).includes(spec.kind)
    ? (spec.kind as MetricKind)
    : undefined;
  const nameOk = naming === "prometheus" ? PROMETHEUS_NAME.test(name) : OTEL_NAME.test(name);
  if (!nameOk || name.length > 255) {
    problems.push(
      naming === "prometheus"
        ? `${who}: invalid characters in name. Fix: a Prometheus name matches [a-zA-Z_:][a-zA-Z0-9_:]*.`
        : `${who}: invalid characters in name. Fix: use lower-case letters, digits and "_", in dot-separated ` +
            `segments starting with a letter (for example "myservice.http.requests"), at most 255 characters.`,
    );
  }
  if (kind === undefined) {
    problems.push(`${who}: unknown kind ${show(spec.kind)}. Fix: use one of ${METRIC_KINDS.join(", ")}.`);
  }
  if (typeof spec.description !== "string" || spec.description.trim() === "") {
    problems.push(`${who}: missing description. Fix: say what it counts or measures, in one sentence.`);
  }
  if (typeof spec.unit !== "string") {
    problems.push(
      `${who}: ${spec.unit === undefined ? "missing unit" : `its unit is ${show(spec.unit)}, not a string`}. ` +
        `Fix: give a UCUM unit ("s", "By", "1", "{request}").`,
    );
  }
  const badUnit = typeof spec.unit === "string" ? unitProblem(spec.unit) : undefined;
  if (badUnit !== undefined) problems.push(`${who}: ${badUnit}`);
  if (typeof spec.group !== "string" || !groups.has(spec.group)) {
    problems.push(
      `${who}: unknown dashboard group ${show(spec.group)}. Fix: use one of the catalogue's groups ` +
        `(${[...groups].join(", ")}) or declare it in \`groups\`.`,
    );
  }
  if (spec.zeroWhenAbsent !== undefined && typeof spec.zeroWhenAbsent !== "boolean") {
    problems.push(
      `${who}: \`zeroWhenAbsent\` is ${show(spec.zeroWhenAbsent)}. Fix: true, false or leave it out.`,
    );
  }
  const unit = typeof spec.unit === "string" ? spec.unit : "";
  if (naming === "otlp" && nameOk && typeof spec.unit === "string" && kind !== undefined) {
    const tokens = nameTokens(name);
    const suffix = unitSuffixes(unit).main;
    const doubled = tokens.filter((t) => isUnitToken(t) && t !== suffix);
    if (doubled.length > 0) {
      problems.push(
        `${who}: the name contains the unit word "${doubled.join('", "')}" while its unit is "${unit}"` +
          ` (it would be written as ${prometheusName(name, unit, kind)}). Fix: drop the unit from the name;` +
          ` the unit field adds the suffix.`,
      );
    }
    if (kindFacts(kind).totalSuffix && tokens[tokens.length - 1]?.toLowerCase() === "total") {
      problems.push(
        `${who}: a counter name must not end in "total": the exporter appends "_total" itself. ` +
          `Fix: rename it to "${name.replace(/[._]?total$/i, "")}".`,
      );
    }
  }
  const b = spec.buckets;
  if (kind !== undefined && kindFacts(kind).buckets) {
    if (!Array.isArray(b) || b.length === 0) {
      problems.push(
        `${who}: a histogram needs bucket boundaries. Fix: set \`buckets\` in the metric's unit.`,
      );
    } else if (!b.every((x) => typeof x === "number" && Number.isFinite(x))) {
      problems.push(
        `${who}: histogram buckets must be finite numbers, got [${b.map(show).join(", ")}]. Fix: remove NaN/Infinity and non-numbers.`,
      );
    } else if (!b.every((x, i) => i === 0 || (x as number) > (b[i - 1] as number))) {
      problems.push(
        `${who}: histogram buckets must be strictly increasing, got [${b.join(", ")}]. Fix: sort them and drop duplicates.`,
      );
    }
  } else if (b !== undefined && kind !== undefined) {
    problems.push(`${who}: only histograms have buckets. Fix: remove \`buckets\` or make it a histogram.`);
  }

  const attributes: ResolvedAttribute[] = [];
  const labels = new Map<string, string>();
  let attributeEntries: [string, unknown][] = [];
  if (spec.attributes !== undefined) {
    const bad = collectionProblem(
      spec.attributes,
      "`attributes`",
      'keyed by attribute ({ "error.type": { values: […] } })',
    );
    if (bad !== undefined) problems.push(`${who}: ${bad}`);
    else attributeEntries = Object.entries(spec.attributes as Readonly<Record<string, unknown>>);
  }
  for (const [attrKey, attr] of attributeEntries) {
    const where = `${who}, attribute "${attrKey}"`;
    if (!ATTRIBUTE_KEY.test(attrKey)) {
      problems.push(
        `${where}: invalid key. Fix: lower-case letters and digits, words joined by "_", namespaces by "." ` +
          `(for example "error.type").`,
      );
      continue;
    }
    if (!isRecord(attr)) {
      problems.push(
        `${where}: is ${show(attr)}, not an attribute spec. Fix: give { values: ["a", "b"] } or { maxValues: n }.`,
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
    if (attr.description !== undefined && typeof attr.description !== "string") {
      problems.push(
        `${where}: its description is ${show(attr.description)}. Fix: a string, or leave it out.`,
      );
    }
    if (attr.optional !== undefined && typeof attr.optional !== "boolean") {
      problems.push(
        `${where}: \`optional\` is ${show(attr.optional)}. Fix: true (a recording may leave it out), or leave it out.`,
      );
    }
    const hasValues = attr.values !== undefined;
    const hasMax = attr.maxValues !== undefined;
    if (hasValues === hasMax) {
      problems.push(
        `${where}: declare either \`values\` (the allowed values) or \`maxValues\` (a bound), exactly one.`,
      );
      continue;
    }
    let cardinality = 0;
    let values: string[] | undefined;
    if (hasValues) {
      const list: unknown = attr.values;
      const ok =
        Array.isArray(list) &&
        list.length > 0 &&
        list.every((v) => typeof v === "string" && v !== "") &&
        new Set(list).size === list.length;
      if (!ok) {
        problems.push(
          `${where}: \`values\` must be a non-empty list of distinct, non-empty strings` +
            (Array.isArray(list) ? "." : `, got ${show(list)}.`) +
            ` Fix: list the values the attribute may take, such as ["read", "write"].`,
        );
        continue;
      }
      values = [...(list as string[])];
      cardinality = values.length;
    } else {
      if (!isPositiveInteger(attr.maxValues)) {
        problems.push(
          `${where}: \`maxValues\` must be a positive integer, got ${show(attr.maxValues)}. ` +
            `Fix: the most distinct values the attribute takes.`,
        );
        continue;
      }
      cardinality = attr.maxValues;
    }
    attributes.push({
      key: attrKey,
      label,
      ...(typeof attr.description === "string" ? { description: attr.description } : {}),
      ...(values !== undefined ? { values } : {}),
      cardinality,
    });
  }
  let limit = defaultLimit;
  if (spec.cardinalityLimit !== undefined) {
    if (isPositiveInteger(spec.cardinalityLimit)) limit = spec.cardinalityLimit;
    else {
      problems.push(
        `${who}: \`cardinalityLimit\` must be a positive integer, got ${show(spec.cardinalityLimit)}. ` +
          `Fix: the most attribute sets it may record, or leave it out for the catalogue's default.`,
      );
    }
  }
  const sets = attributeSetCount(attributes);
  // Equal to the limit is fine: the run time keeps `limit` sets before it sends new ones to overflow.
  if (sets > limit) {
    problems.push(
      `${who}: it can record ${sets} attribute sets (each attribute's values, or absent: ` +
        `${attributes.map((a) => `${a.key} ${a.cardinality}+1`).join(" × ")}), over its cardinality limit of ${limit}` +
        ` (the sets past it go to the otel.metric.overflow series). ` +
        `Fix: drop or bound an attribute, or set \`cardinalityLimit\` to at least ${sets}.`,
    );
  }
  const observedBy = spec.observedBy;
  if (observedBy !== undefined && !(SYSTEM_SOURCES as readonly unknown[]).includes(observedBy)) {
    problems.push(
      `${who}: unknown \`observedBy\` ${show(observedBy)}. Fix: one of ${SYSTEM_SOURCES.join(", ")}, ` +
        `or leave it out (the app records the metric).`,
    );
  } else if (observedBy !== undefined && problems.length === 0 && kind !== undefined) {
    const needs = observedByProblem(observedBy as SystemSource, { kind, unit, attributes });
    if (needs !== undefined) {
      problems.push(
        `${who}: \`observedBy: "${String(observedBy)}"\` needs ${needs}, but it is a ${kind} in "${unit}"` +
          `${attributes.length > 0 ? ` with attributes ${attributes.map((a) => `"${a.key}"`).join(", ")}` : ""}. ` +
          `Fix: give it that shape, or remove \`observedBy\` and record the metric in the app.`,
      );
    }
  }
  if (problems.length > 0 || kind === undefined) return { problems };
  const valid = raw as unknown as MetricSpec;
  const base = naming === "prometheus" ? name : prometheusName(name, unit, kind);
  const series = naming === "prometheus" ? kindSeries(base, kind) : seriesNames(name, unit, kind);
  return {
    problems,
    metric: {
      key,
      name,
      kind,
      unit,
      description: valid.description.trim(),
      group: valid.group,
      attributes,
      ...(valid.buckets !== undefined ? { buckets: [...valid.buckets] } : {}),
      cardinalityLimit: limit,
      maxSeries: attributes.reduce((n, a) => n * a.cardinality, 1),
      naming: valid.naming ?? "otlp",
      zeroWhenAbsent: valid.zeroWhenAbsent === true,
      prometheusName: base,
      seriesNames: series,
      ...(valid.observedBy !== undefined ? { observedBy: valid.observedBy } : {}),
    },
  };
}

/** Validates a whole catalogue spec; throws {@link DefinitionError} listing every problem. */
export function validateCatalogue(
  spec: CatalogueSpec<Readonly<Record<string, MetricSpec>>>,
): ResolvedMetric[] {
  const raw: unknown = spec;
  if (!isRecord(raw)) {
    throw new DefinitionError("(unnamed)", [
      `the catalogue is ${show(raw)}, not an object. Fix: defineMetrics({ name, groups, metrics }).`,
    ]);
  }
  const catalogueName = typeof raw.name === "string" && raw.name !== "" ? raw.name : "(unnamed)";
  const problems: string[] = [];
  if (typeof raw.name !== "string" || !/^[a-z][a-z0-9-]*$/.test(raw.name)) {
    problems.push(
      `catalogue name ${show(raw.name)}: use lower-case letters, digits and "-" (it prefixes dashboard uids).`,
    );
  }
  if (raw.title !== undefined && typeof raw.title !== "string") {
    problems.push(
      `catalogue "${catalogueName}": \`title\` is ${show(raw.title)}. Fix: a string, or leave it out.`,
    );
  }
  const groups = new Set<string>();
  const groupsBad = collectionProblem(raw.groups, "`groups`", 'keyed by group ({ api: { title: "API" } })');
  if (raw.groups !== undefined && groupsBad !== undefined) {
    problems.push(`catalogue "${catalogueName}": ${groupsBad}`);
  } else {
    for (const [key, g] of Object.entries((raw.groups ?? {}) as Readonly<Record<string, unknown>>)) {
      groups.add(key);
      if (!isRecord(g) || typeof g.title !== "string" || g.title.trim() === "") {
        problems.push(
          `group "${key}" of catalogue "${catalogueName}": ${isRecord(g) ? "missing title" : `is ${show(g)}`}. ` +
            `Fix: give { title: "…" }.`,
        );
      } else if (g.description !== undefined && typeof g.description !== "string") {
        problems.push(
          `group "${key}" of catalogue "${catalogueName}": its description is ${show(g.description)}. ` +
            `Fix: a string, or leave it out.`,
        );
      }
    }
  }
  if (groups.size === 0 && groupsBad === undefined)
    problems.push(`catalogue "${catalogueName}": no \`groups\`. Fix: declare at least one dashboard group.`);
  const settings: [string, unknown, number][] = [
    ["defaultCardinalityLimit", raw.defaultCardinalityLimit, DEFAULT_CARDINALITY_LIMIT],
    ["seriesBudget", raw.seriesBudget, DEFAULT_SERIES_BUDGET],
  ];
  const [defaultLimit, budget] = settings.map(([setting, value, fallback]) => {
    if (value === undefined) return fallback;
    if (isPositiveInteger(value)) return value;
    problems.push(
      `catalogue "${catalogueName}": \`${setting}\` must be a positive integer, got ${show(value)}. ` +
        `Fix: set one, or leave it out for ${fallback}.`,
    );
    return fallback;
  }) as [number, number];
  const metrics: ResolvedMetric[] = [];
  const byName = new Map<string, string>();
  const bySeries = new Map<string, ResolvedMetric>();
  let entries: [string, unknown][] = [];
  const metricsBad = collectionProblem(
    raw.metrics,
    "`metrics`",
    "keyed by metric ({ requests: { name, … } })",
  );
  if (raw.metrics !== undefined && metricsBad !== undefined) {
    problems.push(`catalogue "${catalogueName}": ${metricsBad}`);
  } else {
    entries = Object.entries((raw.metrics ?? {}) as Readonly<Record<string, unknown>>);
    if (entries.length === 0)
      problems.push(`catalogue "${catalogueName}": no metrics. Fix: define at least one.`);
  }
  for (const [key, m] of entries) {
    const r = resolveMetric(key, m, groups, defaultLimit);
    problems.push(...r.problems);
    const name = isRecord(m) ? m.name : undefined;
    if (typeof name === "string") {
      // OTel instrument names are case-insensitive.
      const lower = name.toLowerCase();
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
    if (!entries.some(([, m]) => isRecord(m) && m.group === g)) {
      problems.push(
        `group "${g}" of catalogue "${catalogueName}" has no metrics. Fix: remove it or put metrics in it.`,
      );
    }
  }
  if (problems.length === 0) {
    // Counted as the run time counts them (absent attributes included), like each metric's limit.
    const setsOf = (m: ResolvedMetric) => attributeSetCount(m.attributes);
    const total = metrics.reduce((n, m) => n + setsOf(m), 0);
    if (total > budget) {
      const top = [...metrics].sort((a, b) => setsOf(b) - setsOf(a)).slice(0, 3);
      problems.push(
        `catalogue "${catalogueName}": its metrics can record ${total} attribute sets (series) in all, over the series budget of ${budget}` +
          ` (largest: ${top.map((m) => `${m.name} ${setsOf(m)}`).join(", ")}). Fix: bound those attributes or raise \`seriesBudget\`.`,
      );
    }
  }
  if (problems.length > 0) throw new DefinitionError(catalogueName, problems);
  return metrics;
}
