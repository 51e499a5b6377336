// Which catalogue metric an unknown series most likely is: the series the metric WOULD produce under
// another unit or kind (the collector's own naming, definitions/naming.ts), else the same name with
// other suffixes. Pure.
import {
  KINDS,
  METRIC_KINDS,
  nameTokens,
  PER_UNIT_WORDS,
  seriesNames,
  UNIT_WORDS,
  unitSuffixes,
} from "../definitions";
import type { MetricKind, ResolvedMetric } from "../definitions";
import { UNIT_WORD_SYMBOLS } from "../definitions/naming";

/** A name token that means a unit: a symbol (`ms`, `By`) or a word people write (`msec`, `kb`). */
function isUnitWord(token: string): boolean {
  return Object.hasOwn(UNIT_WORDS, token) || Object.hasOwn(UNIT_WORD_SYMBOLS, token.toLowerCase());
}

export interface Closest {
  readonly metric: ResolvedMetric;
  readonly reason: string;
}

/** Suffix words the translation adds; not part of a metric's own name. */
const SUFFIX_WORDS: ReadonlySet<string> = new Set([
  "total",
  "ratio",
  "bucket",
  "sum",
  "count",
  ...Object.values(UNIT_WORDS).filter((w) => w !== ""),
  ...Object.values(PER_UNIT_WORDS).map((w) => `per_${w}`),
  "per",
  ...Object.values(PER_UNIT_WORDS),
]);

/** The units a metric might have been sent with instead of its own: every unit the translator knows. */
function otherUnits(unit: string): string[] {
  const units = [unit, ...Object.keys(UNIT_WORDS), ""];
  const slash = unit.indexOf("/");
  if (slash >= 0) {
    const main = unit.slice(0, slash);
    const per = unit.slice(slash + 1);
    units.push(main, ...Object.keys(UNIT_WORDS).map((u) => `${u}/${per}`));
    units.push(...Object.keys(PER_UNIT_WORDS).map((p) => `${main}/${p}`));
  }
  return [...new Set(units)];
}

function suffixOf(unit: string): string {
  const { main, per } = unitSuffixes(unit);
  const words = [main, per].filter((w) => w !== "");
  return words.length === 0 ? "no unit suffix" : `_${words.join("_")}`;
}

/** Why `m` would be written as `found` when sent with `unit` and `kind` instead of its own. */
function explain(m: ResolvedMetric, unit: string, kind: MetricKind): string {
  const parts: string[] = [];
  if (suffixOf(unit) !== suffixOf(m.unit)) {
    parts.push(
      `sent with unit "${unit === "" ? "(none)" : unit}" (${suffixOf(unit)}) instead of the catalogue's ` +
        `"${m.unit}" (${suffixOf(m.unit)})`,
    );
  }
  if (kind !== m.kind) {
    const total = KINDS[m.kind].totalSuffix
      ? `; ${KINDS[m.kind].phrase}'s series ends in _total`
      : KINDS[kind].totalSuffix
        ? " (it adds _total)"
        : "";
    parts.push(`sent as ${KINDS[kind].phrase} instead of ${KINDS[m.kind].phrase}${total}`);
  }
  return parts.join(", and ");
}

const alternatives = new WeakMap<ResolvedMetric, ReadonlyMap<string, string>>();

/** Every series name `m` would produce under another unit or kind, with why; its own names excluded. */
export function alternativeNames(m: ResolvedMetric): ReadonlyMap<string, string> {
  const cached = alternatives.get(m);
  if (cached !== undefined) return cached;
  const own = new Set(m.seriesNames);
  const out = new Map<string, string>();
  // The metric's own kind first: a unit mismatch is likelier than a kind mismatch.
  const kinds = [m.kind, ...METRIC_KINDS.filter((k) => k !== m.kind)];
  for (const kind of kinds) {
    for (const unit of otherUnits(m.unit)) {
      const reason = explain(m, unit, kind);
      if (reason === "") continue;
      for (const s of seriesNames(m.name, unit, kind)) {
        if (!own.has(s) && !out.has(s)) out.set(s, reason);
      }
    }
  }
  alternatives.set(m, out);
  return out;
}

function stem(tokens: readonly string[]): string[] {
  return tokens.filter((t) => !SUFFIX_WORDS.has(t.toLowerCase()));
}

/**
 * The catalogue metric that `series` (a name not in the catalogue) most likely is, or undefined.
 * First the exact names another unit or kind gives; then the same name tokens with other suffix words
 * (or one more word that means a unit: `msec`, `kb`, a unit written into the name).
 */
export function closestMetric(series: string, metrics: readonly ResolvedMetric[]): Closest | undefined {
  for (const m of metrics) {
    const reason = alternativeNames(m).get(series);
    if (reason !== undefined) return { metric: m, reason };
  }
  const found = nameTokens(series);
  const foundStem = stem(found);
  for (const m of metrics) {
    const want = stem(nameTokens(m.name));
    if (want.length === 0) continue;
    const sameStem = foundStem.length === want.length && want.every((t, i) => foundStem[i] === t);
    if (sameStem) {
      return {
        metric: m,
        reason: `the same name with other suffixes (the catalogue's series: ${m.seriesNames.join(", ")})`,
      };
    }
    const word = foundStem[foundStem.length - 1] as string;
    const oneMore =
      foundStem.length === want.length + 1 && want.every((t, i) => foundStem[i] === t) && isUnitWord(word);
    if (oneMore) {
      return {
        metric: m,
        reason:
          `the same name with the unit word "${word}" in it (a unit belongs in the metric's unit, ` +
          `not its name, and one the collector's table does not know is written as is; the catalogue's series: ${m.seriesNames.join(", ")})`,
      };
    }
  }
  return undefined;
}
