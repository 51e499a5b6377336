// Render cost against catalogue size (issue 12, item 11): 1k and 10k metrics in 10 and 1,000 groups,
// through renderFiles (every generated file: collector config, dashboards, METRICS.md, DASHBOARDS.md).
// Each case runs in a fresh child process so its peak RSS (resourceUsage().maxRSS) is its own.
//   npx ts-node --transpile-only bench/render.bench.ts
import { execFileSync } from "node:child_process";
import { renderFiles } from "../render";
import { benchCatalogue } from "./catalogue";

const CASES: readonly [number, number][] = [
  [1_000, 10],
  [1_000, 1_000],
  [10_000, 10],
  [10_000, 1_000],
];

function runCase(metrics: number, groups: number): void {
  // defineMetrics is timed too: the CLI validates the catalogue before it renders.
  const t0 = process.hrtime.bigint();
  const c = benchCatalogue(metrics, groups);
  const t1 = process.hrtime.bigint();
  const files = renderFiles(c);
  const t2 = process.hrtime.bigint();
  const ms = (a: bigint, b: bigint) => (Number(b - a) / 1e6).toFixed(0).padStart(6);
  const size = (pick: (path: string) => boolean) =>
    files.filter((f) => pick(f.path)).reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  const bytes = size(() => true);
  const dashboards = size((p) => p.startsWith("grafana/dashboards/"));
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const heapMb = process.memoryUsage().heapUsed / 1048576;
  console.log(
    `${String(metrics).padStart(6)} metrics ${String(groups).padStart(5)} groups: define ${ms(t0, t1)} ms, ` +
      `render ${ms(t1, t2)} ms, ${files.length} files, ${(bytes / 1048576).toFixed(1)} MiB output ` +
      `(dashboards ${(dashboards / metrics).toFixed(0)} B/metric), peak RSS ${rssMb.toFixed(0)} MiB, heap after ${heapMb.toFixed(0)} MiB`,
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
