// OTLP → Prometheus naming, as the collector's `prometheusremotewrite` exporter does it with the
// default translation strategy UnderscoreEscapingWithSuffixes (prometheus/otlptranslator,
// metric_namer.go). Kept dependency-free: apps import this module.
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
  if (kind === "counter") tokens = [...tokens.filter((t) => t !== "total"), "total"];
  if (unit === "1" && kind === "gauge") tokens = [...tokens.filter((t) => t !== "ratio"), "ratio"];
  let out = tokens.join("_");
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

/** The concrete series names a metric produces in VictoriaMetrics. */
export function seriesNames(name: string, unit: string, kind: MetricKind): string[] {
  const base = prometheusName(name, unit, kind);
  return kind === "histogram" ? [`${base}_bucket`, `${base}_sum`, `${base}_count`] : [base];
}

/** The Prometheus label name for an OTel attribute key (invalid characters become `_`). */
export function labelName(key: string): string {
  let out = key.replace(/[^a-zA-Z0-9_]/g, "_");
  if (/^[0-9]/.test(out)) out = `key_${out}`;
  else if (out.startsWith("_") && !out.startsWith("__")) out = `key${out}`;
  return out;
}
