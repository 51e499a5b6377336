// createMetrics end to end through the SDK's real reader and the in-memory exporter. Every kind is
// checked on both paths (fast path on and off): the exported data must not depend on the path.
import type { HistogramMetricData, SumMetricData } from "@opentelemetry/sdk-metrics";
import { AggregationTemporality, DataPointType, InMemoryMetricExporter } from "@opentelemetry/sdk-metrics";
import { defineMetrics, scotty } from "../definitions";
import { createMetrics } from "./create";
import { MetricsConfigError } from "./errors";
import {
  captureDiag,
  cumulativeExporter,
  lastExport,
  metric,
  points,
  withCardinalityLimit,
} from "./test/helpers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// A long interval: exports happen only on forceFlush/shutdown, when the test asks.
const manual = { exportIntervalMillis: 3_600_000 };

describe.each([
  ["fast path", true],
  ["plain SDK path", false],
])("createMetrics with the scotty catalogue (%s)", (_label, fastPath) => {
  let exporter: InMemoryMetricExporter;
  let m: ReturnType<typeof createMetrics<(typeof scotty)["metrics"]>>;

  beforeEach(() => {
    exporter = cumulativeExporter();
    m = createMetrics(scotty, { exporter, fastPath, ...manual });
  });
  afterEach(() => m.shutdown());

  it("exports a counter without attributes as a monotonic cumulative sum", async () => {
    m.logStreams.add(1);
    m.logStreams.add(2);
    await m.forceFlush();
    const data = metric(exporter, "scotty.log_streams") as SumMetricData;
    expect(data.descriptor).toMatchObject({
      name: "scotty.log_streams",
      unit: "{stream}",
      description: scotty.byKey.logStreams.description,
    });
    expect(data.dataPointType).toBe(DataPointType.SUM);
    expect(data.isMonotonic).toBe(true);
    expect(data.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    expect(points(data)).toEqual([{ attributes: {}, value: 3 }]);
  });

  it("exports a counter's declared attributes, one series per value", async () => {
    m.logStreamErrors.add(1, { "error.type": "timeout" });
    m.logStreamErrors.add(1, { "error.type": "timeout" });
    m.logStreamErrors.add(5, { "error.type": "internal" });
    await m.forceFlush();
    expect(points(metric(exporter, "scotty.log_stream.errors"))).toEqual([
      { attributes: { "error.type": "internal" }, value: 5 },
      { attributes: { "error.type": "timeout" }, value: 2 },
    ]);
  });

  it("keeps cumulative sums across exports", async () => {
    m.logLinesReceived.add(10);
    await m.forceFlush();
    m.logLinesReceived.add(5);
    await m.forceFlush();
    const exports = exporter.getMetrics();
    expect(exports.length).toBeGreaterThanOrEqual(2);
    expect(points(metric(exporter, "scotty.log_lines.received"))).toEqual([{ attributes: {}, value: 15 }]);
  });

  it("exports an up-down counter as a non-monotonic cumulative sum that can go down", async () => {
    m.websocketConnectionsActive.add(3);
    m.websocketConnectionsActive.add(-2);
    await m.forceFlush();
    const data = metric(exporter, "scotty.websocket_connections.active") as SumMetricData;
    expect(data.dataPointType).toBe(DataPointType.SUM);
    expect(data.isMonotonic).toBe(false);
    expect(data.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    expect(data.descriptor.unit).toBe("{connection}");
    expect(points(data)).toEqual([{ attributes: {}, value: 1 }]);
  });

  it("exports a gauge's last recorded value", async () => {
    m.taskOutputBuffer.record(2048);
    m.taskOutputBuffer.record(512);
    await m.forceFlush();
    const data = metric(exporter, "scotty.task.output_buffer");
    expect(data.dataPointType).toBe(DataPointType.GAUGE);
    expect(data.descriptor.unit).toBe("By");
    expect(data.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    expect(points(data)).toEqual([{ attributes: {}, value: 512 }]);
  });

  it("exports a histogram with the definition's bucket boundaries, counts, sum, min and max", async () => {
    // taskSeconds buckets: 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, … (upper bounds inclusive).
    m.taskDuration.record(0.05, { "task.status": "succeeded" });
    m.taskDuration.record(0.07, { "task.status": "succeeded" });
    m.taskDuration.record(3, { "task.status": "succeeded" });
    m.taskDuration.record(2000, { "task.status": "failed" });
    await m.forceFlush();
    const data = metric(exporter, "scotty.task.duration") as HistogramMetricData;
    const boundaries = scotty.byKey.taskDuration.buckets!;
    expect(data.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(data.descriptor.unit).toBe("s");
    expect(data.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    const counts = (hits: Record<number, number>) =>
      boundaries.map((_, i) => hits[i] ?? 0).concat(hits[-1] ?? 0);
    expect(points(data)).toEqual([
      {
        attributes: { "task.status": "failed" },
        value: {
          count: 1,
          sum: 2000,
          min: 2000,
          max: 2000,
          buckets: { boundaries, counts: counts({ [-1]: 1 }) },
        },
      },
      {
        attributes: { "task.status": "succeeded" },
        value: {
          count: 3,
          sum: 0.05 + 0.07 + 3,
          min: 0.05,
          max: 3,
          buckets: { boundaries, counts: counts({ 0: 1, 1: 1, [boundaries.indexOf(5)]: 1 }) },
        },
      },
    ]);
  });

  it("tracks an operation: active while running, duration recorded in the histogram's unit on end", async () => {
    const op = m.track("tasksActive", { duration: "taskDuration" });
    await m.forceFlush();
    expect(points(metric(exporter, "scotty.tasks.active"))).toEqual([{ attributes: {}, value: 1 }]);
    await new Promise((r) => setTimeout(r, 20));
    const elapsedMillis = op.end({ "task.status": "cancelled" });
    await m.forceFlush();
    expect(points(metric(exporter, "scotty.tasks.active"))).toEqual([{ attributes: {}, value: 0 }]);
    const [p] = points(metric(exporter, "scotty.task.duration"));
    expect(p!.attributes).toEqual({ "task.status": "cancelled" });
    const value = p!.value as { count: number; sum: number };
    expect(elapsedMillis).toBeGreaterThanOrEqual(15);
    expect(value.count).toBe(1);
    expect(value.sum).toBeCloseTo(elapsedMillis / 1000, 9);
  });

  it("ignores a second end of the same operation", async () => {
    const diagLog = captureDiag();
    try {
      const op = m.track("shellSessionsActive", { duration: "shellSessionDuration" });
      op.end();
      op.end();
      await m.forceFlush();
      expect(points(metric(exporter, "scotty.shell_sessions.active"))).toEqual([
        { attributes: {}, value: 0 },
      ]);
      expect(
        (points(metric(exporter, "scotty.shell_session.duration"))[0]!.value as { count: number }).count,
      ).toBe(1);
      expect(diagLog.messages.some((x) => x.message.includes("end() called twice"))).toBe(true);
    } finally {
      diagLog.restore();
    }
  });

  it("observes the system-health metrics itself", async () => {
    await m.forceFlush();
    const memory = metric(exporter, "scotty.memory.usage");
    expect(memory.dataPointType).toBe(DataPointType.GAUGE);
    const memoryPoints = points(memory);
    expect(memoryPoints.map((p) => p.attributes["memory.type"]).sort()).toEqual(
      [...scotty.byKey.memoryUsage.attributes[0]!.values!].sort(),
    );
    for (const p of memoryPoints) expect(p.value).toBeGreaterThan(0);
    const uptime = metric(exporter, "scotty.uptime") as SumMetricData;
    expect(uptime.isMonotonic).toBe(true);
    expect(uptime.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    expect(points(uptime)[0]!.value).toBeGreaterThan(0);
    expect(points(uptime)[0]!.value).toBeLessThanOrEqual(process.uptime());
    const cpu = points(metric(exporter, "scotty.cpu.usage"));
    expect(cpu).toHaveLength(1);
    expect(cpu[0]!.value).toBeGreaterThanOrEqual(0);
    expect(m.memoryUsage.observed).toBe(true);
  });

  it("drops bad recordings from untyped code and reports them through diag, without throwing", async () => {
    const diagLog = captureDiag();
    try {
      const loose = m as unknown as Record<
        string,
        { add(v: unknown, a?: unknown): void; record(v: unknown, a?: unknown): void }
      >;
      const bad: [string, "add" | "record", unknown, unknown][] = [
        ["logStreamErrors", "add", 1, { "error.type": "nope" }],
        ["logStreamErrors", "add", 1, { "error.kind": "timeout" }],
        ["logStreamErrors", "add", 1, { "error.type": 42 }],
        ["logStreamErrors", "add", -1, { "error.type": "timeout" }],
        ["logStreamErrors", "add", Number.NaN, undefined],
        ["logStreamErrors", "add", "3", undefined],
        ["logStreams", "add", 1, { extra: "x" }],
        ["logStreams", "add", Number.POSITIVE_INFINITY, undefined],
        ["taskDuration", "record", -0.5, { "task.status": "failed" }],
        ["taskOutputBuffer", "record", Number.NaN, undefined],
      ];
      for (const [key, method, value, attributes] of bad) {
        expect(() => loose[key]![method](value, attributes)).not.toThrow();
      }
      m.logStreamErrors.add(1, { "error.type": "timeout" });
      m.logStreams.add(1, null as never);
      await m.forceFlush();
      expect(points(metric(exporter, "scotty.log_stream.errors"))).toEqual([
        { attributes: { "error.type": "timeout" }, value: 1 },
      ]);
      expect(points(metric(exporter, "scotty.log_streams"))).toEqual([{ attributes: {}, value: 1 }]);
      expect(lastExport(exporter).byName.has("scotty.task.duration")).toBe(false);
      expect(lastExport(exporter).byName.has("scotty.task.output_buffer")).toBe(false);
      const warnings = diagLog.messages.filter((x) => x.level === "warn").map((x) => x.message);
      expect(warnings.some((w) => w.includes('"error.type" = "nope" is not declared'))).toBe(true);
      expect(warnings.some((w) => w.includes('attribute "error.kind" is not declared'))).toBe(true);
      expect(warnings.some((w) => w.includes("value -1 is not a finite number ≥ 0"))).toBe(true);
      expect(warnings.some((w) => w.includes('scotty.log_streams: attribute "extra" is not declared'))).toBe(
        true,
      );
    } finally {
      diagLog.restore();
    }
  });

  it("flushes on shutdown", async () => {
    m.logStreamBytes.add(4096);
    await m.shutdown();
    expect(points(metric(exporter, "scotty.log_stream.bytes"))).toEqual([{ attributes: {}, value: 4096 }]);
    await expect(m.shutdown()).resolves.toBeUndefined();
  });
});

describe("createMetrics resource", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ["OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  async function resourceOf(options: Parameters<typeof createMetrics>[1] = {}) {
    const exporter = cumulativeExporter();
    const m = createMetrics(scotty, { exporter, ...manual, ...options });
    m.logStreams.add(1);
    await m.shutdown();
    return lastExport(exporter).resource.resource.attributes;
  }

  it("defaults service.name to the catalogue name and service.instance.id to a random UUID", async () => {
    delete process.env.OTEL_SERVICE_NAME;
    delete process.env.OTEL_RESOURCE_ATTRIBUTES;
    const a = await resourceOf();
    const b = await resourceOf();
    expect(a["service.name"]).toBe("scotty");
    expect(a["service.instance.id"]).toMatch(UUID);
    expect(b["service.instance.id"]).not.toBe(a["service.instance.id"]);
    expect(a["telemetry.sdk.language"]).toBe("nodejs");
  });

  it("honours OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, and explicit options over both", async () => {
    process.env.OTEL_RESOURCE_ATTRIBUTES = "deployment.environment.name=dev,service.instance.id=pod-7";
    process.env.OTEL_SERVICE_NAME = "scotty-env";
    const fromEnv = await resourceOf();
    expect(fromEnv["service.name"]).toBe("scotty-env");
    expect(fromEnv["service.instance.id"]).toBe("pod-7");
    expect(fromEnv["deployment.environment.name"]).toBe("dev");
    const explicit = await resourceOf({ serviceName: "scotty-a", serviceInstanceId: "i-1" });
    expect(explicit["service.name"]).toBe("scotty-a");
    expect(explicit["service.instance.id"]).toBe("i-1");
  });
});

describe("createMetrics settings", () => {
  it("is a no-op with the same API when disabled (OTEL_SDK_DISABLED=true)", async () => {
    const saved = process.env.OTEL_SDK_DISABLED;
    process.env.OTEL_SDK_DISABLED = "true";
    try {
      const exporter = cumulativeExporter();
      const m = createMetrics(scotty, { exporter, ...manual });
      expect(m.enabled).toBe(false);
      m.logStreams.add(1);
      m.logStreamErrors.add(1, { "error.type": "timeout" });
      m.taskDuration.record(1, { "task.status": "failed" });
      m.taskOutputBuffer.record(3);
      const op = m.track("tasksActive", { duration: "taskDuration" });
      expect(op.end({ "task.status": "succeeded" })).toBeGreaterThanOrEqual(0);
      await m.forceFlush();
      await m.shutdown();
      expect(exporter.getMetrics()).toEqual([]);
      expect(
        Object.keys(m).filter((k) => !["track", "forceFlush", "shutdown", "enabled"].includes(k)),
      ).toEqual(scotty.list.map((x) => x.key));
    } finally {
      if (saved === undefined) delete process.env.OTEL_SDK_DISABLED;
      else process.env.OTEL_SDK_DISABLED = saved;
    }
  });

  it("starts, warning once per variable, when OTEL_* variables hold typos (OTel env spec)", async () => {
    const vars = {
      OTEL_SDK_DISABLED: "1",
      OTEL_METRIC_EXPORT_INTERVAL: "abc",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http",
    };
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    const diagLog = captureDiag();
    try {
      const exporter = cumulativeExporter();
      const m = createMetrics(scotty, { exporter });
      expect(m.enabled).toBe(true);
      m.logStreams.add(2);
      await m.shutdown();
      expect(points(metric(exporter, "scotty.log_streams"))).toEqual([{ attributes: {}, value: 2 }]);
      for (const k of Object.keys(vars)) {
        expect(diagLog.messages.filter((x) => x.level === "warn" && x.message.includes(k))).toHaveLength(1);
      }
    } finally {
      diagLog.restore();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it.each(["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"])(
    "starts with an invalid %s for gRPC, warning once and using the default endpoint",
    async (name) => {
      const saved = process.env[name];
      process.env[name] = "not a url";
      const diagLog = captureDiag();
      try {
        const m = createMetrics(scotty, { protocol: "grpc", exportIntervalMillis: 3_600_000 });
        expect(m.enabled).toBe(true);
        m.logStreams.add(1);
        const warnings = diagLog.messages.filter((x) => x.level === "warn" && x.message.includes(name));
        expect(warnings).toHaveLength(1);
        expect(warnings[0]!.message).toContain("http://localhost:4317");
        await m.shutdown();
      } finally {
        diagLog.restore();
        if (saved === undefined) delete process.env[name];
        else process.env[name] = saved;
      }
    },
  );

  it("rejects a delta exporter, naming the setting", () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    expect(() => createMetrics(scotty, { exporter, ...manual })).toThrow(
      /option exporter selects delta temporality.*cumulative only/,
    );
  });

  it("rejects exporter and reader together", () => {
    expect(() => createMetrics(scotty, { exporter: cumulativeExporter(), reader: {} as never })).toThrow(
      MetricsConfigError,
    );
  });

  it("rejects a metric key that clashes with the controls", () => {
    const clash = defineMetrics({
      name: "clash",
      groups: { g: { title: "G" } },
      metrics: {
        shutdown: {
          name: "clash.shutdowns",
          kind: "counter",
          unit: "{shutdown}",
          description: "d",
          group: "g",
        },
      },
    });
    expect(() => createMetrics(clash, { exporter: cumulativeExporter() })).toThrow(
      /"shutdown".*rename the key/,
    );
  });

  it("never takes over a user's metric: the keys uptime, memoryUsage and cpuUsage are the app's own", async () => {
    const own = defineMetrics({
      name: "own",
      groups: { g: { title: "G" } },
      metrics: {
        // Shapes the module would observe if they were declared observedBy: without it, the app records.
        uptime: { name: "own.uptime", kind: "gauge", unit: "s", description: "d", group: "g" },
        cpuUsage: { name: "own.cpu.usage", kind: "gauge", unit: "%", description: "d", group: "g" },
        memoryUsage: {
          name: "own.memory.usage",
          kind: "histogram",
          unit: "By",
          description: "d",
          group: "g",
          buckets: [1024, 4096],
          attributes: { pool: { values: ["a", "b"] } },
        },
      },
    });
    const exporter = cumulativeExporter();
    const m = createMetrics(own, { exporter, ...manual });
    m.uptime.record(42);
    m.cpuUsage.record(7);
    m.memoryUsage.record(2048, { pool: "a" });
    await m.shutdown();
    expect(points(metric(exporter, "own.uptime"))).toEqual([{ attributes: {}, value: 42 }]);
    expect(points(metric(exporter, "own.cpu.usage"))).toEqual([{ attributes: {}, value: 7 }]);
    const memory = points(metric(exporter, "own.memory.usage"));
    expect(memory).toHaveLength(1);
    expect(memory[0]!.attributes).toEqual({ pool: "a" });
    expect((memory[0]!.value as { sum: number; count: number }).sum).toBe(2048);
  });

  it("observes a metric declared observedBy whatever its key", async () => {
    const any = defineMetrics({
      name: "any",
      groups: { g: { title: "G" } },
      metrics: {
        started: {
          name: "any.process.age",
          kind: "gauge",
          unit: "s",
          description: "d",
          group: "g",
          observedBy: "process.uptime",
        },
        heap: {
          name: "any.heap",
          kind: "gauge",
          unit: "By",
          description: "d",
          group: "g",
          observedBy: "process.memory",
          attributes: { "memory.type": { values: ["heap_used", "array_buffers"] } },
        },
      },
    });
    const exporter = cumulativeExporter();
    const m = createMetrics(any, { exporter, ...manual });
    expect(m.started.observed).toBe(true);
    await m.shutdown();
    const age = points(metric(exporter, "any.process.age"));
    expect(age).toHaveLength(1);
    expect(age[0]!.value).toBeGreaterThan(0);
    expect(age[0]!.value).toBeLessThanOrEqual(process.uptime());
    expect(
      points(metric(exporter, "any.heap"))
        .map((p) => p.attributes["memory.type"])
        .sort(),
    ).toEqual(["array_buffers", "heap_used"]);
  });
});

describe("createMetrics with open attributes and cardinality limits", () => {
  const catalogue = defineMetrics({
    name: "shop",
    groups: { g: { title: "G" } },
    metrics: {
      requests: {
        name: "shop.requests",
        kind: "counter",
        unit: "{request}",
        description: "Requests.",
        group: "g",
        // Optional: the overflow tests leave method (and jobs' priority) out.
        attributes: {
          route: { maxValues: 3, optional: true },
          method: { values: ["GET", "POST"], optional: true },
        },
        cardinalityLimit: 12,
      },
      jobs: {
        name: "shop.jobs",
        kind: "counter",
        unit: "{job}",
        description: "Jobs.",
        group: "g",
        attributes: {
          queue: { values: ["a", "b"], optional: true },
          priority: { values: ["high", "low"], optional: true },
        },
      },
    },
  });

  it.each([true, false])("records open (maxValues) attributes (fastPath %s)", async (fastPath) => {
    const exporter = cumulativeExporter();
    const m = createMetrics(catalogue, { exporter, fastPath, ...manual });
    m.requests.add(1, { route: "/cart", method: "GET" });
    m.requests.add(2, { route: "/cart", method: "GET" });
    await m.shutdown();
    expect(points(metric(exporter, "shop.requests"))).toEqual([
      { attributes: { route: "/cart", method: "GET" }, value: 3 },
    ]);
  });

  it("counts values of an open attribute beyond maxValues in the overflow series, and reports it", async () => {
    const diagLog = captureDiag();
    try {
      const exporter = cumulativeExporter();
      const m = createMetrics(catalogue, { exporter, ...manual });
      for (const route of ["/a", "/b", "/c", "/d", "/e"]) m.requests.add(1, { route });
      await m.shutdown();
      expect(points(metric(exporter, "shop.requests"))).toEqual([
        { attributes: { "otel.metric.overflow": true }, value: 2 },
        { attributes: { route: "/a" }, value: 1 },
        { attributes: { route: "/b" }, value: 1 },
        { attributes: { route: "/c" }, value: 1 },
      ]);
      expect(
        diagLog.messages.some((x) => x.message.includes("more distinct values than its declared maxValues")),
      ).toBe(true);
    } finally {
      diagLog.restore();
    }
  });

  it.each([true, false])(
    "puts attribute sets past the limit into the overflow series, like the SDK (fastPath %s)",
    async (fastPath) => {
      const exporter = cumulativeExporter();
      // Below its 9 attribute sets (absent attributes included), which the definitions would refuse.
      const m = createMetrics(withCardinalityLimit(catalogue, "jobs", 4), { exporter, fastPath, ...manual });
      // A limit of 4 keeps the first 4 sets; the overflow series is extra (OTel SDK spec).
      m.jobs.add(1, { queue: "a", priority: "high" });
      m.jobs.add(1, { queue: "a", priority: "low" });
      m.jobs.add(1, { queue: "b", priority: "high" });
      m.jobs.add(1, { queue: "b", priority: "low" });
      m.jobs.add(1, { queue: "a" });
      m.jobs.add(1, { queue: "a", priority: "high" });
      await m.shutdown();
      expect(points(metric(exporter, "shop.jobs"))).toEqual([
        { attributes: { "otel.metric.overflow": true }, value: 1 },
        { attributes: { queue: "a", priority: "high" }, value: 2 },
        { attributes: { queue: "b", priority: "high" }, value: 1 },
        { attributes: { queue: "a", priority: "low" }, value: 1 },
        { attributes: { queue: "b", priority: "low" }, value: 1 },
      ]);
    },
  );
});
