// Runs the example app against a local OTLP/HTTP (JSON) receiver and checks what arrives: every metric
// of the catalogue, every declared attribute value, the resource, and a clean exit. The end-to-end test
// runs it against a real collector over gRPC.
import { execFile } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { scotty } from "../definitions";

interface OtlpMetric {
  name: string;
  [kind: string]: unknown;
}
interface OtlpRequest {
  resourceMetrics: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeMetrics: { metrics: OtlpMetric[] }[];
  }[];
}

function dataPoints(m: OtlpMetric): { attributes?: { key: string; value: { stringValue?: string } }[] }[] {
  for (const kind of ["sum", "gauge", "histogram"]) {
    const d = m[kind] as { dataPoints?: [] } | undefined;
    if (d?.dataPoints) return d.dataPoints;
  }
  return [];
}

describe("examples/scotty-app.ts", () => {
  jest.setTimeout(180_000);

  it("exports every metric and every declared attribute value, then exits cleanly", async () => {
    const bodies: OtlpRequest[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.url === "/v1/metrics")
          bodies.push(JSON.parse(Buffer.concat(chunks).toString()) as OtlpRequest);
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const p = execFile(
          process.execPath,
          ["-r", "ts-node/register/transpile-only", path.join(__dirname, "scotty-app.ts")],
          {
            cwd: path.join(__dirname, ".."),
            timeout: 150_000,
            env: {
              ...process.env,
              EXAMPLE_DURATION_MS: "1000",
              EXAMPLE_EXPORT_INTERVAL_MS: "400",
              OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "http/json",
              OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `http://127.0.0.1:${port}/v1/metrics`,
              // The trace exporter is gRPC; nobody listens there, which the app must survive.
              OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://127.0.0.1:1",
            },
          },
          (_e, out) => resolve({ code: p.exitCode, stdout: out }),
        );
      });
      expect(code).toBe(0);
      expect(stdout).toContain("shut down cleanly");

      const last = bodies.at(-1)!;
      const metrics = last.resourceMetrics.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
      // A metric added to the catalogue (README "Adding a metric") must be recorded here too: the e2e
      // test runs this app to give every dashboard query data. Say so, by name, before the full diff.
      const exported = new Set(metrics.map((m) => m.name));
      const missing = scotty.list.filter((d) => !exported.has(d.name)).map((d) => `${d.key} (${d.name})`);
      if (missing.length > 0) {
        throw new Error(
          `examples/scotty-app.ts does not record ${missing.join(", ")}. Fix: record each of them in ` +
            `examples/scotty-app.ts (m.<key>.add/record, or m.track for active counts and durations).`,
        );
      }
      expect(metrics.map((m) => m.name).sort()).toEqual(scotty.list.map((m) => m.name).sort());
      for (const def of scotty.list) {
        const points = dataPoints(metrics.find((m) => m.name === def.name)!);
        expect(points.length).toBeGreaterThan(0);
        for (const a of def.attributes) {
          const seen = new Set(
            points.flatMap((p) =>
              (p.attributes ?? []).filter((x) => x.key === a.key).map((x) => x.value.stringValue),
            ),
          );
          expect([...seen].sort()).toEqual([...a.values!].sort());
        }
      }
      const resource = Object.fromEntries(
        last.resourceMetrics[0]!.resource.attributes.map((a) => [a.key, a.value.stringValue]),
      );
      expect(resource["service.name"]).toBe("scotty");
      expect(resource["service.instance.id"]).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      server.close();
    }
  });
});
