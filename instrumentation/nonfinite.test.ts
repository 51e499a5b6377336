// No non-finite value may reach the exporter: OTLP/JSON writes Infinity as null, and the collector
// refuses the whole request (400), so one overflowing sum would stop every metric of the app. Finite
// recordings can still add up to Infinity; the module refuses the one that would take a sum out of
// range, on both paths, and reports it once per metric.
import { execFile } from "node:child_process";
import * as http from "node:http";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import * as grpc from "@grpc/grpc-js";
import { DiagLogLevel } from "@opentelemetry/api";
import type { MetricData } from "@opentelemetry/sdk-metrics";
import { defineMetrics } from "../definitions";
import { createMetrics } from "./create";
import { captureDiag, cumulativeExporter, lastExport, metric, points } from "./test/helpers";

const manual = { exportIntervalMillis: 3_600_000 };
/** The documented bound on sums (README, "Failure behaviour"): a quarter of the double range. */
const MAX_SUM = Number.MAX_VALUE / 4;

const catalogue = defineMetrics({
  name: "big",
  groups: { g: { title: "G" } },
  metrics: {
    bytes: {
      name: "big.bytes",
      kind: "counter",
      unit: "By",
      description: "Bytes.",
      group: "g",
      attributes: { kind: { values: ["a", "b"] } },
    },
    balance: { name: "big.balance", kind: "upDownCounter", unit: "{unit}", description: "B.", group: "g" },
    sizes: {
      name: "big.sizes",
      kind: "histogram",
      unit: "By",
      description: "Sizes.",
      group: "g",
      buckets: [1, 1e300],
    },
    level: { name: "big.level", kind: "gauge", unit: "{unit}", description: "Level.", group: "g" },
    other: { name: "big.other", kind: "counter", unit: "{event}", description: "Other.", group: "g" },
  },
});

/** Every number in a metric's points (sums, gauge values, histogram count/sum/min/max/buckets). */
function numbersOf(m: MetricData): number[] {
  const out: number[] = [];
  for (const p of m.dataPoints as { value: unknown }[]) {
    const v = p.value;
    if (typeof v === "number") out.push(v);
    else {
      const h = v as {
        count: number;
        sum?: number;
        min?: number;
        max?: number;
        buckets: { counts: number[] };
      };
      out.push(h.count, h.sum ?? 0, ...h.buckets.counts);
      if (h.count > 0) out.push(h.min!, h.max!);
    }
  }
  return out;
}

describe.each([
  ["fast path", true],
  ["plain SDK path", false],
])("sums that would overflow (%s)", (_label, fastPath) => {
  it("refuses the recording that would make a sum non-finite; the rest is exported, all finite", async () => {
    const diagLog = captureDiag(DiagLogLevel.WARN);
    try {
      const exporter = cumulativeExporter();
      const m = createMetrics(catalogue, { exporter, fastPath, ...manual });
      for (let i = 0; i < 3; i++) {
        m.bytes.add(1e308, { kind: "a" });
        m.balance.add(-1e308);
        m.balance.add(1e308);
        m.sizes.record(1e308);
      }
      m.bytes.add(7, { kind: "b" });
      m.level.record(1e308);
      m.other.add(1);
      await m.shutdown();
      for (const m of lastExport(exporter).byName.values()) {
        for (const n of numbersOf(m)) expect(Number.isFinite(n)).toBe(true);
      }
      expect(points(metric(exporter, "big.other"))).toEqual([{ attributes: {}, value: 1 }]);
      expect(points(metric(exporter, "big.bytes"))).toContainEqual({ attributes: { kind: "b" }, value: 7 });
      expect(points(metric(exporter, "big.level"))).toEqual([{ attributes: {}, value: 1e308 }]);
      const warnings = diagLog.messages.filter((x) => x.message.includes("finite range"));
      // One warning per metric, whatever the number of refused recordings.
      expect(warnings.map((w) => /big\.\w+/.exec(w.message)![0]).sort()).toEqual([
        "big.balance",
        "big.bytes",
        "big.sizes",
      ]);
    } finally {
      diagLog.restore();
    }
  });

  it("accepts sums up to the bound and refuses only the recording that would pass it", async () => {
    const exporter = cumulativeExporter();
    const m = createMetrics(catalogue, { exporter, fastPath, ...manual });
    const half = MAX_SUM / 2;
    m.bytes.add(half, { kind: "a" });
    m.bytes.add(half, { kind: "a" });
    m.bytes.add(half, { kind: "a" }); // refused
    m.bytes.add(half, { kind: "b" }); // another series: its own sum
    m.balance.add(-half);
    m.balance.add(-half);
    m.balance.add(-half); // refused
    m.balance.add(half); // back in range: accepted
    m.sizes.record(half);
    m.sizes.record(half);
    m.sizes.record(half); // refused: neither counted nor summed
    m.sizes.record(0.5);
    await m.forceFlush();
    // A later collection interval keeps the same bound (the SDK path adds the intervals up).
    m.bytes.add(half, { kind: "a" }); // refused
    m.balance.add(-half);
    await m.shutdown();
    expect(points(metric(exporter, "big.bytes"))).toEqual([
      { attributes: { kind: "a" }, value: MAX_SUM },
      { attributes: { kind: "b" }, value: half },
    ]);
    expect(points(metric(exporter, "big.balance"))).toEqual([{ attributes: {}, value: -MAX_SUM }]);
    const [h] = points(metric(exporter, "big.sizes"));
    expect(h!.value).toEqual({
      count: 3,
      sum: MAX_SUM + 0.5,
      min: 0.5,
      max: half,
      buckets: { boundaries: [1, 1e300], counts: [1, 0, 2] },
    });
  });
});

describe("one overflowing sum and the OTLP exporters", () => {
  jest.setTimeout(60_000);

  it("OTLP/HTTP (JSON): the request stays valid, so the other metrics are still accepted", async () => {
    const accepted: string[] = [];
    let refused = 0;
    // Over a real socket, from a child process (test/overflow-child.ts). The server refuses what the
    // collector refuses: null where OTLP/JSON needs a number.
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        if (/"as(Double|Int)":null|"sum":null|"min":null|"max":null/.test(body)) {
          refused++;
          res.writeHead(400, { "content-type": "application/json" }).end("{}");
          return;
        }
        accepted.push(body);
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          [
            "-r",
            "ts-node/register/transpile-only",
            path.join(__dirname, "test", "overflow-child.ts"),
            "http/json",
            `http://127.0.0.1:${port}`,
          ],
          { cwd: path.join(__dirname, ".."), timeout: 50_000 },
          (e, out) => (e ? reject(e) : resolve(out)),
        ),
      );
      expect(stdout).toContain("exported");
      expect(refused).toBe(0);
      expect(accepted).toHaveLength(2);
      for (const body of accepted) expect(body).toContain('"name":"big.other"');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("OTLP/gRPC: the request carries no infinity, and the other metrics", async () => {
    const received: Buffer[] = [];
    const server = new grpc.Server();
    const identity = (b: Buffer) => b;
    server.addService(
      {
        Export: {
          path: "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
          requestStream: false,
          responseStream: false,
          requestSerialize: identity,
          requestDeserialize: identity,
          responseSerialize: identity,
          responseDeserialize: identity,
        },
      },
      {
        Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => {
          received.push(call.request);
          done(null, Buffer.alloc(0));
        },
      },
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    try {
      for (const fastPath of [true, false]) {
        const m = createMetrics(catalogue, {
          protocol: "grpc",
          endpoint: `http://127.0.0.1:${port}`,
          fastPath,
          ...manual,
        });
        m.bytes.add(1e308, { kind: "a" });
        m.bytes.add(1e308, { kind: "a" });
        m.other.add(5);
        await m.shutdown();
      }
      expect(received).toHaveLength(2);
      const inf = Buffer.alloc(8);
      inf.writeDoubleLE(Infinity);
      const negInf = Buffer.alloc(8);
      negInf.writeDoubleLE(-Infinity);
      for (const r of received) {
        expect(r.includes("big.other")).toBe(true);
        expect(r.includes(inf)).toBe(false);
        expect(r.includes(negInf)).toBe(false);
      }
    } finally {
      server.forceShutdown();
    }
  });
});
