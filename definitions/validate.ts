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

// ---- rules ----------------------------------------------------------------------------------------
// Each rule is data: an id that prefixes every message it reports (`[metric-kind] metric "x" …`), so
// that a problem names the rule it broke, what the rule requires, and its check. A check is pure and
// returns its messages; the runner prefixes them. A `gate` rule guards the rules after it in its
// list: when it reports, those are not run on that subject (they would read what it found broken).
// The lists run in order, so the problems come in the order a reader meets them in the definition.

/** One validation rule (the shape of weaver's policies: an id, a description, a check). */
export interface ValidationRule<C> {
  /** Kebab-case, unique across all rules; every message of the rule starts with `[id] `. */
  readonly id: string;
  /** What the rule requires, in one sentence. */
  readonly description: string;
  /**
   * The problems `subject` has under this rule (none: it passes). `earlier` holds the problems the
   * rules before it in this run reported (with their ids).
   */
  readonly check: (subject: C, earlier: readonly string[]) => readonly string[];
  /** When this rule reports, the later rules of its list are skipped for this subject. */
  readonly gate?: boolean;
}

/** A rule list applied to each of the parts of a subject (the attributes of a metric, say). */
interface EachStep<C> {
  readonly each: (subject: C) => readonly unknown[];
  readonly rules: readonly Step<unknown>[];
}

type Step<C> = ValidationRule<C> | EachStep<C>;

function each<C, S>(parts: (subject: C) => readonly S[], rules: readonly Step<S>[]): EachStep<C> {
  return { each: parts, rules: rules as readonly Step<unknown>[] };
}

function isRule<C>(step: Step<C>): step is ValidationRule<C> {
  return "id" in step;
}

/** `[id] message`: how every problem names its rule. */
function tagged(id: string, message: string): string {
  return `[${id}] ${message}`;
}

/**
 * Runs `steps` on `subject`, appending the problems to `out` (those already in `out` are `earlier`
 * for the checks). Returns false when a gate rule reported, true otherwise.
 */
function runRules<C>(steps: readonly Step<C>[], subject: C, out: string[]): boolean {
  for (const step of steps) {
    if (!isRule(step)) {
      for (const part of step.each(subject)) runRules(step.rules, part, out);
      continue;
    }
    const found = step.check(subject, out);
    for (const m of found) out.push(tagged(step.id, m));
    if (step.gate === true && found.length > 0) return false;
  }
  return true;
}

/** Whether `subject` passes every gate of `rules` (their other rules do not keep it out). */
function passesGates<C>(rules: readonly ValidationRule<C>[], subject: C): boolean {
  return rules.every((r) => r.gate !== true || r.check(subject, []).length === 0);
}

const none: readonly string[] = [];
const one = (message: string | undefined): readonly string[] => (message === undefined ? none : [message]);

// ---- attributes -----------------------------------------------------------------------------------

/** One entry of a metric's `attributes`, with what the rules read. */
interface AttributeSubject {
  readonly where: string;
  readonly key: string;
  readonly spec: unknown;
  /** `spec` when it is an object; {} otherwise (the gates stop the rules that read it). */
  readonly attr: Readonly<Record<string, unknown>>;
  readonly label: string;
  /** The labels of the entries before it that have a valid key and an object spec (label → key). */
  readonly labelsBefore: ReadonlyMap<string, string>;
}

function validValues(list: unknown): list is string[] {
  return (
    Array.isArray(list) &&
    list.length > 0 &&
    list.every((v) => typeof v === "string" && v !== "") &&
    new Set(list).size === list.length
  );
}

const ATTRIBUTE_RULES: readonly ValidationRule<AttributeSubject>[] = [
  {
    id: "attribute-key",
    description: "An attribute key is lower-case words joined by `_`, namespaces joined by `.`.",
    gate: true,
    check: (a) =>
      ATTRIBUTE_KEY.test(a.key)
        ? none
        : [
            `${a.where}: invalid key. Fix: lower-case letters and digits, words joined by "_", namespaces by "." ` +
              `(for example "error.type").`,
          ],
  },
  {
    id: "attribute-object",
    description: "An attribute is declared by an object: { values } or { maxValues }.",
    gate: true,
    check: (a) =>
      isRecord(a.spec)
        ? none
        : [
            `${a.where}: is ${show(a.spec)}, not an attribute spec. Fix: give { values: ["a", "b"] } or { maxValues: n }.`,
          ],
  },
  {
    id: "attribute-reserved-label",
    description:
      "An attribute's label is none the pipeline sets itself (job, instance, le, quantile, otel_scope_*).",
    check: (a) =>
      RESERVED_LABELS.has(a.label)
        ? [`${a.where}: becomes the reserved label "${a.label}". Fix: choose another key.`]
        : none,
  },
  {
    id: "attribute-label-collision",
    description: "No two attributes of a metric become the same Prometheus label.",
    check: (a) => {
      const other = a.labelsBefore.get(a.label);
      return other === undefined
        ? none
        : [`${a.where}: collides with attribute "${other}" as label "${a.label}". Fix: rename one of them.`];
    },
  },
  {
    id: "attribute-description",
    description: "An attribute's description, when given, is a string.",
    check: (a) =>
      a.attr.description !== undefined && typeof a.attr.description !== "string"
        ? [`${a.where}: its description is ${show(a.attr.description)}. Fix: a string, or leave it out.`]
        : none,
  },
  {
    id: "attribute-optional",
    description: "An attribute's `optional`, when given, is a boolean.",
    check: (a) =>
      a.attr.optional !== undefined && typeof a.attr.optional !== "boolean"
        ? [
            `${a.where}: \`optional\` is ${show(a.attr.optional)}. Fix: true (a recording may leave it out), or leave it out.`,
          ]
        : none,
  },
  {
    id: "attribute-bound",
    description:
      "An attribute declares exactly one of `values` (the allowed values) and `maxValues` (a bound).",
    gate: true,
    check: (a) =>
      (a.attr.values !== undefined) === (a.attr.maxValues !== undefined)
        ? [
            `${a.where}: declare either \`values\` (the allowed values) or \`maxValues\` (a bound), exactly one.`,
          ]
        : none,
  },
  {
    id: "attribute-values",
    description: "An attribute's `values` is a non-empty list of distinct, non-empty strings.",
    gate: true,
    check: (a) => {
      const list: unknown = a.attr.values;
      if (list === undefined || validValues(list)) return none;
      return [
        `${a.where}: \`values\` must be a non-empty list of distinct, non-empty strings` +
          (Array.isArray(list) ? "." : `, got ${show(list)}.`) +
          ` Fix: list the values the attribute may take, such as ["read", "write"].`,
      ];
    },
  },
  {
    id: "attribute-max-values",
    description: "An attribute's `maxValues` is a positive integer.",
    gate: true,
    check: (a) =>
      a.attr.maxValues === undefined || isPositiveInteger(a.attr.maxValues)
        ? none
        : [
            `${a.where}: \`maxValues\` must be a positive integer, got ${show(a.attr.maxValues)}. ` +
              `Fix: the most distinct values the attribute takes.`,
          ],
  },
];

function attributeSubjects(who: string, entries: readonly [string, unknown][]): AttributeSubject[] {
  const labels = new Map<string, string>();
  return entries.map(([key, spec]) => {
    const label = labelName(key);
    const subject: AttributeSubject = {
      where: `${who}, attribute "${key}"`,
      key,
      spec,
      attr: isRecord(spec) ? spec : {},
      label,
      labelsBefore: new Map(labels),
    };
    if (ATTRIBUTE_KEY.test(key) && isRecord(spec)) labels.set(label, key);
    return subject;
  });
}

/** The attribute as the generators see it; only for one that passes the gates. */
function resolveAttribute(a: AttributeSubject): ResolvedAttribute {
  const values = validValues(a.attr.values) ? [...a.attr.values] : undefined;
  return {
    key: a.key,
    label: a.label,
    ...(typeof a.attr.description === "string" ? { description: a.attr.description } : {}),
    ...(values !== undefined ? { values } : {}),
    cardinality: values !== undefined ? values.length : (a.attr.maxValues as number),
  };
}

// ---- metrics --------------------------------------------------------------------------------------

/** One entry of a catalogue's `metrics`, with what the rules read. */
interface MetricSubject {
  readonly key: string;
  readonly raw: unknown;
  readonly who: string;
  /** `raw` when it is an object; {} otherwise (the gate stops the rules that read it). */
  readonly spec: RawMetric;
  readonly naming: unknown;
  /** The name when it is a string; "" otherwise (the gate stops the rules that read it). */
  readonly name: string;
  readonly nameOk: boolean;
  readonly kind: MetricKind | undefined;
  /** The unit when it is a string, else "". */
  readonly unit: string;
  readonly groups: ReadonlySet<string>;
  readonly attributeEntries: readonly [string, unknown][];
  readonly attributeSubjects: readonly AttributeSubject[];
  /** The attributes that pass the attribute gates (the others are reported, and left out). */
  readonly attributes: readonly ResolvedAttribute[];
  /** The metric's `cardinalityLimit` when valid, else the catalogue's default. */
  readonly limit: number;
}

const ATTRIBUTES_EXAMPLE = 'keyed by attribute ({ "error.type": { values: […] } })';

function metricSubject(
  key: string,
  raw: unknown,
  groups: ReadonlySet<string>,
  defaultLimit: number,
): MetricSubject {
  const spec: RawMetric = isRecord(raw) ? raw : {};
  const naming = spec.naming ?? "otlp";
  const name = typeof spec.name === "string" ? spec.name : "";
  const who = describe(key, raw);
  const attributeEntries: [string, unknown][] =
    spec.attributes !== undefined &&
    collectionProblem(spec.attributes, "`attributes`", ATTRIBUTES_EXAMPLE) === undefined
      ? Object.entries(spec.attributes as Readonly<Record<string, unknown>>)
      : [];
  const subjects = attributeSubjects(who, attributeEntries);
  return {
    key,
    raw,
    who,
    spec,
    naming,
    name,
    nameOk: naming === "prometheus" ? PROMETHEUS_NAME.test(name) : OTEL_NAME.test(name),
    kind: (METRIC_KINDS as readonly unknown[]).includes(spec.kind) ? (spec.kind as MetricKind) : undefined,
    unit: typeof spec.unit === "string" ? spec.unit : "",
    groups,
    attributeEntries,
    attributeSubjects: subjects,
    attributes: subjects.filter((a) => passesGates(ATTRIBUTE_RULES, a)).map(resolveAttribute),
    limit: isPositiveInteger(spec.cardinalityLimit) ? spec.cardinalityLimit : defaultLimit,
  };
}

const METRIC_RULES: readonly Step<MetricSubject>[] = [
  {
    id: "metric-key",
    description: 'A metric key is not "__proto__" (the JavaScript prototype, not a property).',
    check: (m) =>
      m.key === "__proto__"
        ? [
            `${m.who}: "__proto__" cannot be a metric key (it is the JavaScript prototype, not a property). ` +
              `Fix: rename the key.`,
          ]
        : none,
  },
  {
    id: "metric-object",
    description: "A metric is declared by an object { name, kind, unit, description, group }.",
    gate: true,
    check: (m) =>
      isRecord(m.raw)
        ? none
        : [
            `${m.who}: is ${show(m.raw)}, not a metric definition. ` +
              `Fix: give an object { name, kind, unit, description, group }.`,
          ],
  },
  {
    id: "metric-naming",
    description: 'A metric\'s `naming` is "otlp" (the default) or "prometheus".',
    check: (m) =>
      m.naming !== "otlp" && m.naming !== "prometheus"
        ? [`${m.who}: unknown naming ${show(m.naming)}. Fix: use "otlp" (default) or "prometheus".`]
        : none,
  },
  {
    id: "metric-name",
    description: "A metric has a name, a non-empty string.",
    gate: true,
    check: (m) => {
      const name = m.spec.name;
      if (typeof name === "string" && name !== "") return none;
      return [
        name === undefined || name === ""
          ? `${m.who}: missing name. Fix: give it an OTel-style dotted name such as "myservice.requests".`
          : `${m.who}: its name is ${show(name)}, not a string. ` +
            `Fix: give it an OTel-style dotted name such as "myservice.requests".`,
      ];
    },
  },
  {
    id: "metric-name-syntax",
    description:
      'A name is dotted lower-case segments (naming "otlp") or a Prometheus name (naming "prometheus"), at most 255 characters.',
    check: (m) =>
      m.nameOk && m.name.length <= 255
        ? none
        : [
            m.naming === "prometheus"
              ? `${m.who}: invalid characters in name. Fix: a Prometheus name matches [a-zA-Z_:][a-zA-Z0-9_:]*.`
              : `${m.who}: invalid characters in name. Fix: use lower-case letters, digits and "_", in dot-separated ` +
                `segments starting with a letter (for example "myservice.http.requests"), at most 255 characters.`,
          ],
  },
  {
    id: "metric-kind",
    description: `A metric's kind is one of ${METRIC_KINDS.join(", ")}.`,
    check: (m) =>
      m.kind === undefined
        ? [`${m.who}: unknown kind ${show(m.spec.kind)}. Fix: use one of ${METRIC_KINDS.join(", ")}.`]
        : none,
  },
  {
    id: "metric-description",
    description: "A metric has a description: what it counts or measures.",
    check: (m) =>
      typeof m.spec.description !== "string" || m.spec.description.trim() === ""
        ? [`${m.who}: missing description. Fix: say what it counts or measures, in one sentence.`]
        : none,
  },
  {
    id: "metric-unit",
    description: "A metric has a unit, a string.",
    check: (m) =>
      typeof m.spec.unit !== "string"
        ? [
            `${m.who}: ${m.spec.unit === undefined ? "missing unit" : `its unit is ${show(m.spec.unit)}, not a string`}. ` +
              `Fix: give a UCUM unit ("s", "By", "1", "{request}").`,
          ]
        : none,
  },
  {
    id: "metric-unit-ucum",
    description: 'A metric\'s unit is a UCUM unit as OpenTelemetry writes it (not a word such as "seconds").',
    check: (m) => {
      const bad = typeof m.spec.unit === "string" ? unitProblem(m.spec.unit) : undefined;
      return bad === undefined ? none : [`${m.who}: ${bad}`];
    },
  },
  {
    id: "metric-group",
    description: "A metric belongs to one of the catalogue's dashboard groups.",
    check: (m) =>
      typeof m.spec.group !== "string" || !m.groups.has(m.spec.group)
        ? [
            `${m.who}: unknown dashboard group ${show(m.spec.group)}. Fix: use one of the catalogue's groups ` +
              `(${[...m.groups].join(", ")}) or declare it in \`groups\`.`,
          ]
        : none,
  },
  {
    id: "metric-zero-when-absent",
    description: "A metric's `zeroWhenAbsent`, when given, is a boolean.",
    check: (m) =>
      m.spec.zeroWhenAbsent !== undefined && typeof m.spec.zeroWhenAbsent !== "boolean"
        ? [
            `${m.who}: \`zeroWhenAbsent\` is ${show(m.spec.zeroWhenAbsent)}. Fix: true, false or leave it out.`,
          ]
        : none,
  },
  {
    id: "metric-name-unit-word",
    description:
      "An OTLP name holds no unit word other than the suffix its unit adds (the unit field adds it).",
    check: (m) => {
      if (m.naming !== "otlp" || !m.nameOk || typeof m.spec.unit !== "string" || m.kind === undefined)
        return none;
      const suffix = unitSuffixes(m.unit).main;
      const doubled = nameTokens(m.name).filter((t) => isUnitToken(t) && t !== suffix);
      return doubled.length === 0
        ? none
        : [
            `${m.who}: the name contains the unit word "${doubled.join('", "')}" while its unit is "${m.unit}"` +
              ` (it would be written as ${prometheusName(m.name, m.unit, m.kind)}). Fix: drop the unit from the name;` +
              ` the unit field adds the suffix.`,
          ];
    },
  },
  {
    id: "metric-name-total",
    description: 'The OTLP name of a kind the exporter suffixes with "_total" does not end in "total".',
    check: (m) => {
      if (m.naming !== "otlp" || !m.nameOk || typeof m.spec.unit !== "string" || m.kind === undefined)
        return none;
      const tokens = nameTokens(m.name);
      return kindFacts(m.kind).totalSuffix && tokens[tokens.length - 1]?.toLowerCase() === "total"
        ? [
            `${m.who}: a counter name must not end in "total": the exporter appends "_total" itself. ` +
              `Fix: rename it to "${m.name.replace(/[._]?total$/i, "")}".`,
          ]
        : none;
    },
  },
  {
    id: "metric-buckets",
    description: "A kind with buckets has bucket boundaries: finite numbers, strictly increasing.",
    check: (m) => {
      const b = m.spec.buckets;
      if (m.kind === undefined || !kindFacts(m.kind).buckets) return none;
      if (!Array.isArray(b) || b.length === 0) {
        return [`${m.who}: a histogram needs bucket boundaries. Fix: set \`buckets\` in the metric's unit.`];
      }
      if (!b.every((x) => typeof x === "number" && Number.isFinite(x))) {
        return [
          `${m.who}: histogram buckets must be finite numbers, got [${b.map(show).join(", ")}]. Fix: remove NaN/Infinity and non-numbers.`,
        ];
      }
      if (!b.every((x, i) => i === 0 || (x as number) > (b[i - 1] as number))) {
        return [
          `${m.who}: histogram buckets must be strictly increasing, got [${b.join(", ")}]. Fix: sort them and drop duplicates.`,
        ];
      }
      return none;
    },
  },
  {
    id: "metric-buckets-kind",
    description: "Only a kind with buckets (a histogram) has `buckets`.",
    check: (m) =>
      m.kind !== undefined && !kindFacts(m.kind).buckets && m.spec.buckets !== undefined
        ? [`${m.who}: only histograms have buckets. Fix: remove \`buckets\` or make it a histogram.`]
        : none,
  },
  {
    id: "metric-attributes",
    description: "A metric's `attributes`, when given, is a plain object keyed by attribute.",
    check: (m) =>
      m.spec.attributes === undefined
        ? none
        : one(collectionProblem(m.spec.attributes, "`attributes`", ATTRIBUTES_EXAMPLE)).map(
            (p) => `${m.who}: ${p}`,
          ),
  },
  each((m: MetricSubject) => m.attributeSubjects, ATTRIBUTE_RULES),
  {
    id: "metric-cardinality-limit",
    description: "A metric's `cardinalityLimit`, when given, is a positive integer.",
    check: (m) =>
      m.spec.cardinalityLimit !== undefined && !isPositiveInteger(m.spec.cardinalityLimit)
        ? [
            `${m.who}: \`cardinalityLimit\` must be a positive integer, got ${show(m.spec.cardinalityLimit)}. ` +
              `Fix: the most attribute sets it may record, or leave it out for the catalogue's default.`,
          ]
        : none,
  },
  {
    id: "metric-cardinality",
    description:
      "The attribute sets a metric can record (each attribute's values, or absent) are within its cardinality limit.",
    check: (m) => {
      const sets = attributeSetCount(m.attributes);
      // Equal to the limit is fine: the run time keeps `limit` sets before it sends new ones to overflow.
      if (sets <= m.limit) return none;
      return [
        `${m.who}: it can record ${sets} attribute sets (each attribute's values, or absent: ` +
          `${m.attributes.map((a) => `${a.key} ${a.cardinality}+1`).join(" × ")}), over its cardinality limit of ${m.limit}` +
          ` (the sets past it go to the otel.metric.overflow series). ` +
          `Fix: drop or bound an attribute, or set \`cardinalityLimit\` to at least ${sets}.`,
      ];
    },
  },
  {
    id: "metric-observed-by",
    description: "A metric's `observedBy`, when given, is a system source the instrumentation observes.",
    gate: true,
    check: (m) => {
      const observedBy = m.spec.observedBy;
      return observedBy !== undefined && !(SYSTEM_SOURCES as readonly unknown[]).includes(observedBy)
        ? [
            `${m.who}: unknown \`observedBy\` ${show(observedBy)}. Fix: one of ${SYSTEM_SOURCES.join(", ")}, ` +
              `or leave it out (the app records the metric).`,
          ]
        : none;
    },
  },
  {
    id: "metric-observed-by-shape",
    description:
      "A metric observed from a system source has the kind, unit and attributes that source gives.",
    // Only on an otherwise valid metric: its shape is then what the rules above resolved.
    check: (m, earlier) => {
      const observedBy = m.spec.observedBy;
      if (observedBy === undefined || earlier.length > 0 || m.kind === undefined) return none;
      const { kind, unit, attributes } = m;
      const needs = observedByProblem(observedBy as SystemSource, { kind, unit, attributes });
      return needs === undefined
        ? none
        : [
            `${m.who}: \`observedBy: "${String(observedBy)}"\` needs ${needs}, but it is a ${kind} in "${unit}"` +
              `${attributes.length > 0 ? ` with attributes ${attributes.map((a) => `"${a.key}"`).join(", ")}` : ""}. ` +
              `Fix: give it that shape, or remove \`observedBy\` and record the metric in the app.`,
          ];
    },
  },
];

/** Validates one metric; returns its problems and, when it has none, its resolved form. */
function resolveMetric(m: MetricSubject): { problems: string[]; metric?: ResolvedMetric } {
  const problems: string[] = [];
  runRules(METRIC_RULES, m, problems);
  const kind = m.kind;
  if (problems.length > 0 || kind === undefined) return { problems };
  const valid = m.raw as MetricSpec;
  const { name, unit } = m;
  const base = m.naming === "prometheus" ? name : prometheusName(name, unit, kind);
  const series = m.naming === "prometheus" ? kindSeries(base, kind) : seriesNames(name, unit, kind);
  return {
    problems,
    metric: {
      key: m.key,
      name,
      kind,
      unit,
      description: valid.description.trim(),
      group: valid.group,
      attributes: [...m.attributes],
      ...(valid.buckets !== undefined ? { buckets: [...valid.buckets] } : {}),
      cardinalityLimit: m.limit,
      maxSeries: m.attributes.reduce((n, a) => n * a.cardinality, 1),
      naming: valid.naming ?? "otlp",
      zeroWhenAbsent: valid.zeroWhenAbsent === true,
      prometheusName: base,
      seriesNames: series,
      ...(valid.observedBy !== undefined ? { observedBy: valid.observedBy } : {}),
    },
  };
}

// ---- across metrics -------------------------------------------------------------------------------

/** A metric entry against the entries before it. */
interface MetricAmongOthers {
  readonly key: string;
  readonly raw: unknown;
  readonly metric: ResolvedMetric | undefined;
  /** Lower-case name → key of the first entry with it (OTel instrument names are case-insensitive). */
  readonly firstKeyByName: ReadonlyMap<string, string>;
  /** Series name → the last valid metric before with it. */
  readonly metricBySeries: ReadonlyMap<string, ResolvedMetric>;
}

const CROSS_METRIC_RULES: readonly ValidationRule<MetricAmongOthers>[] = [
  {
    id: "metric-duplicate-name",
    description: "No two metrics share a name (OTel instrument names are case-insensitive).",
    check: (e) => {
      const name = isRecord(e.raw) ? e.raw.name : undefined;
      const first = typeof name === "string" ? e.firstKeyByName.get(name.toLowerCase()) : undefined;
      return first === undefined
        ? none
        : [
            `${describe(e.key, e.raw)}: duplicate name, already used by key ${first}. Fix: rename one of them.`,
          ];
    },
  },
  {
    id: "metric-series-collision",
    description: "No two metrics write the same series after Prometheus translation.",
    check: (e) =>
      (e.metric?.seriesNames ?? []).flatMap((s) => {
        const other = e.metricBySeries.get(s);
        return other !== undefined && other.name.toLowerCase() !== e.metric?.name.toLowerCase()
          ? [
              `${describe(e.key, e.raw)}: its series "${s}" collides with metric "${other.name}" after Prometheus translation. ` +
                `Fix: rename one of them.`,
            ]
          : [];
      }),
  },
];

// ---- the catalogue --------------------------------------------------------------------------------

/** A catalogue as written, with what the rules read. */
interface CatalogueSubject {
  readonly raw: unknown;
  /** `raw` when it is an object; {} otherwise (the gate stops the rules that read it). */
  readonly spec: Readonly<Record<string, unknown>>;
  readonly name: string;
  readonly groupsProblem: string | undefined;
  readonly groupEntries: readonly GroupSubject[];
  readonly groups: ReadonlySet<string>;
  readonly metricsProblem: string | undefined;
  readonly metricEntries: readonly [string, unknown][];
  readonly defaultLimit: number;
  readonly budget: number;
}

interface GroupSubject {
  readonly catalogue: string;
  readonly key: string;
  readonly spec: unknown;
  /** The catalogue's metric entries (for the empty-group rule). */
  readonly metricEntries: readonly [string, unknown][];
}

/** The catalogue-wide settings: name, default and the catalogue field. */
const SETTINGS = [
  ["defaultCardinalityLimit", DEFAULT_CARDINALITY_LIMIT],
  ["seriesBudget", DEFAULT_SERIES_BUDGET],
] as const;

function catalogueSubject(raw: unknown): CatalogueSubject {
  const spec = isRecord(raw) ? raw : {};
  const name = typeof spec.name === "string" && spec.name !== "" ? spec.name : "(unnamed)";
  const groupsProblem = collectionProblem(
    spec.groups,
    "`groups`",
    'keyed by group ({ api: { title: "API" } })',
  );
  const metricsProblem = collectionProblem(
    spec.metrics,
    "`metrics`",
    "keyed by metric ({ requests: { name, … } })",
  );
  // Missing groups or metrics read as none; one of the wrong shape is reported, and read as none.
  const groupKeys =
    spec.groups !== undefined && groupsProblem !== undefined
      ? []
      : Object.entries((spec.groups ?? {}) as Readonly<Record<string, unknown>>);
  const metricEntries =
    spec.metrics !== undefined && metricsProblem !== undefined
      ? []
      : Object.entries((spec.metrics ?? {}) as Readonly<Record<string, unknown>>);
  const setting = (field: string, fallback: number): number => {
    const v = spec[field];
    return isPositiveInteger(v) ? v : fallback;
  };
  return {
    raw,
    spec,
    name,
    groupsProblem,
    groupEntries: groupKeys.map(([key, g]) => ({ catalogue: name, key, spec: g, metricEntries })),
    groups: new Set(groupKeys.map(([key]) => key)),
    metricsProblem,
    metricEntries,
    defaultLimit: setting("defaultCardinalityLimit", DEFAULT_CARDINALITY_LIMIT),
    budget: setting("seriesBudget", DEFAULT_SERIES_BUDGET),
  };
}

const GROUP_RULES: readonly ValidationRule<GroupSubject>[] = [
  {
    id: "group-title",
    description: "A dashboard group is an object with a title.",
    gate: true,
    check: (g) =>
      !isRecord(g.spec) || typeof g.spec.title !== "string" || g.spec.title.trim() === ""
        ? [
            `group "${g.key}" of catalogue "${g.catalogue}": ${isRecord(g.spec) ? "missing title" : `is ${show(g.spec)}`}. ` +
              `Fix: give { title: "…" }.`,
          ]
        : none,
  },
  {
    id: "group-description",
    description: "A dashboard group's description, when given, is a string.",
    check: (g) => {
      const d = isRecord(g.spec) ? g.spec.description : undefined;
      return d !== undefined && typeof d !== "string"
        ? [
            `group "${g.key}" of catalogue "${g.catalogue}": its description is ${show(d)}. ` +
              `Fix: a string, or leave it out.`,
          ]
        : none;
    },
  },
];

const CATALOGUE_RULES: readonly Step<CatalogueSubject>[] = [
  {
    id: "catalogue-object",
    description: "A catalogue is an object: defineMetrics({ name, groups, metrics }).",
    gate: true,
    check: (c) =>
      isRecord(c.raw)
        ? none
        : [`the catalogue is ${show(c.raw)}, not an object. Fix: defineMetrics({ name, groups, metrics }).`],
  },
  {
    id: "catalogue-name",
    description: 'A catalogue\'s name is lower-case letters, digits and "-" (it prefixes dashboard uids).',
    check: (c) =>
      typeof c.spec.name !== "string" || !/^[a-z][a-z0-9-]*$/.test(c.spec.name)
        ? [
            `catalogue name ${show(c.spec.name)}: use lower-case letters, digits and "-" (it prefixes dashboard uids).`,
          ]
        : none,
  },
  {
    id: "catalogue-title",
    description: "A catalogue's title, when given, is a string.",
    check: (c) =>
      c.spec.title !== undefined && typeof c.spec.title !== "string"
        ? [`catalogue "${c.name}": \`title\` is ${show(c.spec.title)}. Fix: a string, or leave it out.`]
        : none,
  },
  {
    id: "catalogue-groups",
    description: "A catalogue's `groups` is a plain object keyed by group.",
    check: (c) =>
      c.spec.groups !== undefined && c.groupsProblem !== undefined
        ? [`catalogue "${c.name}": ${c.groupsProblem}`]
        : none,
  },
  each((c: CatalogueSubject) => c.groupEntries, GROUP_RULES),
  {
    id: "catalogue-has-groups",
    description: "A catalogue declares at least one dashboard group.",
    check: (c) =>
      c.groups.size === 0 && c.groupsProblem === undefined
        ? [`catalogue "${c.name}": no \`groups\`. Fix: declare at least one dashboard group.`]
        : none,
  },
  {
    id: "catalogue-setting",
    description:
      "A catalogue's `defaultCardinalityLimit` and `seriesBudget`, when given, are positive integers.",
    check: (c) =>
      SETTINGS.flatMap(([field, fallback]) => {
        const value = c.spec[field];
        return value === undefined || isPositiveInteger(value)
          ? []
          : [
              `catalogue "${c.name}": \`${field}\` must be a positive integer, got ${show(value)}. ` +
                `Fix: set one, or leave it out for ${fallback}.`,
            ];
      }),
  },
  {
    id: "catalogue-metrics",
    description: "A catalogue's `metrics` is a plain object keyed by metric.",
    check: (c) =>
      c.spec.metrics !== undefined && c.metricsProblem !== undefined
        ? [`catalogue "${c.name}": ${c.metricsProblem}`]
        : none,
  },
  {
    id: "catalogue-has-metrics",
    description: "A catalogue defines at least one metric.",
    check: (c) =>
      (c.spec.metrics === undefined || c.metricsProblem === undefined) && c.metricEntries.length === 0
        ? [`catalogue "${c.name}": no metrics. Fix: define at least one.`]
        : none,
  },
];

/** A valid catalogue's metrics, against its series budget. */
interface CatalogueMetrics {
  readonly catalogue: CatalogueSubject;
  readonly metrics: readonly ResolvedMetric[];
}

const CATALOGUE_FINAL_RULES: readonly Step<CatalogueMetrics>[] = [
  each(
    (c: CatalogueMetrics) => c.catalogue.groupEntries,
    [
      {
        id: "group-empty",
        description: "Every dashboard group has metrics.",
        check: (g: GroupSubject) =>
          g.metricEntries.some(([, m]) => isRecord(m) && m.group === g.key)
            ? none
            : [
                `group "${g.key}" of catalogue "${g.catalogue}" has no metrics. Fix: remove it or put metrics in it.`,
              ],
      },
    ],
  ),
  {
    id: "catalogue-series-budget",
    description:
      "The attribute sets all metrics can record together are within the catalogue's series budget.",
    // Only on an otherwise valid catalogue: the counts are then the resolved metrics'.
    check: (c, earlier) => {
      if (earlier.length > 0) return none;
      // Counted as the run time counts them (absent attributes included), like each metric's limit.
      const setsOf = (m: ResolvedMetric) => attributeSetCount(m.attributes);
      const total = c.metrics.reduce((n, m) => n + setsOf(m), 0);
      if (total <= c.catalogue.budget) return none;
      const top = [...c.metrics].sort((a, b) => setsOf(b) - setsOf(a)).slice(0, 3);
      return [
        `catalogue "${c.catalogue.name}": its metrics can record ${total} attribute sets (series) in all, over the series budget of ${c.catalogue.budget}` +
          ` (largest: ${top.map((m) => `${m.name} ${setsOf(m)}`).join(", ")}). Fix: bound those attributes or raise \`seriesBudget\`.`,
      ];
    },
  },
];

function rulesOf(steps: readonly Step<never>[]): ValidationRule<never>[] {
  return steps.flatMap((s) => (isRule(s) ? [s] : rulesOf(s.rules as readonly Step<never>[])));
}

/**
 * Every rule of the catalogue validation, in the order they run: the id each problem message starts
 * with (`[metric-kind] …`) and what the rule requires.
 */
export const VALIDATION_RULES: readonly { readonly id: string; readonly description: string }[] =
  Object.freeze(
    [
      ...rulesOf(CATALOGUE_RULES as readonly Step<never>[]),
      ...rulesOf(METRIC_RULES as readonly Step<never>[]),
      ...rulesOf(CROSS_METRIC_RULES as readonly Step<never>[]),
      ...rulesOf(CATALOGUE_FINAL_RULES as readonly Step<never>[]),
    ].map((r) => Object.freeze({ id: r.id, description: r.description })),
  );

/** Validates a whole catalogue spec; throws {@link DefinitionError} listing every problem. */
export function validateCatalogue(
  spec: CatalogueSpec<Readonly<Record<string, MetricSpec>>>,
): ResolvedMetric[] {
  const c = catalogueSubject(spec);
  const problems: string[] = [];
  if (!runRules(CATALOGUE_RULES, c, problems)) throw new DefinitionError(c.name, problems);
  const metrics: ResolvedMetric[] = [];
  const firstKeyByName = new Map<string, string>();
  const metricBySeries = new Map<string, ResolvedMetric>();
  for (const [key, raw] of c.metricEntries) {
    const r = resolveMetric(metricSubject(key, raw, c.groups, c.defaultLimit));
    problems.push(...r.problems);
    runRules(CROSS_METRIC_RULES, { key, raw, metric: r.metric, firstKeyByName, metricBySeries }, problems);
    const name = isRecord(raw) ? raw.name : undefined;
    if (typeof name === "string" && !firstKeyByName.has(name.toLowerCase()))
      firstKeyByName.set(name.toLowerCase(), key);
    if (r.metric === undefined) continue;
    for (const s of r.metric.seriesNames) metricBySeries.set(s, r.metric);
    metrics.push(r.metric);
  }
  runRules(CATALOGUE_FINAL_RULES, { catalogue: c, metrics }, problems);
  if (problems.length > 0) throw new DefinitionError(c.name, problems);
  return metrics;
}
