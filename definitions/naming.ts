// OTLP → Prometheus naming, as the collector's `prometheusremotewrite` exporter does it with the
// default translation strategy UnderscoreEscapingWithSuffixes (prometheus/otlptranslator,
// metric_namer.go). Kept dependency-free: apps import this module.
import { kindFacts, kindSeries } from "./kinds";
import type { MetricKind } from "./types";

/** Main-unit symbol → Prometheus suffix word (otlptranslator `unitMap`). */
export const UNIT_WORDS: Readonly<Record<string, string>> = Object.freeze({
  // time
  d: "days",
  h: "hours",
  min: "minutes",
  s: "seconds",
  ms: "milliseconds",
  us: "microseconds",
  ns: "nanoseconds",
  // bytes
  By: "bytes",
  KiBy: "kibibytes",
  MiBy: "mebibytes",
  GiBy: "gibibytes",
  TiBy: "tibibytes",
  KBy: "kilobytes",
  MBy: "megabytes",
  GBy: "gigabytes",
  TBy: "terabytes",
  // SI
  m: "meters",
  V: "volts",
  A: "amperes",
  J: "joules",
  W: "watts",
  g: "grams",
  // misc
  Cel: "celsius",
  Hz: "hertz",
  "1": "",
  "%": "percent",
});

/** "per" unit symbol → word (otlptranslator `perUnitMap`). */
export const PER_UNIT_WORDS: Readonly<Record<string, string>> = Object.freeze({
  s: "second",
  m: "minute",
  h: "hour",
  d: "day",
  w: "week",
  mo: "month",
  y: "year",
});

/** A table lookup that ignores Object.prototype (a unit "constructor" or "toString" is a unit as written). */
function ownWord(table: Readonly<Record<string, string>>, symbol: string): string | undefined {
  return Object.hasOwn(table, symbol) ? table[symbol] : undefined;
}

const INVALID_METRIC_CHARS = /[^a-zA-Z0-9:_]/g;
const MULTIPLE_UNDERSCORES = /_+/g;

/** Split on every character outside [a-zA-Z0-9:]; `_` splits too, empty tokens vanish. */
export function nameTokens(name: string): string[] {
  return name.split(/[^a-zA-Z0-9:]+/).filter((t) => t.length > 0);
}

function cleanUpUnit(unit: string): string {
  return unit.replace(INVALID_METRIC_CHARS, "_").replace(MULTIPLE_UNDERSCORES, "_").replace(/^_/, "");
}

/**
 * The suffix words a unit adds: `main` for the unit (or its numerator), `per` for the part after `/`
 * (already prefixed with `per_`). Units in `{braces}` and `1` add nothing.
 */
export function unitSuffixes(unit: string): { main: string; per: string } {
  const slash = unit.indexOf("/");
  const mainOtel = (slash >= 0 ? unit.slice(0, slash) : unit).trim();
  const perOtel = slash >= 0 ? unit.slice(slash + 1).trim() : "";
  let main = "";
  if (mainOtel !== "" && !/[{}]/.test(mainOtel)) main = ownWord(UNIT_WORDS, mainOtel) ?? mainOtel;
  let per = "";
  if (perOtel !== "" && !/[{}]/.test(perOtel)) {
    const word = ownWord(PER_UNIT_WORDS, perOtel) ?? perOtel;
    if (word !== "") per = `per_${word}`;
  }
  return { main: cleanUpUnit(main).replace(/_$/, ""), per: cleanUpUnit(per).replace(/_$/, "") };
}

/**
 * The series base name that the collector's prometheusremotewrite exporter writes for an OTLP
 * metric. Histograms then get `_bucket`, `_sum` and `_count` (see {@link seriesNames}).
 */
export function prometheusName(name: string, unit: string, kind: MetricKind): string {
  let tokens = nameTokens(name);
  const { main, per } = unitSuffixes(unit);
  // A suffix already present as a token is not added again.
  if (main !== "" && !tokens.includes(main)) tokens.push(main);
  if (per !== "" && per !== "per_" && !tokens.includes(per)) tokens.push(per);
  const facts = kindFacts(kind);
  if (facts.totalSuffix) tokens = [...tokens.filter((t) => t !== "total"), "total"];
  if (unit === "1" && facts.dimensionlessIsRatio) tokens = [...tokens.filter((t) => t !== "ratio"), "ratio"];
  let out = tokens.join("_");
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

/** The concrete series names a metric produces in VictoriaMetrics. */
export function seriesNames(name: string, unit: string, kind: MetricKind): string[] {
  return kindSeries(prometheusName(name, unit, kind), kind);
}

/** The Prometheus label name for an OTel attribute key (invalid characters become `_`). */
export function labelName(key: string): string {
  let out = key.replace(/[^a-zA-Z0-9_]/g, "_");
  if (/^[0-9]/.test(out)) out = `key_${out}`;
  else if (out.startsWith("_") && !out.startsWith("__")) out = `key${out}`;
  return out;
}

// UCUM (case-sensitive form), as OpenTelemetry uses it for `unit`: symbols such as `s`, `ms`, `By`,
// `KiBy`, `1`, `%`, products and quotients (`By/s`, `m.s-2`) and `{annotation}`s for counts of things
// (`{request}`, `{request}/s`). Checked so that a unit written as a word (`seconds`, `bytes`), which
// the collector would pass through as written and dashboards would not recognise, fails at definition.

/** UCUM atoms that take a metric prefix (`ms`, `kBy`, `MiBy`, `kHz`, …). */
const UCUM_METRIC_ATOMS: ReadonlySet<string> = new Set([
  ...["m", "s", "g", "rad", "K", "C", "cd", "mol", "sr", "Hz", "N", "Pa", "J", "W", "A", "V", "F"],
  ...["Ohm", "S", "Wb", "Cel", "T", "H", "lm", "lx", "Bq", "Gy", "Sv", "l", "L", "t", "bar", "eV"],
  ...["cal", "bit", "By", "Bd"],
]);
/** UCUM atoms without prefixes: time beyond the hour, percent, degree, parts per. */
const UCUM_PLAIN_ATOMS: ReadonlySet<string> = new Set(["min", "h", "d", "wk", "mo", "a", "%", "deg"]);
const UCUM_SPECIAL_ATOMS: ReadonlySet<string> = new Set(["[ppm]", "[ppb]", "[ppth]", "[pi]"]);
/** Metric and binary prefixes, longest first so `da` and `Ki` win over `d` and nothing. */
const UCUM_PREFIXES: readonly string[] = [
  ...["da", "Ki", "Mi", "Gi", "Ti"],
  ...["Y", "Z", "E", "P", "T", "G", "M", "k", "h", "d", "c", "m", "u", "n", "p", "f", "a", "z", "y"],
];
/**
 * Not UCUM (kilo is `k`), but in the collector's own unit table (otlptranslator `unitMap`: "KBy" →
 * kilobytes), so OpenTelemetry users write it.
 */
const OTEL_EXTRA_ATOMS: ReadonlySet<string> = new Set(["KBy"]);

/** Words people write for a unit → the UCUM symbol to use (keys lower-case). */
export const UNIT_WORD_SYMBOLS: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(["second", "seconds", "sec", "secs"].map((w) => [w, "s"])),
  ...Object.fromEntries(["millisecond", "milliseconds", "msec", "msecs", "millis"].map((w) => [w, "ms"])),
  ...Object.fromEntries(["microsecond", "microseconds", "usec", "usecs", "micros"].map((w) => [w, "us"])),
  ...Object.fromEntries(["nanosecond", "nanoseconds", "nsec", "nsecs", "nanos"].map((w) => [w, "ns"])),
  ...Object.fromEntries(["minute", "minutes", "mins"].map((w) => [w, "min"])),
  ...Object.fromEntries(["hour", "hours", "hr", "hrs"].map((w) => [w, "h"])),
  ...Object.fromEntries(["day", "days"].map((w) => [w, "d"])),
  ...Object.fromEntries(["week", "weeks"].map((w) => [w, "wk"])),
  ...Object.fromEntries(["byte", "bytes", "b"].map((w) => [w, "By"])),
  ...Object.fromEntries(["kilobyte", "kilobytes", "kb", "kbytes"].map((w) => [w, "kBy"])),
  ...Object.fromEntries(["kibibyte", "kibibytes", "kib"].map((w) => [w, "KiBy"])),
  ...Object.fromEntries(["megabyte", "megabytes", "mb", "mbytes"].map((w) => [w, "MBy"])),
  ...Object.fromEntries(["mebibyte", "mebibytes", "mib"].map((w) => [w, "MiBy"])),
  ...Object.fromEntries(["gigabyte", "gigabytes", "gb", "gbytes"].map((w) => [w, "GBy"])),
  ...Object.fromEntries(["gibibyte", "gibibytes", "gib"].map((w) => [w, "GiBy"])),
  ...Object.fromEntries(["bits"].map((w) => [w, "bit"])),
  ...Object.fromEntries(["percent", "percentage", "pct"].map((w) => [w, "%"])),
  ...Object.fromEntries(["ratio", "fraction", "none", "unitless", "dimensionless"].map((w) => [w, "1"])),
  ...Object.fromEntries(["meter", "meters", "metre", "metres"].map((w) => [w, "m"])),
  ...Object.fromEntries(["volt", "volts"].map((w) => [w, "V"])),
  ...Object.fromEntries(["ampere", "amperes", "amp", "amps"].map((w) => [w, "A"])),
  ...Object.fromEntries(["joule", "joules"].map((w) => [w, "J"])),
  ...Object.fromEntries(["watt", "watts"].map((w) => [w, "W"])),
  ...Object.fromEntries(["gram", "grams"].map((w) => [w, "g"])),
  ...Object.fromEntries(["celsius", "degc"].map((w) => [w, "Cel"])),
  ...Object.fromEntries(["hertz"].map((w) => [w, "Hz"])),
});

function isUcumSymbol(symbol: string): boolean {
  if (UCUM_PLAIN_ATOMS.has(symbol) || UCUM_SPECIAL_ATOMS.has(symbol) || OTEL_EXTRA_ATOMS.has(symbol)) {
    return true;
  }
  if (UCUM_METRIC_ATOMS.has(symbol)) return true;
  return UCUM_PREFIXES.some((p) => symbol.startsWith(p) && UCUM_METRIC_ATOMS.has(symbol.slice(p.length)));
}

/** One component: a symbol with an optional exponent and annotation, an annotation, or a number. */
const UCUM_COMPONENT = /^(?:(\[[^\]]*\]|[^./(){}[\]\d+-]+)([+-]?\d+)?)?(\{[!-z|~]*\})?$/;
const UCUM_FACTOR = /^\d+$/;

/** Why `unit` is not a UCUM unit; undefined when it is one (or empty: no unit). */
function ucumSyntaxError(unit: string): string | undefined {
  if (unit === "") return undefined;
  // Parentheses only group: balanced, they are dropped and their content checked as components.
  let depth = 0;
  for (const ch of unit.replace(/\{[^}]*\}/g, "")) {
    if (ch === "(") depth++;
    else if (ch === ")" && --depth < 0) return "unbalanced parentheses";
  }
  if (depth !== 0) return "unbalanced parentheses";
  const body = unit.replace(/[()]/g, "").replace(/^\//, "");
  const components = body.split(/[./](?![^{]*\})/);
  for (const c of components) {
    if (c === "") return "an empty component (a doubled or trailing `.` or `/`)";
    if (UCUM_FACTOR.test(c)) continue;
    const m = UCUM_COMPONENT.exec(c);
    if (m === null || (m[1] === undefined && m[3] === undefined)) return `"${c}" is not a UCUM component`;
    if (m[1] !== undefined && !isUcumSymbol(m[1])) return `"${m[1]}" is not a UCUM unit symbol`;
  }
  return undefined;
}

/** The UCUM unit a word-written unit means (`bytes/second` → `By/s`), when every part is known. */
function ucumSuggestion(unit: string): string | undefined {
  const parts = unit.trim().split(/\s*(\/|\bper\b|\.)\s*/i);
  let changed = false;
  const out = parts.map((p, i) => {
    if (i % 2 === 1) return p.toLowerCase() === "per" ? "/" : p;
    if (p === "" || ucumSyntaxError(p) === undefined) return p;
    const symbol = ownWord(UNIT_WORD_SYMBOLS, p.toLowerCase());
    if (symbol !== undefined) {
      changed = true;
      return symbol;
    }
    // A count of things: OpenTelemetry writes it as an annotation, singular.
    if (/^[a-z][a-z_]*$/i.test(p)) {
      changed = true;
      return `{${p.toLowerCase().replace(/(?<=[^s])s$/, "")}}`;
    }
    return undefined;
  });
  if (!changed || out.some((p) => p === undefined)) return undefined;
  const suggestion = out.join("");
  return ucumSyntaxError(suggestion) === undefined ? suggestion : undefined;
}

/**
 * Why `unit` is not a unit OpenTelemetry understands (UCUM, with `{annotation}`s), with the fix; undefined
 * when it is one. The empty unit (no unit) is accepted, as OpenTelemetry does.
 */
export function unitProblem(unit: string): string | undefined {
  const error = ucumSyntaxError(unit);
  if (error === undefined) return undefined;
  const suggestion = ucumSuggestion(unit);
  const word = ownWord(UNIT_WORD_SYMBOLS, unit.trim().toLowerCase());
  if (word !== undefined) {
    return `its unit "${unit}" is a word, not a UCUM unit. Fix: use "${word}" (UCUM, as OpenTelemetry writes units).`;
  }
  if (suggestion !== undefined) {
    return (
      `its unit "${unit}" is not a UCUM unit (${error}). Fix: use "${suggestion}" ` +
      `(UCUM symbols such as "s", "By"; a count of things is an annotation such as "{request}").`
    );
  }
  return (
    `its unit "${unit}" is not a UCUM unit (${error}). Fix: use a UCUM unit such as "s", "ms", "By", "1", ` +
    `"%" or "By/s", or an annotation for a count of things such as "{request}".`
  );
}
