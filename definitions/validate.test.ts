import { defineMetrics } from "./define";
import type { MetricSpec } from "./types";
import { DefinitionError } from "./validate";

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

  it("rejects a metric whose possible series exceed its cardinality limit", () => {
    expectProblem(
      {
        a: { ...ok, cardinalityLimit: 50, attributes: { route: { maxValues: 10 }, code: { maxValues: 6 } } },
      },
      '"svc.requests"',
      "allow 60 series",
      "limit of 50",
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
    expect(problems[0]).toContain("70 series");
    expect(problems[0]).toContain("budget of 50");
    expect(problems[0]).toContain("svc.requests 40");
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
      /Invalid metric catalogue "svc" \(1 problem\):\n {2}- metric "svc.requests" \(key a\): missing description/,
    );
  });
});
