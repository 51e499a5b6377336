// Attribute checks for recordings made at run time. TypeScript already restricts keys and values to the
// declared ones; these checks catch untyped JS (or `as any`) and turn bad input into a dropped, reported
// recording instead of a new, undeclared series.
import type { Attributes } from "@opentelemetry/api";
import type { ResolvedMetric } from "../definitions/index";
import { show } from "./report";

/** `resolve` results below zero. */
export const UNKNOWN_KEY = -1;
export const UNDECLARED_VALUE = -2;
/** An open attribute got more distinct values than its declared `maxValues`. */
export const BEYOND_MAX_VALUES = -3;

/**
 * Maps an attribute set to a dense index: each attribute contributes (0 = absent, 1..n = its n-th
 * value) times its stride. Listed attributes number their declared values; open (`maxValues`)
 * attributes number their values in order of first use, up to `maxValues`. The index picks a
 * pre-resolved cell, so recording needs no hashing, sorting or string building.
 */
export class AttributeIndex {
  /** Number of distinct attribute sets, absent attributes included (index 0 is "no attributes"). */
  readonly size: number;
  private readonly keys: readonly string[];
  /** Each attribute's values by number - 1 (open attributes: filled as values appear). */
  private readonly values: readonly string[][];
  private readonly valueIndex: readonly Map<unknown, number>[];
  /** Most values per attribute: the declared count, or `maxValues`. */
  private readonly capacity: readonly number[];
  private readonly open: readonly boolean[];
  private readonly strides: readonly number[];

  constructor(metric: ResolvedMetric) {
    const strides: number[] = [];
    let size = 1;
    for (const a of metric.attributes) {
      strides.push(size);
      size *= a.cardinality + 1;
    }
    this.keys = metric.attributes.map((a) => a.key);
    this.values = metric.attributes.map((a) => [...(a.values ?? [])]);
    this.capacity = metric.attributes.map((a) => a.cardinality);
    this.open = metric.attributes.map((a) => a.values === undefined);
    this.strides = strides;
    this.valueIndex = this.values.map((vs) => new Map<unknown, number>(vs.map((v, i) => [v, i + 1])));
    this.size = size;
  }

  /**
   * The cell index of `attributes`, or {@link UNKNOWN_KEY} / {@link UNDECLARED_VALUE} /
   * {@link BEYOND_MAX_VALUES}. A new value of an open attribute is admitted only once the whole set
   * has been checked, so rejected recordings use up none of its `maxValues`.
   */
  resolve(attributes: Attributes): number {
    let index = 0;
    let fresh = false;
    // `for…in` allocates nothing (unlike Object.keys) and visits each key once.
    for (const key in attributes) {
      const value = attributes[key];
      if (value === undefined) continue;
      const keys = this.keys;
      let slot = 0;
      while (slot < keys.length && keys[slot] !== key) slot++;
      if (slot === keys.length) return UNKNOWN_KEY;
      const i = this.valueIndex[slot]!.get(value);
      if (i === undefined) {
        if (!this.open[slot] || typeof value !== "string") return UNDECLARED_VALUE;
        fresh = true;
        continue;
      }
      index += i * this.strides[slot]!;
    }
    return fresh ? this.admit(attributes, index) : index;
  }

  /**
   * The rare second pass for a valid set with new open values: all of them fit (and are numbered) or
   * none is taken and the set is {@link BEYOND_MAX_VALUES}.
   */
  private admit(attributes: Attributes, known: number): number {
    for (const key in attributes) {
      const value = attributes[key];
      if (value === undefined) continue;
      const slot = this.keys.indexOf(key);
      if (!this.valueIndex[slot]!.has(value) && this.values[slot]!.length >= this.capacity[slot]!) {
        return BEYOND_MAX_VALUES;
      }
    }
    let index = known;
    for (const key in attributes) {
      const value = attributes[key];
      if (value === undefined) continue;
      const slot = this.keys.indexOf(key);
      if (this.valueIndex[slot]!.has(value)) continue;
      const i = this.values[slot]!.push(value as string);
      this.valueIndex[slot]!.set(value, i);
      index += i * this.strides[slot]!;
    }
    return index;
  }

  /** The attribute set of a cell index, keys in declaration order. */
  attributesAt(index: number): Attributes {
    const out: Record<string, string> = {};
    for (let slot = 0; slot < this.keys.length; slot++) {
      const i = Math.floor(index / this.strides[slot]!) % (this.capacity[slot]! + 1);
      if (i > 0) out[this.keys[slot]!] = this.values[slot]![i - 1]!;
    }
    return Object.freeze(out);
  }
}

/**
 * Checks attribute sets of metrics recorded through the plain SDK path (metrics with open, `maxValues`
 * attributes): keys must be declared, listed values must be among the declared ones, open values must
 * be strings. Returns a problem description, or undefined when the set is fine.
 */
export function attributeProblem(metric: ResolvedMetric, attributes: Attributes): string | undefined {
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined) continue;
    const spec = metric.attributes.find((a) => a.key === key);
    if (spec === undefined) {
      return `${metric.name}: attribute ${show(key)} is not declared (declared: ${declaredKeys(metric)})`;
    }
    if (spec.values !== undefined ? !spec.values.includes(value as string) : typeof value !== "string") {
      return undeclaredValue(metric, key, value);
    }
  }
  return undefined;
}

export function declaredKeys(metric: ResolvedMetric): string {
  return metric.attributes.length === 0 ? "none" : metric.attributes.map((a) => a.key).join(", ");
}

/** The message for an attribute set {@link AttributeIndex.resolve} rejected. */
export function describeRejected(metric: ResolvedMetric, attributes: Attributes): string {
  return (
    attributeProblem(metric, attributes) ?? `${metric.name}: attributes ${show(attributes)} are not declared`
  );
}

function undeclaredValue(metric: ResolvedMetric, key: string, value: unknown): string {
  const spec = metric.attributes.find((a) => a.key === key);
  const allowed =
    spec?.values !== undefined ? spec.values.map((v) => JSON.stringify(v)).join(", ") : "a string";
  return `${metric.name}: attribute "${key}" = ${show(value)} is not declared (allowed: ${allowed})`;
}
