// Byte-stable JSON for generated dashboards: sorted keys, 2 spaces, trailing newline.

/** A deep copy with every object's keys sorted (arrays keep their order: it carries meaning). */
export function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value !== null && typeof value === "object") {
    const src = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(src).sort()) {
      if (src[k] !== undefined) out[k] = canonicalJson(src[k]);
    }
    return out;
  }
  return value;
}

/** The provisioning file content of a dashboard: its bare model as stable JSON. */
export function serializeDashboard(d: { readonly model: Readonly<Record<string, unknown>> }): string {
  return `${JSON.stringify(canonicalJson(d.model), null, 2)}\n`;
}
