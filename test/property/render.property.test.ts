// Property tests over defineMetrics -> renderFiles: for random catalogues, every one defineMetrics
// accepts renders to YAML, JSON and PromQL that parse; every one it rejects is rejected with a
// DefinitionError, never another error type (issue 12).
import type { LRParser } from "@lezer/lr";
import fc from "fast-check";
import { parseAllDocuments } from "yaml";
import { substituteVariables } from "../../dashboards";
import { defineMetrics, DefinitionError, METRIC_KINDS } from "../../definitions";
import type { MetricKind } from "../../definitions";
import { renderFiles } from "../../render";

// lezer-promql's types are ESM-only: load its CommonJS build and type it with @lezer/lr's (as the
// dashboards tests do).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require("@prometheus-io/lezer-promql") as { parser: LRParser };

// Rendering 8+ dashboards per run on a busy 2-core machine: keep the runs few and the timeout wide.
jest.setTimeout(60_000);
const RUNS = { numRuns: 40 };

type Spec = Record<string, unknown>;

const UNITS = [
  ...["s", "ms", "us", "ns", "min", "h", "d", "By", "KiBy", "MiBy", "GiBy", "KBy", "MBy", "GBy"],
  ...["m", "V", "A", "J", "W", "g", "Cel", "Hz", "%", "1", ""],
  ...["{request}", "{packet}", "{connection}", "By/s", "1/s", "{event}/min", "m/s", "requests"],
];

/** Text that stresses quoting in YAML, JSON, Markdown and PromQL string literals. */
const text = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20, unit: "grapheme" }),
  fc.constantFrom(
    'a "quoted" word',
    "it's $x and $$y, {{z}} and ${w}",
    "back\\slash and `tick`",
    "line\nbreak",
    "# not a comment: - [x] | > *",
    "ünïcödé ✓ 日本",
  ),
);
const nonBlank = text.filter((t) => t.trim() !== "");

// Three letters or more: one- and two-letter segments are mostly unit symbols ("s", "ms"), rejected.
const segment = fc.stringMatching(/^[a-z][a-z0-9]{2,6}$/);
const attributeKey = fc
  .tuple(segment, fc.option(segment, { nil: undefined }))
  .map(([a, b]) => (b === undefined ? a : `${a}.${b}`));

const attributeSpec = fc.oneof(
  fc.record(
    {
      values: fc.uniqueArray(
        nonBlank.filter((v) => v !== ""),
        { minLength: 1, maxLength: 4 },
      ),
      description: nonBlank,
    },
    { requiredKeys: ["values"] },
  ),
  fc.record(
    { maxValues: fc.integer({ min: 1, max: 12 }), description: nonBlank },
    { requiredKeys: ["maxValues"] },
  ),
);

const buckets = fc
  .uniqueArray(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e9 }), {
    minLength: 1,
    maxLength: 6,
  })
  .map((b) => [...b].sort((x, y) => x - y));

/** One metric of group `group`; `index` keeps names (and so series) apart. */
function metric(index: number, groups: readonly string[]): fc.Arbitrary<Spec> {
  return fc
    .record({
      kind: fc.constantFrom<MetricKind>(...METRIC_KINDS),
      segments: fc.array(segment, { minLength: 1, maxLength: 2 }),
      unit: fc.constantFrom(...UNITS),
      description: nonBlank,
      group: fc.constantFrom(...groups),
      attributes: fc.option(fc.dictionary(attributeKey, attributeSpec, { maxKeys: 3 }), { nil: undefined }),
      buckets,
      zeroWhenAbsent: fc.option(fc.boolean(), { nil: undefined }),
      // At least 13³, the most sets three attributes of 12 values can make: the limit rule is tested apart.
      cardinalityLimit: fc.option(fc.integer({ min: 2197, max: 5000 }), { nil: undefined }),
      prometheusNaming: fc.boolean(),
    })
    .map((m) => {
      const prometheus = m.prometheusNaming && index % 3 === 0;
      const name = prometheus
        ? `svc_${m.segments.join("_")}_x${index}`
        : `svc.${m.segments.join(".")}.x${index}`;
      return {
        name,
        kind: m.kind,
        unit: m.unit,
        description: m.description,
        group: m.group,
        ...(m.attributes !== undefined ? { attributes: m.attributes } : {}),
        ...(m.kind === "histogram" ? { buckets: m.buckets } : {}),
        ...(m.zeroWhenAbsent !== undefined ? { zeroWhenAbsent: m.zeroWhenAbsent } : {}),
        ...(m.cardinalityLimit !== undefined ? { cardinalityLimit: m.cardinalityLimit } : {}),
        ...(prometheus ? { naming: "prometheus" } : {}),
      };
    });
}

/** A catalogue spec that is valid most of the time (random names can still hit a validation rule). */
const catalogueSpec: fc.Arbitrary<Spec> = fc
  .record({
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
    title: fc.option(nonBlank, { nil: undefined }),
    groups: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/), { minLength: 1, maxLength: 3 }),
    groupTitles: fc.array(nonBlank, { minLength: 3, maxLength: 3 }),
    metricCount: fc.integer({ min: 1, max: 5 }),
  })
  .chain((c) =>
    fc
      .tuple(...Array.from({ length: c.metricCount + c.groups.length }, (_, i) => metric(i, c.groups)))
      .map((ms) => {
        // Every group gets at least one metric (an empty group is an error).
        const withGroups = ms.map((m, i) => (i < c.groups.length ? { ...m, group: c.groups[i] } : m));
        return {
          name: c.name,
          ...(c.title !== undefined ? { title: c.title } : {}),
          groups: Object.fromEntries(c.groups.map((g, i) => [g, { title: c.groupTitles[i] }])),
          metrics: Object.fromEntries(withGroups.map((m, i) => [`metric${i}`, m])),
        };
      }),
  );

/**
 * defineMetrics, with anything but a DefinitionError failing the property. It freezes the spec it is
 * given, and fast-check hands values out again while shrinking: callers pass a structuredClone.
 */
function define(spec: unknown): ReturnType<typeof defineMetrics> | DefinitionError {
  try {
    return defineMetrics(spec as never);
  } catch (e) {
    if (e instanceof DefinitionError) return e;
    throw new Error(`defineMetrics threw ${(e as Error).name}, not DefinitionError: ${(e as Error).message}`);
  }
}

interface Panel {
  targets?: { expr?: unknown }[];
  panels?: Panel[];
}

function exprsOf(panels: readonly Panel[]): string[] {
  return panels.flatMap((p) => [
    ...(p.targets ?? []).map((t) => t.expr).filter((e): e is string => typeof e === "string"),
    ...exprsOf(p.panels ?? []),
  ]);
}

function promqlErrors(expr: string): number {
  let errors = 0;
  const cursor = parser.parse(expr).cursor();
  do if (cursor.type.isError) errors++;
  while (cursor.next());
  return errors;
}

/** Every rendered file parses; returns the count of PromQL queries checked. */
function checkRendered(catalogue: ReturnType<typeof defineMetrics>): number {
  const files = renderFiles(catalogue);
  let queries = 0;
  for (const f of files) {
    if (f.path.endsWith(".yaml") || f.path.endsWith(".yml")) {
      const docs = parseAllDocuments(f.content);
      const errors = (Array.isArray(docs) ? docs : [docs]).flatMap((d) => d.errors.map((e) => e.message));
      expect([f.path, errors]).toEqual([f.path, []]);
    } else if (f.path.endsWith(".json")) {
      const parsed = JSON.parse(f.content) as { panels?: Panel[] };
      if (f.path.startsWith("grafana/dashboards/")) {
        // Whether each dashboard has queries is the dashboards tests' concern; here, that they parse.
        const exprs = exprsOf(parsed.panels ?? []);
        for (const expr of exprs) {
          expect([f.path, expr, promqlErrors(substituteVariables(expr))]).toEqual([f.path, expr, 0]);
          queries++;
        }
      }
    }
  }
  return queries;
}

describe("defineMetrics -> renderFiles, random catalogues", () => {
  it("every accepted catalogue renders YAML, JSON and PromQL that parse; rejected ones are DefinitionErrors", () => {
    let accepted = 0;
    fc.assert(
      fc.property(catalogueSpec, (generated) => {
        const c = define(structuredClone(generated));
        if (c instanceof DefinitionError) {
          expect(c.problems.length).toBeGreaterThan(0);
          return;
        }
        accepted++;
        expect(checkRendered(c)).toBeGreaterThan(0);
      }),
      RUNS,
    );
    // The generator must mostly make valid catalogues, or the render half would test little.
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 2);
  });
});

/** Mutations that each make any catalogue invalid, with the fragment the error must name. */
const MUTATIONS: readonly [string, (spec: Spec) => void][] = [
  ["metric null", (s) => (metricsOf(s).metric0 = null)],
  ["metric a number", (s) => (metricsOf(s).metric0 = 7)],
  ["metric an array", (s) => (metricsOf(s).metric0 = [])],
  ["name a number", (s) => (first(s).name = 42)],
  ["name with a space", (s) => (first(s).name = "svc.bad name")],
  ["kind unknown", (s) => (first(s).kind = "summary")],
  ["unit not a string", (s) => (first(s).unit = { s: 1 })],
  ["description blank", (s) => (first(s).description = " ")],
  ["group unknown", (s) => (first(s).group = "no-such-group")],
  ["attributes null", (s) => (first(s).attributes = null)],
  ["attribute spec null", (s) => (first(s).attributes = { "error.type": null })],
  ["attribute values empty", (s) => (first(s).attributes = { "error.type": { values: [] } })],
  ["attribute values a string", (s) => (first(s).attributes = { "error.type": { values: "x" } })],
  ["maxValues zero", (s) => (first(s).attributes = { "error.type": { maxValues: 0 } })],
  ["reserved label", (s) => (first(s).attributes = { job: { values: ["a"] } })],
  [
    "over the limit",
    (s) => Object.assign(first(s), { attributes: { "a.b": { maxValues: 3 } }, cardinalityLimit: 3 }),
  ],
  ["buckets decreasing", (s) => Object.assign(first(s), { kind: "histogram", buckets: [2, 1] })],
  ["cardinalityLimit zero", (s) => (first(s).cardinalityLimit = 0)],
  [
    "metric key __proto__",
    (s) => Object.defineProperty(metricsOf(s), "__proto__", { value: first(s), enumerable: true }),
  ],
  ["metrics with a prototype", (s) => Object.setPrototypeOf(metricsOf(s), { hidden: first(s) })],
  [
    "duplicate series",
    (s) => (metricsOf(s).copy = { ...first(s), name: String(first(s).name).replace(/\./g, "_") }),
  ],
  ["catalogue name invalid", (s) => (s.name = "Bad Name")],
  ["groups null", (s) => (s.groups = null)],
  ["seriesBudget negative", (s) => (s.seriesBudget = -1)],
];

function metricsOf(spec: Spec): Record<string, unknown> {
  return spec.metrics as Record<string, unknown>;
}
function first(spec: Spec): Spec {
  return metricsOf(spec).metric0 as Spec;
}

describe("defineMetrics, random invalid catalogues", () => {
  it("each mutation of a catalogue is rejected with a DefinitionError", () => {
    fc.assert(
      fc.property(catalogueSpec, fc.constantFrom(...MUTATIONS), (generated, [label, mutate]) => {
        const spec = structuredClone(generated);
        // "duplicate series" needs a dotted OTLP name to turn into the same series with "_".
        fc.pre(label !== "duplicate series" || first(spec).naming === undefined);
        mutate(spec);
        const r = define(spec);
        expect([label, r instanceof DefinitionError]).toEqual([label, true]);
      }),
      RUNS,
    );
  });

  it("any value in any field is accepted or rejected with a DefinitionError, never another error", () => {
    const fields = ["name", "kind", "unit", "description", "group", "attributes", "buckets"] as const;
    const hostile = fc.anything({
      withNullPrototype: true,
      withBigInt: true,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withSparseArray: true,
      withTypedArray: true,
      maxDepth: 2,
    });
    fc.assert(
      fc.property(
        catalogueSpec,
        fc.constantFrom(...fields, "maxValues", "values", "groupTitle", "catalogue.seriesBudget"),
        hostile,
        (generated, field, value) => {
          const spec = structuredClone(generated);
          if (field === "maxValues" || field === "values")
            first(spec).attributes = { "a.b": { [field]: value } };
          else if (field === "groupTitle")
            Object.values(spec.groups as Record<string, Spec>)[0]!.title = value;
          else if (field === "catalogue.seriesBudget") spec.seriesBudget = value;
          else first(spec)[field] = value;
          const c = define(spec);
          if (!(c instanceof DefinitionError)) checkRendered(c);
        },
      ),
      RUNS,
    );
  });
});
