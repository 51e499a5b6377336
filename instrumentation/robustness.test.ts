// With the collector down the app runs on: recording never throws, export errors go to diag, and memory
// stays bounded, because cumulative aggregation keeps one cell per series whatever the record count and
// a failed export is dropped, not queued. Uses the real gRPC exporter against a port nobody listens on.
import { execFile } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { DiagLogLevel } from "@opentelemetry/api";
import { defineMetrics, scotty } from "../definitions";
import { createMetrics } from "./create";
import { captureDiag, countingExporter } from "./test/helpers";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const errorTypes = scotty.byKey.logStreamErrors.attributes[0]!.values! as readonly "timeout"[];
const statuses = scotty.byKey.taskDuration.attributes[0]!.values! as readonly "failed"[];

describe.each([
  ["fast path", true],
  ["plain SDK path", false],
])("recording with the OTLP endpoint down (%s)", (_label, fastPath) => {
  jest.setTimeout(120_000);

  it("never throws, reports the export errors through diag, and keeps memory bounded over 1e6 records", async () => {
    // 1e6 records: 2e5 rounds over 5 instruments.
    const rounds = 200_000;
    const port = await unusedPort();
    const diagLog = captureDiag(DiagLogLevel.WARN);
    const m = createMetrics(scotty, {
      protocol: "grpc",
      endpoint: `http://127.0.0.1:${port}`,
      exportIntervalMillis: 100,
      exportTimeoutMillis: 100,
      fastPath,
    });
    try {
      const record = (n: number) => {
        for (let i = 0; i < n; i++) {
          m.logStreamErrors.add(1, { "error.type": errorTypes[i % errorTypes.length]! });
          m.taskDuration.record((i % 700) / 10, { "task.status": statuses[i % statuses.length]! });
          m.websocketConnectionsActive.add(i & 1 ? -1 : 1);
          m.taskOutputBuffer.record(i);
          m.logLinesReceived.add(3);
        }
      };
      // Warm up (every series exists, code is optimised), then measure in chunks, letting the failing
      // exports run in between.
      record(10_000);
      await sleep(300);
      const before = heapAfterGc();
      const chunks = 20;
      for (let c = 0; c < chunks; c++) {
        expect(() => record(rounds / chunks)).not.toThrow();
        await sleep(20);
      }
      for (let i = 0; i < 50 && !diagLog.messages.some((x) => x.level === "error"); i++) await sleep(100);
      const after = heapAfterGc();
      const growth = after - before;
      process.stdout.write(`heap growth over 1e6 records (${_label}): ${growth} bytes\n`);
      // Anything kept per record (the smallest heap object is 16 bytes) would add ≥ 16 MB here; the
      // bound leaves room for the exporter's and the test runner's own allocations.
      expect(growth).toBeLessThan(4 * 1024 * 1024);
      const errors = diagLog.messages.filter((x) => x.level === "error").map((x) => x.message);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.join("\n")).toMatch(/export|UNAVAILABLE|ECONNREFUSED|timed out/i);
    } finally {
      const start = Date.now();
      await m.shutdown();
      // Shutting down with the collector down is bounded by the export timeout, not hung.
      expect(Date.now() - start).toBeLessThan(30_000);
      diagLog.restore();
    }
  });
});

describe("flush on exit", () => {
  jest.setTimeout(120_000);

  it("exports on SIGTERM, then lets the signal end the process", async () => {
    const child = path.join(__dirname, "test", "exit-child.ts");
    const result = await new Promise<{ stdout: string; signal: NodeJS.Signals | null; code: number | null }>(
      (resolve) => {
        const p = execFile(
          process.execPath,
          ["-r", "ts-node/register/transpile-only", child],
          { cwd: path.join(__dirname, ".."), timeout: 100_000 },
          (_err, stdout) => resolve({ stdout, signal: p.signalCode, code: p.exitCode }),
        );
        p.stdout!.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("ready")) p.kill("SIGTERM");
        });
      },
    );
    const exported = result.stdout
      .split("\n")
      .filter((l) => l.startsWith("export "))
      .map((l) => JSON.parse(l.slice("export ".length)) as Record<string, number>);
    expect(exported).toHaveLength(1);
    expect(exported[0]!["scotty.log_streams"]).toBe(42);
    expect(result.signal).toBe("SIGTERM");
  });
});

describe("memory and series with 1e6 distinct values of an open attribute", () => {
  jest.setTimeout(300_000);

  const open = (maxValues: number) =>
    defineMetrics({
      name: "open",
      groups: { g: { title: "G" } },
      metrics: {
        requests: {
          name: "open.requests",
          kind: "counter",
          unit: "{request}",
          description: "Requests by user.",
          group: "g",
          attributes: { user: { maxValues } },
          cardinalityLimit: maxValues + 1,
        },
      },
    });

  it.each([
    ["fast path", 1000, true],
    ["plain SDK path (more sets than the fast path takes)", 5000, true],
    ["plain SDK path (fastPath: false)", 1000, false],
  ])("%s: maxValues %d holds over 100 collections", async (label, maxValues, fastPath) => {
    const diagLog = captureDiag(DiagLogLevel.WARN);
    const exporter = countingExporter();
    const m = createMetrics(open(maxValues), { exporter, fastPath, exportIntervalMillis: 3_600_000 });
    try {
      m.requests.add(1, { user: "warm-up" });
      await m.forceFlush();
      const before = heapAfterGc();
      const perCollection = 10_000;
      for (let c = 0; c < 100; c++) {
        for (let i = 0; i < perCollection; i++) m.requests.add(1, { user: `u${c * perCollection + i}` });
        await m.forceFlush();
      }
      const growth = heapAfterGc() - before;
      const series = exporter.counts.map((x) => x.get("open.requests") ?? 0);
      process.stdout.write(
        `1e6 distinct values (${label}): heap growth ${growth} bytes, at most ${Math.max(...series)} series\n`,
      );
      // maxValues series of their own, plus the overflow series.
      expect(Math.max(...series)).toBe(maxValues + 1);
      // What is kept is per series (a few hundred bytes in the SDK), never per distinct value: 1e6 values
      // kept at even 16 bytes each would be 16 MB.
      expect(growth).toBeLessThan(maxValues * 1024 + 4 * 1024 * 1024);
      expect(diagLog.messages.filter((x) => x.message.includes("maxValues"))).toHaveLength(1);
    } finally {
      await m.shutdown();
      diagLog.restore();
    }
  });
});

describe("exit with the OTLP endpoint down", () => {
  jest.setTimeout(180_000);

  /** Runs the child; resolves with its output and how long it lived after saying "done". */
  function runChild(args: string[]): Promise<{ stdout: string; afterDone: number; exited: boolean }> {
    const child = path.join(__dirname, "test", "down-collector-child.ts");
    return new Promise((resolve) => {
      let doneAt = 0;
      let stdout = "";
      const p = execFile(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", child, ...args],
        { cwd: path.join(__dirname, ".."), timeout: 120_000, killSignal: "SIGKILL" },
        () => resolve({ stdout, afterDone: Date.now() - doneAt, exited: p.signalCode === null }),
      );
      p.stdout!.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (doneAt === 0 && stdout.includes("done")) doneAt = Date.now();
      });
    });
  }

  it("OTLP/HTTP: the process ends by itself once the app is done, also with short export intervals", async () => {
    const port = await unusedPort();
    // Lifetimes of 3 intervals: several exports fail and are being retried when the app is done.
    const results = await Promise.all([
      runChild(["http/json", String(port), "1000", "3000"]),
      runChild(["http/json", String(port), "3000", "9000"]),
      runChild(["http/json", String(port), "1000", "3000", "shutdown"]),
    ]);
    for (const [i, r] of results.entries()) {
      process.stdout.write(`OTLP/HTTP child ${i}: lived ${r.afterDone} ms after done\n`);
      expect(r.exited).toBe(true);
      expect(r.stdout).toContain("done");
      // Bounded by one export timeout (at most the interval here) plus the runner's load.
      expect(r.afterDone).toBeLessThan(20_000);
    }
    // An app that awaits shutdown() at the end still gets it completed before the process ends.
    expect(results[2]!.stdout).toContain("shut down");
  });
});
