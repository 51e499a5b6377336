// A client of the Prometheus HTTP API, as VictoriaMetrics and Prometheus both serve it: only
// /api/v1/series, /api/v1/label/<name>/values, /api/v1/query and /api/v1/query_range, so `check` works against
// either. Form-encoded POST for the calls that carry a selector or a query (long dashboard queries
// overflow URLs; both servers accept POST there). `fetch` is injected so tests can record answers.

/** A label set, `__name__` included. */
export type Labels = Readonly<Record<string, string>>;

/** The store could not be asked, or refused in a way that makes checking impossible (exit 2). */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreError";
  }
}

/** One query the store refused (bad_data, execution error): a finding, not a reason to stop. */
export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueryError";
  }
}

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface StoreOptions {
  /** Base URL: `http://127.0.0.1:8428` (VictoriaMetrics) or a Prometheus' (a path prefix is kept). */
  readonly url: string;
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** Per request. @default 30000 */
  readonly timeoutMs?: number;
}

interface ApiBody {
  status?: string;
  error?: string;
  errorType?: string;
  data?: unknown;
}

export class PrometheusApi {
  private readonly base: string;
  private readonly fetchFn: FetchLike;
  private readonly timeoutMs: number;

  constructor(o: StoreOptions) {
    let parsed: URL;
    try {
      parsed = new URL(o.url);
    } catch {
      throw new StoreError(`--url "${o.url}" is not a URL. Fix: pass one such as http://127.0.0.1:8428.`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new StoreError(`--url "${o.url}" is not http(s). Fix: pass one such as http://127.0.0.1:8428.`);
    }
    this.base = o.url.replace(/\/+$/, "");
    this.fetchFn = o.fetch ?? ((url, init) => fetch(url, init));
    this.timeoutMs = o.timeoutMs ?? 30_000;
  }

  /** Every series matching `selector` with samples in [start, end] (seconds since the epoch). */
  async series(selector: string, start: number, end: number): Promise<Labels[]> {
    const data = await this.call(
      "/api/v1/series",
      { "match[]": selector, start: String(start), end: String(end) },
      StoreError,
    );
    if (!Array.isArray(data) || !data.every(isLabels)) throw this.shapeError("/api/v1/series");
    return data;
  }

  /** The values of label `name` in [start, end], optionally among the series `selector` matches. */
  async labelValues(name: string, start: number, end: number, selector?: string): Promise<string[]> {
    const params: Record<string, string> = { start: String(start), end: String(end) };
    if (selector !== undefined) params["match[]"] = selector;
    const data = await this.call(
      `/api/v1/label/${encodeURIComponent(name)}/values`,
      params,
      StoreError,
      "GET",
    );
    if (!Array.isArray(data) || !data.every((v) => typeof v === "string")) {
      throw this.shapeError(`/api/v1/label/${name}/values`);
    }
    return data;
  }

  /**
   * Runs `expr` over [start, end] every `stepSec`; the number of result series that hold at least
   * one point. A refused query is a QueryError; an unreachable store a StoreError.
   */
  async rangeSeriesCount(expr: string, start: number, end: number, stepSec: number): Promise<number> {
    // First an instant query at `end`: a range query's points fall on multiples of the step (both
    // stores align them), so data younger than one step can sit after its last point.
    const instant = await this.call("/api/v1/query", { query: expr, time: String(end) }, QueryError);
    const i = instant as { result?: unknown } | null;
    if (i === null || typeof i !== "object" || !Array.isArray(i.result))
      throw this.shapeError("/api/v1/query");
    if (i.result.length > 0) return i.result.length;
    const data = await this.call(
      "/api/v1/query_range",
      { query: expr, start: String(start), end: String(end), step: String(stepSec) },
      QueryError,
    );
    const d = data as { resultType?: unknown; result?: unknown } | null;
    if (d === null || typeof d !== "object" || !Array.isArray(d.result)) {
      throw this.shapeError("/api/v1/query_range");
    }
    return (d.result as { values?: unknown }[]).filter((r) => Array.isArray(r.values) && r.values.length > 0)
      .length;
  }

  private shapeError(path: string): StoreError {
    return new StoreError(
      `${this.base}${path} answered JSON that is not the Prometheus API's. ` +
        `Fix: --url must be the base URL of VictoriaMetrics or Prometheus (without /api/v1).`,
    );
  }

  private async call(
    path: string,
    params: Record<string, string>,
    refused: typeof StoreError | typeof QueryError,
    method: "GET" | "POST" = "POST",
  ): Promise<unknown> {
    const form = new URLSearchParams(params);
    const url = method === "GET" ? `${this.base}${path}?${form.toString()}` : `${this.base}${path}`;
    let res: Response;
    try {
      res = await this.fetchFn(url, {
        method,
        ...(method === "POST" && {
          body: form.toString(),
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const why = err.cause?.code ?? err.cause?.message ?? err.message;
      throw new StoreError(
        `cannot reach ${this.base} (${why}). Fix: start the store, or pass its base URL with --url ` +
          `(the stack's VictoriaMetrics is http://127.0.0.1:8428).`,
      );
    }
    const text = await res.text();
    let body: ApiBody | undefined;
    try {
      body = JSON.parse(text) as ApiBody;
    } catch {
      body = undefined;
    }
    if (body === undefined || typeof body !== "object" || body === null || body.status === undefined) {
      throw new StoreError(
        `${url} answered HTTP ${res.status} without a Prometheus API body (${text.slice(0, 120).trim()}). ` +
          `Fix: --url must be the base URL of VictoriaMetrics or Prometheus (without /api/v1).`,
      );
    }
    if (body.status !== "success") {
      throw new refused(
        `${path} refused (HTTP ${res.status}, ${body.errorType ?? "error"}): ${body.error ?? "no reason given"}`,
      );
    }
    return body.data;
  }
}

function isLabels(v: unknown): v is Labels {
  return (
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    Object.values(v as object).every((x) => typeof x === "string")
  );
}
