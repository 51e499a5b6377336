// Cardinality bounds at run time, on both paths: a metric keeps the attribute sets it saw first (up to
// its limit, and each open attribute up to its maxValues) for the life of the process, and counts
// everything else in one `otel.metric.overflow=true` series, with one warning per cause (OTel SDK spec,
// cumulative aggregation). Rejected recordings use up nothing.
import { DiagLogLevel } from "@opentelemetry/api";
import { defineMetrics } from "../definitions";
import { createMetrics } from "./create";
import {
  captureDiag,
  countingExporter,
  cumulativeExporter,
  metric,
  points,
  withCardinalityLimit,
} from "./test/helpers";

const manual = { exportIntervalMillis: 3_600_000 };
const OVERFLOW = { "otel.metric.overflow": true };

const base = defineMetrics({
  name: "limits",
  groups: { g: { title: "G" } },
  metrics: {
    // 4 × 3 = 12 attribute sets (absent attributes included): a limit of 12 holds every one of them.
    requests: {
      name: "limits.requests",
      kind: "counter",
      unit: "{request}",
      description: "Requests.",
      group: "g",
      // Optional: these tests record sets that leave attributes out.
      attributes: {
        route: { maxValues: 3, optional: true },
        method: { values: ["GET", "POST"], optional: true },
      },
      cardinalityLimit: 12,
    },
    // 3 × 3 = 9 sets, all declared values: its limit is lowered below that in some tests.
    jobs: {
      name: "limits.jobs",
      kind: "counter",
      unit: "{job}",
      description: "Jobs.",
      group: "g",
      attributes: {
        queue: { values: ["a", "b"], optional: true },
        priority: { values: ["high", "low"], optional: true },
      },
    },
    // 5001 sets: more than the fast path takes, so this one is always on the plain SDK path.
    users: {
      name: "limits.users",
      kind: "counter",
      unit: "{request}",
      description: "Requests by user.",
      group: "g",
      attributes: { user: { maxValues: 5000 } },
      cardinalityLimit: 5001,
    },
  },
});

const JOB_SETS = [
  {},
  { queue: "a" },
  { queue: "b" },
  { priority: "high" },
  { priority: "low" },
  { queue: "a", priority: "high" },
  { queue: "a", priority: "low" },
  { queue: "b", priority: "high" },
  { queue: "b", priority: "low" },
] as const;

type Loose = Record<string, { add(v: unknown, a?: unknown): void }>;

describe.each([
  ["fast path", true],
  ["plain SDK path", false],
])("cardinality bounds (%s)", (_label, fastPath) => {
  it("keeps N attribute sets for a limit of N, and puts only later sets into the overflow series", async () => {
    const exporter = cumulativeExporter();
    const m = createMetrics(withCardinalityLimit(base, "jobs", 4), { exporter, fastPath, ...manual });
    for (const s of JOB_SETS) m.jobs.add(1, s);
    m.jobs.add(10, { queue: "a" });
    await m.shutdown();
    const p = points(metric(exporter, "limits.jobs"));
    expect(p).toHaveLength(5);
    expect(p).toEqual(
      expect.arrayContaining([
        { attributes: OVERFLOW, value: 5 },
        { attributes: {}, value: 1 },
        { attributes: { queue: "a" }, value: 11 },
        { attributes: { queue: "b" }, value: 1 },
        { attributes: { priority: "high" }, value: 1 },
      ]),
    );
  });

  it("keeps every declared attribute set when the sets equal the limit", async () => {
    const exporter = cumulativeExporter();
    const m = createMetrics(withCardinalityLimit(base, "jobs", JOB_SETS.length), {
      exporter,
      fastPath,
      ...manual,
    });
    for (const s of JOB_SETS) m.jobs.add(1, s);
    await m.shutdown();
    const p = points(metric(exporter, "limits.jobs"));
    expect(p).toHaveLength(JOB_SETS.length);
    expect(p.some((x) => x.attributes["otel.metric.overflow"] !== undefined)).toBe(false);
  });

  it("holds the limit for the life of the process: sets first seen after it overflow in every later export", async () => {
    const diagLog = captureDiag(DiagLogLevel.WARN);
    try {
      const exporter = cumulativeExporter();
      const m = createMetrics(withCardinalityLimit(base, "jobs", 2), { exporter, fastPath, ...manual });
      m.jobs.add(1, { queue: "a" });
      m.jobs.add(1, { queue: "b" });
      await m.forceFlush();
      // A new collection interval: the SDK would admit new sets again here.
      for (const s of JOB_SETS) m.jobs.add(1, s);
      await m.forceFlush();
      m.jobs.add(1, { priority: "low" });
      await m.shutdown();
      const p = points(metric(exporter, "limits.jobs"));
      expect(p).toHaveLength(3);
      expect(p).toEqual(
        expect.arrayContaining([
          { attributes: OVERFLOW, value: 8 },
          { attributes: { queue: "a" }, value: 2 },
          { attributes: { queue: "b" }, value: 2 },
        ]),
      );
      const warnings = diagLog.messages.filter((x) => x.message.includes("cardinality limit"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toMatch(/limits\.jobs.*cardinality limit of 2.*otel\.metric\.overflow/);
    } finally {
      diagLog.restore();
    }
  });

  it("enforces maxValues: further values go to the overflow series, with one warning", async () => {
    const diagLog = captureDiag(DiagLogLevel.WARN);
    try {
      const exporter = cumulativeExporter();
      const m = createMetrics(base, { exporter, fastPath, ...manual });
      for (let round = 0; round < 3; round++) {
        for (const route of ["/a", "/b", "/c", "/d", "/e"]) m.requests.add(1, { route, method: "GET" });
        await m.forceFlush();
      }
      await m.shutdown();
      const p = points(metric(exporter, "limits.requests"));
      expect(p).toHaveLength(4);
      expect(p).toEqual(
        expect.arrayContaining([
          { attributes: OVERFLOW, value: 6 },
          { attributes: { route: "/a", method: "GET" }, value: 3 },
          { attributes: { route: "/b", method: "GET" }, value: 3 },
          { attributes: { route: "/c", method: "GET" }, value: 3 },
        ]),
      );
      const warnings = diagLog.messages.filter((x) => x.message.includes("maxValues"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toContain("limits.requests");
    } finally {
      diagLog.restore();
    }
  });

  it("does not let rejected recordings use up an open attribute's values", async () => {
    const diagLog = captureDiag(DiagLogLevel.WARN);
    try {
      const exporter = cumulativeExporter();
      const m = createMetrics(base, { exporter, fastPath, ...manual });
      const loose = m as unknown as Loose;
      // The open value comes first, the bad attribute after it (the order `for…in` visits them).
      loose.requests!.add(1, { route: "/bad1", method: "DELETE" });
      loose.requests!.add(1, { route: "/bad2", lane: "x" });
      loose.requests!.add(1, { route: "/bad3", method: 7 });
      for (const route of ["/a", "/b", "/c"]) m.requests.add(1, { route });
      await m.shutdown();
      expect(points(metric(exporter, "limits.requests"))).toEqual([
        { attributes: { route: "/a" }, value: 1 },
        { attributes: { route: "/b" }, value: 1 },
        { attributes: { route: "/c" }, value: 1 },
      ]);
      expect(diagLog.messages.some((x) => x.message.includes("maxValues"))).toBe(false);
    } finally {
      diagLog.restore();
    }
  });
});

describe("a metric with more attribute sets than the fast path takes (plain SDK path)", () => {
  jest.setTimeout(120_000);

  it("enforces maxValues over the life of the process: 1e6 distinct values in 100 collections", async () => {
    const diagLog = captureDiag(DiagLogLevel.WARN);
    try {
      const exporter = countingExporter();
      const m = createMetrics(base, { exporter, ...manual });
      const perCollection = 10_000;
      for (let c = 0; c < 100; c++) {
        for (let i = 0; i < perCollection; i++) m.users.add(1, { user: `u${c * perCollection + i}` });
        await m.forceFlush();
      }
      await m.shutdown();
      const series = exporter.counts.map((x) => x.get("limits.users") ?? 0);
      expect(Math.max(...series)).toBe(5001);
      expect(series.at(-1)).toBe(5001);
      const warnings = diagLog.messages.filter((x) => x.message.includes("maxValues"));
      expect(warnings).toHaveLength(1);
    } finally {
      diagLog.restore();
    }
  });
});
