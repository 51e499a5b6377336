// Render cost against catalogue size (issue 12, item 11): 1k and 10k metrics in 10 and 1,000 groups,
// through renderFiles (every generated file: collector config, dashboards, METRICS.md, DASHBOARDS.md).
// Each case runs in a fresh child process so its peak RSS (resourceUsage().maxRSS) is its own.
//   npx ts-node --transpile-only bench/render.bench.ts
import { execFileSync } from "node:child_process";
import { defineMetrics, type MetricSpec } from "../definitions";
import { renderFiles } from "../render";

const CASES: readonly [number, number][] = [
  [1_000, 10],
  [1_000, 1_000],
  [10_000, 10],
  [10_000, 1_000],
];

/** A catalogue of `metrics` metrics spread over `groups` groups, every kind and shape in turn. */
function catalogue(metrics: number, groups: number) {
  const groupSpecs = Object.fromEntries(
    Array.from({ length: groups }, (_, g) => [`g${g}`, { title: `Group ${g}` }]),
  );
  const specs: Record<string, MetricSpec> = {};
  for (let i = 0; i < metrics; i++) {
    const group = `g${i % groups}`;
    const base = { description: `Metric ${i}.`, group };
    switch (i % 4) {
      case 0:
        specs[`m${i}`] = {
          ...base,
          name: `bench.g${i % groups}.requests${i}`,
          kind: "counter",
          unit: "{request}",
          requests: {},
        };
        break;
      case 1:
        specs[`m${i}`] = {
          ...base,
          name: `bench.g${i % groups}.errors${i}`,
          kind: "counter",
          unit: "{error}",
          failuresOf: `m${i - 1}`,
          attributes: { reason: { values: ["a", "b", "c"] } },
        };
        break;
      case 2:
        specs[`m${i}`] = {
          ...base,
          name: `bench.g${i % groups}.duration${i}`,
          kind: "histogram",
          unit: "s",
          buckets: [0.1, 0.5, 1, 5],
        };
        break;
      default:
        specs[`m${i}`] = {
          ...base,
          name: `bench.g${i % groups}.slots${i}`,
          kind: "upDownCounter",
          unit: "{slot}",
          attributes: { state: { values: ["used", "free"], partition: true, inUse: ["used"] } },
        };
    }
  }
  return defineMetrics({ name: "bench", groups: groupSpecs, metrics: specs, seriesBudget: metrics * 10 });
}

function runCase(metrics: number, groups: number): void {
  const c = catalogue(metrics, groups);
  const start = process.hrtime.bigint();
  const files = renderFiles(c);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const heapMb = process.memoryUsage().heapUsed / 1048576;
  console.log(
    `${String(metrics).padStart(6)} metrics ${String(groups).padStart(5)} groups: render ${ms.toFixed(0).padStart(6)} ms, ` +
      `${files.length} files, ${(bytes / 1048576).toFixed(1)} MiB output, peak RSS ${rssMb.toFixed(0)} MiB, heap after ${heapMb.toFixed(0)} MiB`,
  );
}

const only = process.argv[2];
if (only !== undefined) {
  const [m, g] = only.split("x").map(Number) as [number, number];
  runCase(m, g);
} else {
  console.log(`render bench, Node ${process.version}, one child process per case`);
  for (const [m, g] of CASES) {
    process.stdout.write(
      execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, `${m}x${g}`], {
        encoding: "utf8",
        maxBuffer: 1 << 20,
      }),
    );
  }
}
