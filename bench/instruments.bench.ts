// Recording cost, side by side in one process on the same attribute sets: raw @opentelemetry/sdk-metrics
// instruments (with a reader attached, as in an app), prom-client, this module (createMetrics) called
// unbound (`add(value, attributes)`) and through bound handles (`bind(attributes).add(value)`), and
// the "limit": the same update done on a raw Float64Array slot with no checks (for histograms: count,
// sum, min, max and the same linear bucket search), the least any implementation could do.
//
//   npm run bench            (BENCH_ITERATIONS, BENCH_RUNS to change the defaults)
//
// Prints `bench <case> <implementation> <ns/op>` (the median of the runs) per case and implementation,
// then `ratio <case> module/sdk=<x> module/prom-client=<y> module/limit=<z> bound/limit=<w>` per case.
import * as os from "node:os";
import type { Attributes } from "@opentelemetry/api";
import { ValueType } from "@opentelemetry/api";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import * as prom from "prom-client";
import { defineMetrics, scotty } from "../definitions";
import { createMetrics } from "../instrumentation";

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const WARMUP = Math.min(ITERATIONS, 300_000);
const HOUR = 3_600_000;

// The same attribute sets for every implementation (prom-client labels cannot contain dots).
const errorTypes = scotty.byKey.logStreamErrors.attributes[0]!.values!;
const statuses = scotty.byKey.taskDuration.attributes[0]!.values!;
const errorAttrs: Attributes[] = errorTypes.map((v) => ({ "error.type": v }));
const errorLabels = errorTypes.map((v) => ({ error_type: v }));
const statusAttrs: Attributes[] = statuses.map((v) => ({ "task.status": v }));
const statusLabels = statuses.map((v) => ({ task_status: v }));
const buckets = [...scotty.byKey.taskDuration.buckets!];
// Durations spread over the buckets, precomputed so the loop measures recording only.
const durations = Float64Array.from({ length: 1024 }, (_, i) => ((i * 7919) % 1000) / 10);

// --- raw sdk-metrics ---------------------------------------------------------------------------------
const sdkProvider = new MeterProvider({
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      exportIntervalMillis: HOUR,
    }),
  ],
});
const meter = sdkProvider.getMeter("bench");
const opts = (key: keyof typeof scotty.metrics) => ({
  description: scotty.byKey[key].description,
  unit: scotty.byKey[key].unit,
  valueType: ValueType.DOUBLE,
});
const sdkCounter = meter.createCounter(scotty.byKey.logStreamErrors.name, opts("logStreamErrors"));
const sdkUpDown = meter.createUpDownCounter(
  scotty.byKey.websocketConnectionsActive.name,
  opts("websocketConnectionsActive"),
);
const sdkHistogram = meter.createHistogram(scotty.byKey.taskDuration.name, {
  ...opts("taskDuration"),
  advice: { explicitBucketBoundaries: buckets },
});

// --- prom-client -------------------------------------------------------------------------------------
const registry = new prom.Registry();
const promCounter = new prom.Counter({
  name: scotty.byKey.logStreamErrors.prometheusName,
  help: "h",
  labelNames: ["error_type"],
  registers: [registry],
});
const promGauge = new prom.Gauge({
  name: scotty.byKey.websocketConnectionsActive.prometheusName,
  help: "h",
  registers: [registry],
});
const promHistogram = new prom.Histogram({
  name: scotty.byKey.taskDuration.prometheusName,
  help: "h",
  labelNames: ["task_status"],
  buckets,
  registers: [registry],
});

// --- this module -------------------------------------------------------------------------------------
const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const m = createMetrics(scotty, { exporter, exportIntervalMillis: HOUR });

// Open (`maxValues`) attributes: the module numbers their values in order of first use.
const shop = defineMetrics({
  name: "shop",
  groups: { g: { title: "Shop" } },
  metrics: {
    requests: {
      name: "shop.requests",
      kind: "counter",
      unit: "{request}",
      description: "Requests served.",
      group: "g",
      attributes: { route: { maxValues: 50 } },
    },
  },
});
const routes = ["/", "/cart", "/checkout", "/item", "/search"];
const routeAttrs: Attributes[] = routes.map((route) => ({ route }));
const routeLabels = routes.map((route) => ({ route }));
const sdkOpen = meter.createCounter(shop.byKey.requests.name, {
  description: shop.byKey.requests.description,
  unit: shop.byKey.requests.unit,
  valueType: ValueType.DOUBLE,
});
const promOpen = new prom.Counter({
  name: shop.byKey.requests.prometheusName,
  help: "h",
  labelNames: ["route"],
  registers: [registry],
});
const shopMetrics = createMetrics(shop, {
  exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
  exportIntervalMillis: HOUR,
});

// --- bound handles, and the limit --------------------------------------------------------------------
const errorHandles = errorTypes.map((v) => m.logStreamErrors.bind({ "error.type": v as "timeout" }));
const upDownHandle = m.websocketConnectionsActive.bind();
const routeHandles = routes.map((route) => shopMetrics.requests.bind({ route }));
const statusHandles = statuses.map((v) => m.taskDuration.bind({ "task.status": v as "failed" }));

// The limit: one Float64Array per case, slots like the fast path's (a histogram row: count, sum, min,
// max, then one count per bucket).
const limitSums = new Float64Array(5);
const limitUpDown = new Float64Array(1);
const limitOpen = new Float64Array(5);
// The module's bucket search: boundaries then a +Infinity sentinel, one comparison per bucket.
const limitBounds = Float64Array.from([...buckets, Infinity]);
const LIMIT_WIDTH = 4 + buckets.length + 1;
const limitRows = new Float64Array(3 * LIMIT_WIDTH);
for (let s = 0; s < 3; s++) {
  limitRows[s * LIMIT_WIDTH + 2] = Infinity;
  limitRows[s * LIMIT_WIDTH + 3] = -Infinity;
}
function limitRecord(s: number, value: number): void {
  const rows = limitRows;
  const o = s * LIMIT_WIDTH;
  rows[o]! += 1;
  rows[o + 1]! += value;
  if (value < rows[o + 2]!) rows[o + 2] = value;
  if (value > rows[o + 3]!) rows[o + 3] = value;
  const bounds = limitBounds;
  let b = 0;
  while (bounds[b]! < value) b++;
  rows[o + 4 + b]! += 1;
}

// One loop function per implementation and case, so each call site stays monomorphic: a shared loop
// would see three receiver types and penalise whichever ran last.
type Loop = (n: number) => void;
const cases: Record<string, Record<string, Loop>> = {
  "counter-add-attrs": {
    sdk: (n) => {
      for (let i = 0; i < n; i++) sdkCounter.add(1, errorAttrs[i % 5]);
    },
    "prom-client": (n) => {
      for (let i = 0; i < n; i++) promCounter.inc(errorLabels[i % 5]!, 1);
    },
    module: (n) => {
      for (let i = 0; i < n; i++) m.logStreamErrors.add(1, errorAttrs[i % 5] as { "error.type": "timeout" });
    },
    bound: (n) => {
      for (let i = 0; i < n; i++) errorHandles[i % 5]!.add(1);
    },
    limit: (n) => {
      for (let i = 0; i < n; i++) limitSums[i % 5]! += 1;
    },
  },
  "updown-add": {
    sdk: (n) => {
      for (let i = 0; i < n; i++) sdkUpDown.add(i & 1 ? -1 : 1);
    },
    "prom-client": (n) => {
      for (let i = 0; i < n; i++) promGauge.inc(i & 1 ? -1 : 1);
    },
    module: (n) => {
      for (let i = 0; i < n; i++) m.websocketConnectionsActive.add(i & 1 ? -1 : 1);
    },
    bound: (n) => {
      for (let i = 0; i < n; i++) upDownHandle.add(i & 1 ? -1 : 1);
    },
    limit: (n) => {
      for (let i = 0; i < n; i++) limitUpDown[0]! += i & 1 ? -1 : 1;
    },
  },
  "counter-add-open-attrs": {
    sdk: (n) => {
      for (let i = 0; i < n; i++) sdkOpen.add(1, routeAttrs[i % 5]);
    },
    "prom-client": (n) => {
      for (let i = 0; i < n; i++) promOpen.inc(routeLabels[i % 5]!, 1);
    },
    module: (n) => {
      for (let i = 0; i < n; i++) shopMetrics.requests.add(1, routeAttrs[i % 5] as { route: string });
    },
    bound: (n) => {
      for (let i = 0; i < n; i++) routeHandles[i % 5]!.add(1);
    },
    limit: (n) => {
      for (let i = 0; i < n; i++) limitOpen[i % 5]! += 1;
    },
  },
  "histogram-record": {
    sdk: (n) => {
      for (let i = 0; i < n; i++) sdkHistogram.record(durations[i & 1023]!, statusAttrs[i % 3]);
    },
    "prom-client": (n) => {
      for (let i = 0; i < n; i++) promHistogram.observe(statusLabels[i % 3]!, durations[i & 1023]!);
    },
    module: (n) => {
      for (let i = 0; i < n; i++) {
        m.taskDuration.record(durations[i & 1023]!, statusAttrs[i % 3] as { "task.status": "failed" });
      }
    },
    bound: (n) => {
      for (let i = 0; i < n; i++) statusHandles[i % 3]!.record(durations[i & 1023]!);
    },
    limit: (n) => {
      for (let i = 0; i < n; i++) limitRecord(i % 3, durations[i & 1023]!);
    },
  },
};

function nsPerOp(loop: Loop): number {
  const t0 = process.hrtime.bigint();
  loop(ITERATIONS);
  return Number(process.hrtime.bigint() - t0) / ITERATIONS;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  console.log(
    `# node ${process.version}, ${cpu}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}; ` +
      `${ITERATIONS} ops x ${RUNS} runs per case and implementation, medians`,
  );
  const results: Record<string, Record<string, number>> = {};
  for (const [name, impls] of Object.entries(cases)) {
    for (const loop of Object.values(impls)) loop(WARMUP);
    const samples: Record<string, number[]> = {};
    // Interleave implementations run by run, so background load hits them alike.
    for (let r = 0; r < RUNS; r++) {
      for (const [impl, loop] of Object.entries(impls)) (samples[impl] ??= []).push(nsPerOp(loop));
    }
    results[name] = {};
    for (const [impl, xs] of Object.entries(samples)) {
      results[name]![impl] = median(xs);
      console.log(`bench ${name} ${impl} ${median(xs).toFixed(1)}`);
    }
  }
  const x = (a: number, b: number) => (a / b).toFixed(3);
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `ratio ${name} module/sdk=${x(r.module!, r.sdk!)} module/prom-client=${x(r.module!, r["prom-client"]!)} ` +
        `module/limit=${x(r.module!, r.limit!)} bound/limit=${x(r.bound!, r.limit!)}`,
    );
  }
  // The module must have counted every recording, unbound and bound alike, in the same series; and the
  // limit loops must have done their work (so that none was optimised away).
  await Promise.all([m.shutdown(), shopMetrics.shutdown(), sdkProvider.shutdown()]);
  const exported = exporter
    .getMetrics()
    .at(-1)!
    .scopeMetrics.flatMap((s) => s.metrics);
  const byName = (name: string) => exported.find((e) => e.descriptor.name === name)!;
  const errors = byName(scotty.byKey.logStreamErrors.name).dataPoints as { value: number }[];
  const total = errors.reduce((n, p) => n + p.value, 0);
  const histogram = byName(scotty.byKey.taskDuration.name).dataPoints as { value: { count: number } }[];
  const count = histogram.reduce((n, p) => n + p.value.count, 0);
  const perImplementation = WARMUP + RUNS * ITERATIONS;
  const limitTotal = limitSums.reduce((n, v) => n + v, 0);
  const limitCount = [0, 1, 2].reduce((n, s) => n + limitRows[s * LIMIT_WIDTH]!, 0);
  console.log(
    `# check: module+bound counted ${total} counter-add-attrs recordings in ${errors.length} series and ` +
      `${count} histogram-record recordings in ${histogram.length} series (expected ${2 * perImplementation} ` +
      `each, in ${errorTypes.length} and ${statuses.length}); limit ${limitTotal} and ${limitCount} ` +
      `(expected ${perImplementation} each)`,
  );
  const ok =
    total === 2 * perImplementation &&
    count === 2 * perImplementation &&
    errors.length === errorTypes.length &&
    histogram.length === statuses.length &&
    limitTotal === perImplementation &&
    limitCount === perImplementation;
  if (!ok) throw new Error("bench check failed: a recording was lost or went to the wrong series");
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
