import { defineMetrics } from "./define";
import { defaultTitle, meaningOf } from "./semantics";
import type { MetricSpec } from "./types";
import { DefinitionError } from "./validate";

const base: Record<string, MetricSpec> = {
  requests: {
    name: "svc.requests",
    kind: "counter",
    unit: "{request}",
    description: "Requests.",
    group: "main",
  },
  duration: {
    name: "svc.request.duration",
    kind: "histogram",
    unit: "s",
    description: "Durations.",
    group: "main",
    buckets: [0.1, 1],
  },
  inFlight: {
    name: "svc.in_flight",
    kind: "upDownCounter",
    unit: "{request}",
    description: "In flight.",
    group: "main",
  },
};

/** The problems defineMetrics reports for base + `extra`. */
function problems(extra: Record<string, MetricSpec>): string[] {
  try {
    defineMetrics({ name: "svc", groups: { main: { title: "Main" } }, metrics: { ...base, ...extra } });
    return [];
  } catch (e) {
    if (!(e instanceof DefinitionError)) throw e;
    return [...e.problems];
  }
}

const gauge = (over: Partial<MetricSpec>): MetricSpec => ({
  name: "svc.thing",
  kind: "gauge",
  unit: "By",
  description: "A thing.",
  group: "main",
  ...over,
});

describe("semantic validation", () => {
  it("accepts a sound catalogue and resolves defaults", () => {
    const c = defineMetrics({
      name: "svc",
      groups: { main: { title: "Main" } },
      metrics: {
        ...base,
        requests: { ...base.requests!, requests: { duration: "duration", saturation: "inFlight" } },
        errors: {
          name: "svc.errors",
          kind: "counter",
          unit: "{error}",
          description: "E.",
          group: "main",
          failuresOf: "requests",
        },
        ratio: gauge({ name: "svc.hit_ratio", unit: "1" }),
      },
    });
    const r = meaningOf(c, c.byKey.requests);
    expect(r.title).toBe("Requests");
    expect(r.requests?.duration?.key).toBe("duration");
    expect(r.requests?.saturation?.key).toBe("inFlight");
    expect(r.requests?.errors.map((e) => e.key)).toEqual(["errors"]);
    expect(r.requests?.errorRatio).toEqual({ warning: 0.01, critical: 0.05 });
    expect(meaningOf(c, c.byKey.ratio).aggregation).toBe("avg");
    expect(
      meaningOf(
        c,
        c.list.find((m) => m.key === "inFlight")!,
      ).aggregation,
    ).toBe("sum");
    expect(defaultTitle("scotty.log_streams.active")).toBe("Log streams active");
    expect(defaultTitle("otelcol_exporter_queue_size")).toBe("Exporter queue size");
  });

  const cases: [string, Record<string, MetricSpec>, RegExp][] = [
    [
      "summing a ratio",
      { r: gauge({ name: "svc.hit_ratio", unit: "1", aggregation: "sum" }) },
      /metric "svc.hit_ratio".*summing a ratio/,
    ],
    [
      "summing a percent",
      { r: gauge({ name: "svc.cpu", unit: "%", aggregation: "sum" }) },
      /metric "svc.cpu".*summing a ratio/,
    ],
    [
      "rate over a gauge (requests on a gauge)",
      { r: gauge({ requests: {} }) },
      /metric "svc.thing".*rate over a gauge/,
    ],
    [
      "aggregation on a counter",
      { r: { ...base.requests!, name: "svc.other", aggregation: "max" } },
      /metric "svc.other".*only applies to gauges/,
    ],
    [
      "a ratio counter",
      { r: { ...base.requests!, name: "svc.share", unit: "1" } },
      /metric "svc.share".*rated into a ratio/,
    ],
    [
      "duration that is not a histogram",
      { r: { ...base.requests!, name: "svc.calls", requests: { duration: "inFlight" } } },
      /metric "svc.calls".*requests.duration "inFlight" is a upDownCounter/,
    ],
    [
      "saturation that is not a gauge",
      { r: { ...base.requests!, name: "svc.calls", requests: { saturation: "requests" } } },
      /metric "svc.calls".*requests.saturation/,
    ],
    [
      "failuresOf an unknown key",
      { e: { ...base.requests!, name: "svc.errors", failuresOf: "nope" } },
      /metric "svc.errors".*failuresOf "nope"/,
    ],
    [
      "failuresOf itself",
      { e: { ...base.requests!, name: "svc.errors", failuresOf: "e" } },
      /metric "svc.errors".*its own failures/,
    ],
    [
      "uptime with attributes",
      {
        u: {
          name: "svc.uptime",
          kind: "counter",
          unit: "s",
          description: "U.",
          group: "main",
          uptime: true,
          attributes: { a: { values: ["x"] } },
        },
      },
      /metric "svc.uptime".*uptime is a counter or gauge/,
    ],
    ["utilisation on a gauge", { u: gauge({ utilisation: true }) }, /metric "svc.thing".*utilisation/],
    [
      "inUse without partition",
      { p: gauge({ attributes: { state: { values: ["used", "free"], inUse: ["used"] } } }) },
      /metric "svc.thing".*attribute "state".*partition: true/,
    ],
    [
      "inUse of an unknown value",
      { p: gauge({ attributes: { state: { values: ["used", "free"], partition: true, inUse: ["busy"] } } }) },
      /attribute "state".*not busy/,
    ],
    [
      "inUse of every value",
      {
        p: gauge({
          attributes: { state: { values: ["used", "free"], partition: true, inUse: ["used", "free"] } },
        }),
      },
      /attribute "state".*always 100%/,
    ],
    [
      "failure values on a gauge",
      { p: gauge({ attributes: { s: { values: ["ok", "bad"], failure: ["bad"] } } }) },
      /attribute "s".*counts no events/,
    ],
    [
      "failure values on an open attribute",
      {
        e: {
          ...base.requests!,
          name: "svc.calls",
          attributes: { code: { maxValues: 10, failure: ["500"] } },
        },
      },
      /attribute "code".*needs the attribute's `values`/,
    ],
    [
      "a partition on a histogram",
      {
        h: {
          ...base.duration!,
          name: "svc.latency",
          attributes: { k: { values: ["a", "b"], partition: true } },
        },
      },
      /metric "svc.latency".*partition attribute means nothing/,
    ],
    [
      "thresholds in the wrong order",
      { t: gauge({ thresholds: { warning: 10, critical: 5 } }) },
      /metric "svc.thing".*critical must be above warning/,
    ],
    ["an empty title", { t: gauge({ title: " " }) }, /metric "svc.thing".*`title` is empty/],
  ];
  for (const [what, extra, message] of cases) {
    it(`rejects ${what}, naming the metric`, () => {
      const found = problems(extra);
      expect(found.some((p) => message.test(p))).toBe(true);
    });
  }
});
