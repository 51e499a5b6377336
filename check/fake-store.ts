// A small Prometheus-API server for tests: serves series given per job in the shape VictoriaMetrics
// answers them, and answers a range query with data when every series the query names exists for the
// job it filters on (or as `answers` overrides). Test support only.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Labels } from "./store";

export interface FakeStore {
  readonly url: string;
  /** Requests seen, as `path` (for asserting which endpoints were used). */
  readonly requests: string[];
  close(): Promise<void>;
}

export interface FakeStoreOptions {
  /** Series per job. */
  readonly series: Readonly<Record<string, readonly Labels[]>>;
  /** Substring of a query → forced answer: number of series, or an error text. */
  readonly answers?: readonly { readonly match: string; readonly series?: number; readonly error?: string }[];
}

function jobOf(text: string): string | undefined {
  return /job=~?"((?:[^"\\]|\\.)*)"/.exec(text)?.[1]?.replace(/\\\\(.)/g, "$1");
}

export async function startFakeStore(o: FakeStoreOptions): Promise<FakeStore> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      requests.push(url.pathname);
      const params = new URLSearchParams(req.method === "POST" ? body : url.search);
      const reply = (data: unknown): void => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ status: "success", data }));
      };
      if (url.pathname === "/api/v1/series") {
        const job = jobOf(params.get("match[]") ?? "") ?? "";
        return reply(o.series[job] ?? []);
      }
      if (url.pathname === "/api/v1/label/job/values") return reply(Object.keys(o.series).sort());
      if (url.pathname === "/api/v1/query_range" || url.pathname === "/api/v1/query") {
        const q = params.get("query") ?? "";
        const forced = o.answers?.find((a) => q.includes(a.match));
        if (forced?.error !== undefined) {
          res.statusCode = 422;
          res.setHeader("content-type", "application/json");
          return res.end(JSON.stringify({ status: "error", errorType: "bad_data", error: forced.error }));
        }
        const job = jobOf(q) ?? "";
        const names = new Set((o.series[job] ?? []).map((s) => s.__name__));
        // The series a query names are those written as selectors (`name{…}`).
        const refs = [...q.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1]);
        const n = forced?.series ?? (refs.length > 0 && refs.every((r) => names.has(r)) ? 1 : 0);
        if (url.pathname === "/api/v1/query") {
          return reply({
            resultType: "vector",
            result: Array.from({ length: n }, () => ({ metric: {}, value: [1, "1"] })),
          });
        }
        const result = Array.from({ length: n }, () => ({ metric: {}, values: [[1, "1"]] }));
        return reply({ resultType: "matrix", result });
      }
      res.statusCode = 404;
      res.end("404 page not found");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
