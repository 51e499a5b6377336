// The fast path must export what the plain SDK exports for the same recordings. The reference below
// uses raw sdk-metrics instruments, created directly from the definitions, with the SDK's own reader
// and in-memory exporter; both results are also serialised to OTLP (the JSON the HTTP exporter sends)
// and compared there, timestamps aside (checked separately).
import type { Attributes } from "@opentelemetry/api";
import { ValueType } from "@opentelemetry/api";
import { JsonMetricsSerializer } from "@opentelemetry/otlp-transformer";
import type { MetricData, ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { Catalogue, ResolvedMetric } from "../definitions";
import { defineMetrics, scotty } from "../definitions";
import { createMetrics } from "./create";
import { cumulativeExporter } from "./test/helpers";

// A second catalogue with open (`maxValues`) attributes, mixed with listed ones, for every kind.
const shop = defineMetrics({
  name: "shop",
  groups: { g: { title: "Shop" } },
  metrics: {
    requests: {
      name: "shop.requests",
      kind: "counter",
      unit: "{request}",
      description: "Requests.",
      group: "g",
      attributes: { route: { maxValues: 4 }, method: { values: ["GET", "POST"] } },
    },
    inFlight: {
      name: "shop.requests.in_flight",
      kind: "upDownCounter",
      unit: "{request}",
      description: "Requests in flight.",
      group: "g",
      attributes: { route: { maxValues: 4 } },
    },
    queueDepth: {
      name: "shop.queue.depth",
      kind: "gauge",
      unit: "{job}",
      description: "Jobs waiting.",
      group: "g",
      attributes: { queue: { maxValues: 3 } },
    },
    latency: {
      name: "shop.request.duration",
      kind: "histogram",
      unit: "ms",
      description: "Request latency.",
      group: "g",
      buckets: [5, 10, 25, 50, 100, 250],
      attributes: { route: { maxValues: 4 }, method: { values: ["GET", "POST"] } },
    },
  },
});

const recordedOf = (c: Catalogue) => c.list.filter((m) => m.observedBy === undefined);

/** Every attribute set of a metric, absent attributes included (open attributes: maxValues values). */
function attributeSets(metric: ResolvedMetric): Record<string, string>[] {
  let sets: Record<string, string>[] = [{}];
  for (const a of metric.attributes) {
    const values = a.values ?? Array.from({ length: a.cardinality }, (_, i) => `${a.key}-${i}`);
    sets = sets.flatMap((s) => [s, ...values.map((v) => ({ ...s, [a.key]: v }))]);
  }
  return sets;
}

/** A fixed sequence of recordings: several values per attribute set, in an interleaved order. */
function recordings(recorded: readonly ResolvedMetric[]): {
  key: string;
  kind: ResolvedMetric["kind"];
  value: number;
  attributes: Record<string, string>;
}[] {
  const out = [];
  let x = 7;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let round = 0; round < 5; round++) {
    for (const m of recorded) {
      for (const attributes of attributeSets(m)) {
        const r = next();
        const value =
          m.kind === "upDownCounter"
            ? Math.round((r - 0.4) * 10)
            : m.kind === "histogram"
              ? // Hit bucket edges exactly now and then (upper bounds are inclusive).
                round === 2
                ? m.buckets![Math.floor(r * m.buckets!.length)]!
                : r * 2 * m.buckets![m.buckets!.length - 1]!
              : Math.round(r * 1000) / 10;
        out.push({ key: m.key, kind: m.kind, value, attributes });
      }
    }
  }
  return out;
}

async function viaSdk(catalogue: Catalogue): Promise<ResourceMetrics> {
  const recorded = recordedOf(catalogue);
  const exporter = cumulativeExporter();
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": "scotty" }),
    readers: [reader],
  });
  const meter = provider.getMeter("observability-stack");
  const instruments = new Map<
    string,
    { add?: (v: number, a: Attributes) => void; record?: (v: number, a: Attributes) => void }
  >();
  for (const m of recorded) {
    const options = {
      description: m.description,
      unit: m.unit,
      valueType: ValueType.DOUBLE,
      ...(m.buckets ? { advice: { explicitBucketBoundaries: [...m.buckets] } } : {}),
    };
    const create = {
      counter: () => meter.createCounter(m.name, options),
      upDownCounter: () => meter.createUpDownCounter(m.name, options),
      gauge: () => meter.createGauge(m.name, options),
      histogram: () => meter.createHistogram(m.name, options),
    }[m.kind];
    instruments.set(m.key, create());
  }
  for (const r of recordings(recorded)) {
    const i = instruments.get(r.key)!;
    if (r.kind === "counter" || r.kind === "upDownCounter") i.add!(r.value, r.attributes);
    else i.record!(r.value, r.attributes);
  }
  await provider.shutdown();
  return exporter.getMetrics().at(-1)!;
}

interface Recorder {
  add(v: number): void;
  record(v: number): void;
}

/**
 * The same recordings through the module: unbound (`add(value, attributes)`), or `bound` through one
 * handle per metric and attribute set, all bound before the first recording and in reverse order
 * (binding claims no series, so the series must still appear in first-recorded order).
 */
async function viaModule(
  catalogue: Catalogue,
  { bound = false, fastPath = true }: { bound?: boolean; fastPath?: boolean } = {},
): Promise<ResourceMetrics> {
  const recorded = recordedOf(catalogue);
  const exporter = cumulativeExporter();
  const m = createMetrics(catalogue, { exporter, exportIntervalMillis: 3_600_000, fastPath });
  const loose = m as unknown as Record<
    string,
    { add(v: number, a: object): void; record(v: number, a: object): void; bind(a: object): Recorder }
  >;
  const all = recordings(recorded);
  const handles = new Map<string, Recorder>();
  const handleKey = (r: (typeof all)[number]) => `${r.key} ${JSON.stringify(r.attributes)}`;
  if (bound) {
    for (const r of [...all].reverse()) {
      if (!handles.has(handleKey(r))) handles.set(handleKey(r), loose[r.key]!.bind({ ...r.attributes }));
    }
  }
  for (const r of all) {
    const sum = r.kind === "counter" || r.kind === "upDownCounter";
    if (bound) {
      const h = handles.get(handleKey(r))!;
      if (sum) h.add(r.value);
      else h.record(r.value);
    } else if (sum) loose[r.key]!.add(r.value, r.attributes);
    else loose[r.key]!.record(r.value, r.attributes);
  }
  await m.shutdown();
  return exporter.getMetrics().at(-1)!;
}

function recordedMetrics(r: ResourceMetrics, recorded: readonly ResolvedMetric[]): MetricData[] {
  const names = new Set(recorded.map((m) => m.name));
  return r.scopeMetrics
    .flatMap((s) => s.metrics)
    .filter((m) => names.has(m.descriptor.name))
    .sort((a, b) => a.descriptor.name.localeCompare(b.descriptor.name));
}

/** Metric data without timestamps, points sorted by attributes (their order carries no meaning). */
function comparable(metrics: MetricData[]) {
  return metrics.map((m) => ({
    ...m,
    dataPoints: (m.dataPoints as { attributes: object; value: unknown }[])
      .map((p) => ({ attributes: { ...p.attributes }, value: p.value }))
      .sort((a, b) => key(a.attributes).localeCompare(key(b.attributes))),
  }));
}

function key(attributes: object): string {
  return JSON.stringify(Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)));
}

/** The OTLP JSON of the recorded metrics, with each point's timestamps replaced by a marker. */
function otlpJson(r: ResourceMetrics, recorded: readonly ResolvedMetric[], scopeName: string) {
  const scoped: ResourceMetrics = {
    resource: r.resource,
    scopeMetrics: [
      {
        scope: { name: scopeName },
        metrics: comparable(recordedMetrics(r, recorded)) as unknown as MetricData[],
      },
    ],
  };
  // `comparable` dropped the timestamps; give every point the same ones for serialisation.
  for (const m of scoped.scopeMetrics[0]!.metrics) {
    for (const p of m.dataPoints as { startTime?: [number, number]; endTime?: [number, number] }[]) {
      p.startTime = [1, 0];
      p.endTime = [2, 0];
    }
  }
  const bytes = JsonMetricsSerializer.serializeRequest(scoped)!;
  const request = JSON.parse(new TextDecoder().decode(bytes)) as {
    resourceMetrics: { scopeMetrics: { metrics: unknown[] }[] }[];
  };
  return request.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
}

describe.each([
  ["scotty", scotty as Catalogue],
  ["a catalogue with open (maxValues) attributes", shop as Catalogue],
])("fast path against the plain SDK (%s)", (_label, catalogue) => {
  const recorded = recordedOf(catalogue);
  let sdk: ResourceMetrics;
  let fast: ResourceMetrics;
  let started: number;
  let ended: number;

  beforeAll(async () => {
    started = Date.now();
    sdk = await viaSdk(catalogue);
    fast = await viaModule(catalogue);
    ended = Date.now();
  });

  it("records every recorded metric on both paths", () => {
    expect(recordedMetrics(sdk, recorded).map((m) => m.descriptor.name)).toEqual(
      recorded.map((m) => m.name).sort(),
    );
    expect(recordedMetrics(fast, recorded).map((m) => m.descriptor.name)).toEqual(
      recorded.map((m) => m.name).sort(),
    );
  });

  it("exports equal metric data: names, units, kinds, temporality, attributes, buckets, values", () => {
    expect(comparable(recordedMetrics(fast, recorded))).toEqual(comparable(recordedMetrics(sdk, recorded)));
  });

  it("serialises to the same OTLP", () => {
    expect(otlpJson(fast, recorded, "s")).toEqual(otlpJson(sdk, recorded, "s"));
  });

  it("has the SDK's timestamps: each series starts at its first recording, every point ends at collection", () => {
    const toMillis = ([s, ns]: [number, number]) => s * 1000 + ns / 1e6;
    for (const m of recordedMetrics(fast, recorded)) {
      const ends = new Set(m.dataPoints.map((p) => toMillis(p.endTime as [number, number])));
      expect(ends.size).toBe(1);
      for (const p of m.dataPoints) {
        const start = toMillis(p.startTime as [number, number]);
        expect(start).toBeGreaterThanOrEqual(started);
        expect(start).toBeLessThanOrEqual(toMillis(p.endTime as [number, number]));
        expect(toMillis(p.endTime as [number, number])).toBeLessThanOrEqual(ended);
      }
    }
  });
});

/** Metric data without timestamps, points in the order exported (bound and unbound must agree on it). */
function inOrder(metrics: MetricData[]) {
  return metrics.map((m) => ({
    ...m,
    dataPoints: (m.dataPoints as { attributes: object; value: unknown }[]).map((p) => ({
      attributes: { ...p.attributes },
      value: p.value,
    })),
  }));
}

describe.each([
  ["scotty", scotty as Catalogue],
  ["a catalogue with open (maxValues) attributes", shop as Catalogue],
])("bound handles against unbound calls and the plain SDK (%s)", (_label, catalogue) => {
  const recorded = recordedOf(catalogue);
  let sdk: ResourceMetrics;
  const runs: Record<string, ResourceMetrics> = {};

  beforeAll(async () => {
    sdk = await viaSdk(catalogue);
    runs["fast, unbound"] = await viaModule(catalogue);
    runs["fast, bound"] = await viaModule(catalogue, { bound: true });
    runs["plain SDK path, unbound"] = await viaModule(catalogue, { fastPath: false });
    runs["plain SDK path, bound"] = await viaModule(catalogue, { bound: true, fastPath: false });
  });

  it.each(["fast", "plain SDK path"])(
    "%s: bound exports exactly what unbound does, point order included",
    (path) => {
      const bound = inOrder(recordedMetrics(runs[`${path}, bound`]!, recorded));
      expect(bound).toEqual(inOrder(recordedMetrics(runs[`${path}, unbound`]!, recorded)));
      expect(bound.reduce((n, m) => n + m.dataPoints.length, 0)).toBeGreaterThan(recorded.length);
    },
  );

  it.each(["fast", "plain SDK path"])("%s: bound exports equal the plain SDK's, in OTLP too", (path) => {
    const bound = runs[`${path}, bound`]!;
    expect(comparable(recordedMetrics(bound, recorded))).toEqual(comparable(recordedMetrics(sdk, recorded)));
    expect(otlpJson(bound, recorded, "s")).toEqual(otlpJson(sdk, recorded, "s"));
  });
});
