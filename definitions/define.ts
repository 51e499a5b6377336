import type { Catalogue, CatalogueSpec, MetricSpec, ResolvedGroup, ResolvedMetric } from "./types";
import { DEFAULT_SERIES_BUDGET, validateCatalogue } from "./validate";
import { checkSemantics } from "./semantics";

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/**
 * Declares a metric catalogue. Validates it at once (throws a {@link DefinitionError} naming each bad
 * metric and the fix) and keeps the literal types of `metrics`, so that instruments made from it only
 * accept the attribute keys and values each definition declares.
 */
export function defineMetrics<const M extends Readonly<Record<string, MetricSpec>>>(
  spec: CatalogueSpec<M>,
): Catalogue<M> {
  const list = validateCatalogue(spec);
  checkSemantics(spec, list);
  // Metrics by group in one pass, not a scan of the whole list per group (groups x metrics).
  const byGroup = new Map<string, ResolvedMetric[]>();
  for (const m of list) {
    const members = byGroup.get(m.group);
    if (members === undefined) byGroup.set(m.group, [m]);
    else members.push(m);
  }
  const groups: ResolvedGroup[] = Object.entries(spec.groups).map(([key, g]) => ({
    key,
    title: g.title,
    ...(g.description !== undefined ? { description: g.description } : {}),
    metrics: byGroup.get(key) ?? [],
  }));
  const byKey = Object.fromEntries(list.map((m) => [m.key, m])) as Record<keyof M & string, ResolvedMetric>;
  return deepFreeze({
    name: spec.name,
    title: spec.title ?? spec.name,
    metrics: spec.metrics,
    seriesBudget: spec.seriesBudget ?? DEFAULT_SERIES_BUDGET,
    list,
    groups,
    byKey,
  });
}

/** True when `value` looks like a catalogue made by {@link defineMetrics} (for `--definitions` modules). */
export function isCatalogue(value: unknown): value is Catalogue {
  if (value === null || typeof value !== "object") return false;
  const v = value as Partial<Catalogue>;
  return (
    typeof v.name === "string" &&
    Array.isArray(v.list) &&
    Array.isArray(v.groups) &&
    typeof v.metrics === "object"
  );
}
