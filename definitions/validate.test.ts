import { defineMetrics } from "./define";
import type { MetricSpec } from "./types";
import { hostmetrics } from "./hostmetrics";
import { prometheusName } from "./naming";
import { otelcol } from "./otelcol";
import { scotty } from "./scotty";
import { attributeSetCount, DefinitionError } from "./validate";

const groups = { main: { title: "Main" } };
const ok: MetricSpec = {
  name: "svc.requests",
  kind: "counter",
  unit: "{request}",
  description: "Requests.",
  group: "main",
};

function problemsOf(metrics: Record<string, MetricSpec>, extra: Record<string, unknown> = {}): string[] {
  try {
    defineMetrics({ name: "svc", groups, metrics, ...extra });
  } catch (e) {
    expect(e).toBeInstanceOf(DefinitionError);
    return [...(e as DefinitionError).problems];
  }
  throw new Error("expected a DefinitionError");
}

function expectProblem(metrics: Record<string, MetricSpec>, ...fragments: string[]): void {
  const problems = problemsOf(metrics);
  const hit = problems.find((p) => fragments.every((f) => p.includes(f)));
  if (hit === undefined)
    throw new Error(`no problem with ${JSON.stringify(fragments)} in:\n${problems.join("\n")}`);
}

describe("defineMetrics validation", () => {
  it("accepts a good catalogue", () => {
    const c = defineMetrics({ name: "svc", groups, metrics: { requests: ok } });
    expect(c.list.map((m) => m.prometheusName)).toEqual(["svc_requests_total"]);
  });

  it("rejects duplicate names", () => {
    expectProblem({ a: ok, b: { ...ok, name: "svc.Requests" } }, '"svc.Requests"', "duplicate name", "key a");
  });

  it("rejects invalid characters", () => {
    expectProblem({ a: { ...ok, name: "svc.req uests" } }, '"svc.req uests"', "invalid characters");
    expectProblem({ a: { ...ok, name: "Svc-requests" } }, '"Svc-requests"', "invalid characters");
  });

  it("rejects metrics whose Prometheus names collide", () => {
    expectProblem(
      { a: ok, b: { ...ok, name: "svc.requests_total", kind: "upDownCounter" } },
      '"svc.requests_total"',
      "collides",
      '"svc.requests"',
    );
    // a histogram's _count against a counter named like it
    expectProblem(
      {
        h: { ...ok, name: "svc.latency", kind: "histogram", unit: "s", buckets: [1] },
        g: { ...ok, name: "svc.latency.seconds.count", kind: "gauge", unit: "" },
      },
      '"svc.latency.seconds.count"',
      "svc_latency_seconds_count",
    );
  });

  it("rejects a unit word already in the name", () => {
    expectProblem(
      { a: { ...ok, name: "svc.duration_ms", kind: "histogram", unit: "ms", buckets: [1] } },
      '"svc.duration_ms"',
      '"ms"',
      "drop the unit",
    );
    expectProblem(
      { a: { ...ok, name: "svc.payload.kb", kind: "counter", unit: "By" } },
      '"svc.payload.kb"',
      '"kb"',
    );
    expectProblem(
      { a: { ...ok, name: "svc.wait.sec", kind: "gauge", unit: "s" } },
      '"svc.wait.sec"',
      '"sec"',
    );
  });

  it("accepts a name token equal to the unit's own suffix", () => {
    const c = defineMetrics({
      name: "svc",
      groups,
      metrics: { b: { ...ok, name: "svc.stream.bytes", unit: "By" } },
    });
    expect(c.list[0]?.prometheusName).toBe("svc_stream_bytes_total");
  });

  it("rejects a counter whose name ends in total", () => {
    expectProblem(
      { a: { ...ok, name: "svc.requests_total" } },
      '"svc.requests_total"',
      'must not end in "total"',
      '"svc.requests"',
    );
    expectProblem(
      { a: { ...ok, name: "svc.requests.total" } },
      '"svc.requests.total"',
      'must not end in "total"',
    );
  });

  it("rejects an unknown kind", () => {
    expectProblem({ a: { ...ok, kind: "summary" as never } }, '"svc.requests"', 'unknown kind "summary"');
  });

  it("rejects histogram buckets that are missing, not increasing or not finite", () => {
    const h = { ...ok, name: "svc.latency", kind: "histogram", unit: "s" } as const;
    expectProblem({ a: h }, '"svc.latency"', "needs bucket boundaries");
    expectProblem({ a: { ...h, buckets: [1, 1, 2] } }, '"svc.latency"', "strictly increasing");
    expectProblem({ a: { ...h, buckets: [2, 1] } }, '"svc.latency"', "strictly increasing");
    expectProblem({ a: { ...h, buckets: [1, Infinity] } }, '"svc.latency"', "finite");
    expectProblem({ a: { ...h, buckets: [NaN] } }, '"svc.latency"', "finite");
    expectProblem({ a: { ...ok, buckets: [1] } }, '"svc.requests"', "only histograms have buckets");
  });

  it("rejects a missing description", () => {
    expectProblem({ a: { ...ok, description: "  " } }, '"svc.requests"', "missing description");
  });

  it("rejects invalid attribute keys and keys that collide as labels", () => {
    expectProblem(
      { a: { ...ok, attributes: { "Error-Type": { values: ["x"] } } } },
      '"svc.requests"',
      '"Error-Type"',
      "invalid key",
    );
    expectProblem(
      { a: { ...ok, attributes: { "error.type": { values: ["x"] }, error_type: { values: ["y"] } } } },
      '"svc.requests"',
      "collides",
      '"error_type"',
    );
    expectProblem(
      { a: { ...ok, attributes: { job: { values: ["x"] } } } },
      '"svc.requests"',
      'reserved label "job"',
    );
  });

  it("rejects attributes with neither or both of values and maxValues", () => {
    expectProblem({ a: { ...ok, attributes: { route: {} } } }, '"svc.requests"', '"route"', "exactly one");
    expectProblem(
      { a: { ...ok, attributes: { route: { values: ["a"], maxValues: 3 } } } },
      '"svc.requests"',
      "exactly one",
    );
    expectProblem(
      { a: { ...ok, attributes: { route: { values: ["a", "a"] } } } },
      '"svc.requests"',
      "distinct",
    );
  });

  it("rejects a metric whose possible attribute sets exceed its cardinality limit", () => {
    // 11 × 7: each attribute takes one of its values or is absent.
    expectProblem(
      {
        a: { ...ok, cardinalityLimit: 50, attributes: { route: { maxValues: 10 }, code: { maxValues: 6 } } },
      },
      '"svc.requests"',
      "can record 77 attribute sets",
      "route 10+1 × code 6+1",
      "limit of 50",
      "set `cardinalityLimit` to at least 77",
    );
  });

  it("rejects a catalogue over its series budget, naming the largest metrics", () => {
    const problems = problemsOf(
      {
        a: { ...ok, attributes: { route: { maxValues: 40 } } },
        b: { ...ok, name: "svc.errors", attributes: { route: { maxValues: 30 } } },
      },
      { seriesBudget: 50 },
    );
    expect(problems).toHaveLength(1);
    // 41 + 31 attribute sets: the run time also records the set without the attribute.
    expect(problems[0]).toContain("72 attribute sets (series)");
    expect(problems[0]).toContain("budget of 50");
    expect(problems[0]).toContain("svc.requests 41");
  });

  it("rejects unknown groups and reports every problem at once", () => {
    const problems = problemsOf({
      a: { ...ok, group: "nope" },
      b: { ...ok, name: "svc.x", description: "" },
    });
    expect(
      problems.some((p) => p.includes('"svc.requests"') && p.includes('unknown dashboard group "nope"')),
    ).toBe(true);
    expect(problems.some((p) => p.includes('"svc.x"') && p.includes("missing description"))).toBe(true);
  });

  it("puts the catalogue name and every problem in the error message", () => {
    expect(() => defineMetrics({ name: "svc", groups, metrics: { a: { ...ok, description: "" } } })).toThrow(
      /Invalid metric catalogue "svc" \(1 problem\):\n {2}- \[metric-description\] metric "svc.requests" \(key a\): missing description/,
    );
  });
});

/** The problems of any input, however malformed; fails unless it is a DefinitionError. */
function problemsOfAny(spec: unknown): string[] {
  try {
    defineMetrics(spec as never);
  } catch (e) {
    if (!(e instanceof DefinitionError)) throw new Error(`expected a DefinitionError, got ${String(e)}`);
    return [...e.problems];
  }
  throw new Error("expected a DefinitionError");
}

function expectAnyProblem(spec: unknown, ...fragments: string[]): void {
  const problems = problemsOfAny(spec);
  const hit = problems.find((p) => fragments.every((f) => p.includes(f)));
  if (hit === undefined)
    throw new Error(`no problem with ${JSON.stringify(fragments)} in:\n${problems.join("\n")}`);
}

describe("cardinality is counted as the run time counts attribute sets (issue 12, item 8)", () => {
  const two = { values: ["a", "b"] };
  const metric = (limit: number): MetricSpec => ({
    ...ok,
    cardinalityLimit: limit,
    attributes: { "x.kind": two, "y.kind": two },
  });

  it("counts an absent attribute as one more set: 3 × 3 = 9, not 2 × 2", () => {
    expectProblem({ a: metric(4) }, '"svc.requests"', "can record 9 attribute sets", "limit of 4");
    expectProblem({ a: metric(8) }, '"svc.requests"', "can record 9 attribute sets", "at least 9");
  });

  it("accepts a metric whose sets equal its limit", () => {
    const c = defineMetrics({ name: "svc", groups, metrics: { a: metric(9) } });
    expect(c.list[0]?.cardinalityLimit).toBe(9);
  });

  it("a metric without attributes records one set", () => {
    const c = defineMetrics({ name: "svc", groups, metrics: { a: { ...ok, cardinalityLimit: 1 } } });
    expect(c.list[0]?.cardinalityLimit).toBe(1);
  });

  it("the default limit applies the same count", () => {
    expectAnyProblem(
      {
        name: "svc",
        groups,
        defaultCardinalityLimit: 8,
        metrics: { a: { ...ok, attributes: { "x.kind": two, "y.kind": two } } },
      },
      '"svc.requests"',
      "can record 9 attribute sets",
      "limit of 8",
    );
  });

  it("attributeSetCount multiplies values + 1", () => {
    expect(attributeSetCount([])).toBe(1);
    expect(attributeSetCount([{ cardinality: 2 }, { cardinality: 12 }])).toBe(39);
  });
});

describe("hostile input gives a DefinitionError naming the definition (issue 12, item 12)", () => {
  const catalogue = (metrics: unknown, extra: Record<string, unknown> = {}) => ({
    name: "svc",
    groups,
    metrics,
    ...extra,
  });

  it.each(["constructor", "toString", "__proto__", "valueOf"])(
    "a unit named like an Object.prototype member (%j) is a unit as written by the naming, and not UCUM",
    (unit) => {
      // The naming's table lookups ignore Object.prototype (no TypeError, the unit as written) …
      expect(prometheusName("svc.requests", unit, "gauge")).toBe(
        `svc_requests_${unit.replace(/^_+|_+$/g, "")}`,
      );
      // … and validation rejects it with a DefinitionError that names it, not a TypeError.
      expectAnyProblem(
        catalogue({ a: { ...ok, kind: "gauge", unit } }),
        '"svc.requests"',
        `its unit ${JSON.stringify(unit)} is not a UCUM unit`,
      );
    },
  );

  it.each([
    ["null", null],
    ["42", 42],
    ['"svc.requests"', "svc.requests"],
    ["an array", [ok]],
    ["undefined", undefined],
  ])("a metric that is %s", (label, value) => {
    expectAnyProblem(catalogue({ good: ok, bad: value }), "metric key bad", `is ${label}`, "Fix:");
  });

  it.each([
    ["null", null],
    ["3", 3],
    ['"timeout"', "timeout"],
    ["an array", ["timeout"]],
  ])("an attribute spec that is %s", (label, value) => {
    expectAnyProblem(
      catalogue({ a: { ...ok, attributes: { "error.type": value } } }),
      '"svc.requests"',
      'attribute "error.type"',
      `is ${label}`,
      "Fix:",
    );
  });

  it.each([
    ["null", null],
    ["an array", [{ values: ["x"] }]],
    ['"error.type"', "error.type"],
  ])("attributes that are %s", (label, value) => {
    expectAnyProblem(
      catalogue({ a: { ...ok, attributes: value } }),
      '"svc.requests"',
      "`attributes`",
      `got ${label}`,
    );
  });

  it("values that are not a list, and non-string values", () => {
    expectAnyProblem(
      catalogue({ a: { ...ok, attributes: { route: { values: "abc" } } } }),
      'attribute "route"',
      'got "abc"',
    );
    expectAnyProblem(
      catalogue({ a: { ...ok, attributes: { route: { values: [1, null] } } } }),
      'attribute "route"',
      "distinct, non-empty strings",
    );
    expectAnyProblem(
      catalogue({ a: { ...ok, attributes: { route: { maxValues: Object.create(null) as unknown } } } }),
      'attribute "route"',
      "`maxValues` must be a positive integer, got an object",
    );
    expectAnyProblem(
      catalogue({ a: { ...ok, attributes: { route: { values: ["x"], description: 5 } } } }),
      'attribute "route"',
      "description is 5",
    );
  });

  it("a metric key __proto__, as an own key (JSON) and in an object literal", () => {
    const fromJson: unknown = JSON.parse(`{"__proto__": ${JSON.stringify(ok)}}`);
    expectAnyProblem(catalogue(fromJson), "`metrics`", '"__proto__"', "Fix: rename it");
    // In a literal, `__proto__:` sets the prototype: the metric would silently vanish.
    expectAnyProblem(
      catalogue({ __proto__: ok, b: { ...ok, name: "svc.b" } }),
      "`metrics` has a prototype",
      "__proto__",
    );
    expectAnyProblem(
      catalogue({ a: { ...ok, attributes: { __proto__: { values: ["x"] } } } }),
      '"svc.requests"',
      "`attributes` has a prototype",
    );
    expectAnyProblem(
      { name: "svc", groups: { __proto__: { title: "x" } }, metrics: { a: ok } },
      "`groups` has a prototype",
    );
  });

  it("non-string names, kinds, units, groups and settings", () => {
    expectAnyProblem(catalogue({ a: { ...ok, name: 42 } }), "metric key a", "its name is 42, not a string");
    expectAnyProblem(catalogue({ a: { ...ok, name: ["svc.x"] } }), "metric key a", "its name is an array");
    expectAnyProblem(
      catalogue({ a: { ...ok, kind: Symbol("counter") } }),
      '"svc.requests"',
      "unknown kind Symbol(counter)",
    );
    expectAnyProblem(catalogue({ a: { ...ok, unit: 1 } }), '"svc.requests"', "its unit is 1, not a string");
    expectAnyProblem(
      catalogue({ a: { ...ok, group: null } }),
      '"svc.requests"',
      "unknown dashboard group null",
    );
    expectAnyProblem(
      catalogue({ a: { ...ok, naming: Object.create(null) as unknown } }),
      '"svc.requests"',
      "unknown naming an object",
    );
    expectAnyProblem(
      catalogue({ a: { ...ok, zeroWhenAbsent: "yes" } }),
      '"svc.requests"',
      "`zeroWhenAbsent`",
    );
    expectAnyProblem(
      catalogue({ a: { ...ok, cardinalityLimit: "10" } }),
      '"svc.requests"',
      '`cardinalityLimit` must be a positive integer, got "10"',
    );
    expectAnyProblem(
      catalogue({ a: { ...ok, name: "svc.lat", kind: "histogram", unit: "s", buckets: [1, Symbol("x")] } }),
      '"svc.lat"',
      "finite numbers, got [1, Symbol(x)]",
    );
    expectAnyProblem(
      catalogue({ a: { ...ok, name: "svc.lat", kind: "histogram", unit: "s", buckets: "1,2" } }),
      '"svc.lat"',
      "needs bucket boundaries",
    );
    expectAnyProblem(
      catalogue({ a: ok }, { seriesBudget: -1 }),
      "`seriesBudget` must be a positive integer, got -1",
    );
    expectAnyProblem(
      catalogue({ a: ok }, { defaultCardinalityLimit: 1.5 }),
      "`defaultCardinalityLimit`",
      "got 1.5",
    );
    expectAnyProblem(catalogue({ a: ok }, { title: 7 }), "`title` is 7");
  });

  it("a catalogue, metrics or groups of the wrong shape", () => {
    expectAnyProblem(null, "the catalogue is null, not an object");
    expectAnyProblem(7, "the catalogue is 7");
    expectAnyProblem({ name: Symbol("svc"), groups, metrics: { a: ok } }, "catalogue name Symbol(svc)");
    expectAnyProblem(catalogue(null), "`metrics` must be an object", "got null");
    expectAnyProblem(catalogue([ok]), "`metrics` must be an object", "got an array");
    expectAnyProblem(
      { name: "svc", groups: [{ title: "x" }], metrics: { a: ok } },
      "`groups` must be an object",
      "got an array",
    );
    expectAnyProblem(
      { name: "svc", groups: { main: null }, metrics: { a: ok } },
      'group "main"',
      "is null",
      "Fix:",
    );
    expectAnyProblem(
      { name: "svc", groups: { main: {} }, metrics: { a: ok } },
      'group "main"',
      "missing title",
    );
    expectAnyProblem(
      { name: "svc", groups: { main: { title: "M", description: 1 } }, metrics: { a: ok } },
      'group "main"',
      "description is 1",
    );
  });

  it("duplicate Prometheus names after translation", () => {
    // "." and "_" both split: the two names are different OTel names but one series.
    expectProblem(
      { a: ok, b: { ...ok, name: "svc_requests" } },
      '"svc_requests"',
      'series "svc_requests_total" collides with metric "svc.requests"',
    );
    // A Prometheus-named metric against an OTLP-named one.
    expectProblem(
      { a: ok, b: { ...ok, name: "svc_requests_total", naming: "prometheus" } },
      '"svc_requests_total"',
      "collides",
    );
    // A unit suffix making two names equal.
    expectProblem(
      {
        a: { ...ok, name: "svc.wait", kind: "gauge", unit: "s" },
        b: { ...ok, name: "svc.wait.seconds", kind: "gauge", unit: "s" },
      },
      '"svc.wait.seconds"',
      'series "svc_wait_seconds" collides',
    );
  });
});

describe("units are UCUM, as OpenTelemetry writes them (issue 14)", () => {
  const unitOk = (unit: string) =>
    defineMetrics({ name: "svc", groups, metrics: { a: { ...ok, kind: "gauge", unit } } }).list[0]?.unit;

  it.each([
    ...["s", "ms", "us", "ns", "min", "h", "d", "By", "KiBy", "MiBy", "GiBy", "kBy", "MBy", "GBy", "KBy"],
    ...["1", "%", "", "Cel", "Hz", "V", "A", "J", "W", "g", "m", "bit", "kbit"],
    ...["{request}", "{packet}", "{request}/s", "By/s", "1/s", "{event}/min", "m/s", "m.s-2", "m2", "{a.b}"],
  ])("accepts %j", (unit) => {
    expect(unitOk(unit)).toBe(unit);
  });

  it.each([
    ["seconds", "s"],
    ["Seconds", "s"],
    ["sec", "s"],
    ["milliseconds", "ms"],
    ["bytes", "By"],
    ["kb", "kBy"],
    ["mebibytes", "MiBy"],
    ["percent", "%"],
    ["ratio", "1"],
    ["minutes", "min"],
  ])("rejects the word %j and names the UCUM unit %j", (unit, symbol) => {
    expectProblem(
      { a: { ...ok, kind: "gauge", unit } },
      '"svc.requests"',
      `its unit "${unit}" is a word, not a UCUM unit`,
      `Fix: use "${symbol}"`,
    );
  });

  it.each([
    ["requests", "{request}"],
    ["bytes/second", "By/s"],
    ["bytes per second", "By/s"],
    ["requests/s", "{request}/s"],
    ["req/s", "{req}/s"],
  ])("rejects %j and suggests %j", (unit, fix) => {
    expectProblem(
      { a: { ...ok, kind: "gauge", unit } },
      '"svc.requests"',
      `its unit "${unit}" is not a UCUM unit`,
      `Fix: use "${fix}"`,
    );
  });

  it.each(["s(", "By//s", "/", "{unclosed", "10*3"])("rejects the malformed unit %j with the fix", (unit) => {
    expectProblem(
      { a: { ...ok, kind: "gauge", unit } },
      '"svc.requests"',
      `its unit ${JSON.stringify(unit)} is not a UCUM unit`,
      "Fix: ",
    );
  });

  it("every built-in catalogue uses UCUM units", () => {
    for (const c of [scotty, hostmetrics, otelcol])
      for (const m of c.list) expect([m.name, unitOk(m.unit)]).toEqual([m.name, m.unit]);
  });
});

describe("observedBy: system metrics are an explicit opt-in, checked at definition time (issue 14)", () => {
  const memory: MetricSpec = {
    name: "svc.memory.usage",
    kind: "gauge",
    unit: "By",
    description: "Memory.",
    group: "main",
    observedBy: "process.memory",
    attributes: { "memory.type": { values: ["rss", "heap_used"] } },
  };
  const cpu: MetricSpec = {
    name: "svc.cpu.usage",
    kind: "gauge",
    unit: "%",
    description: "CPU.",
    group: "main",
    observedBy: "process.cpu",
  };
  const uptime: MetricSpec = {
    name: "svc.uptime",
    kind: "counter",
    unit: "s",
    description: "Uptime.",
    group: "main",
    observedBy: "process.uptime",
  };

  it("accepts each source on a metric of its shape, under any key, and resolves it", () => {
    const c = defineMetrics({ name: "svc", groups, metrics: { heap: memory, load: cpu, age: uptime } });
    expect(c.list.map((m) => [m.key, m.observedBy])).toEqual([
      ["heap", "process.memory"],
      ["load", "process.cpu"],
      ["age", "process.uptime"],
    ]);
    expect(defineMetrics({ name: "svc", groups, metrics: { requests: ok } }).list[0]!.observedBy).toBe(
      undefined,
    );
  });

  it("keeps scotty's system metrics observed, with their series names", () => {
    expect(scotty.list.filter((m) => m.observedBy !== undefined).map((m) => m.prometheusName)).toEqual([
      "scotty_memory_usage_bytes",
      "scotty_cpu_usage_percent",
      "scotty_uptime_seconds_total",
    ]);
  });

  it.each<[string, MetricSpec, string]>([
    [
      "a memory counter",
      { ...memory, kind: "counter" },
      'needs a gauge with unit "By" and one attribute "memory.type"',
    ],
    [
      "an unknown memory type",
      { ...memory, attributes: { "memory.type": { values: ["rss", "swap"] } } },
      "among rss, heap_total, heap_used, external, array_buffers",
    ],
    ["memory without memory.type", { ...memory, attributes: undefined }, 'one attribute "memory.type"'],
    ["cpu in seconds", { ...cpu, unit: "s" }, 'needs a gauge with unit "%" (percent of one core) or "1"'],
    ["cpu with attributes", { ...cpu, attributes: { core: { maxValues: 8 } } }, 'with attributes "core"'],
    [
      "uptime as a histogram",
      { ...uptime, kind: "histogram", buckets: [1] },
      'needs a counter or gauge with unit "s"',
    ],
    ["uptime in ms", { ...uptime, unit: "ms" }, 'but it is a counter in "ms"'],
  ])("rejects %s, naming the metric and the fix", (_label, spec, fragment) => {
    expectProblem(
      { x: spec },
      `metric "${spec.name}" (key x)`,
      "`observedBy:",
      fragment,
      "remove `observedBy`",
    );
  });

  it("rejects an unknown source, listing the known ones", () => {
    expectProblem(
      { x: { ...cpu, observedBy: "process.disk" as MetricSpec["observedBy"] } },
      'metric "svc.cpu.usage" (key x)',
      'unknown `observedBy` "process.disk"',
      "process.memory, process.cpu, process.uptime",
    );
  });
});

describe("optional attributes (issue 14)", () => {
  it("accepts optional: true or false, and nothing else", () => {
    const c = defineMetrics({
      name: "svc",
      groups,
      metrics: {
        requests: {
          ...ok,
          attributes: { route: { maxValues: 3, optional: true }, m: { values: ["a"], optional: false } },
        },
      },
    });
    expect(c.list[0]!.attributes.map((a) => a.key)).toEqual(["route", "m"]);
    expectProblem(
      { a: { ...ok, attributes: { route: { maxValues: 3, optional: "yes" as unknown as boolean } } } },
      'metric "svc.requests" (key a), attribute "route"',
      '`optional` is "yes"',
    );
  });
});
