// A small client of the real VictoriaMetrics HTTP API.
import type { RawSeries } from "./values";

export interface Series {
  metric: Record<string, string>;
  values?: [number, string][];
  value?: [number, string];
}

export class VictoriaMetricsClient {
  constructor(readonly base: string) {}

  async forceFlush(): Promise<void> {
    await fetch(`${this.base}/internal/force_flush`);
  }

  /** Range query over the last `windowSec` seconds; the series it returns. */
  async queryRange(expr: string, windowSec = 300, stepSec = 5): Promise<Series[]> {
    const end = Math.floor(Date.now() / 1000);
    const params = new URLSearchParams({
      query: expr,
      start: String(end - windowSec),
      end: String(end),
      step: `${stepSec}s`,
    });
    const res = await fetch(`${this.base}/api/v1/query_range`, { method: "POST", body: params });
    const body = (await res.json()) as { status: string; error?: string; data?: { result: Series[] } };
    if (body.status !== "success") throw new Error(`query failed: ${body.error ?? res.status}: ${expr}`);
    return body.data?.result ?? [];
  }

  /** Instant query at now. */
  async query(expr: string): Promise<Series[]> {
    const res = await fetch(`${this.base}/api/v1/query`, {
      method: "POST",
      body: new URLSearchParams({ query: expr }),
    });
    const body = (await res.json()) as { status: string; error?: string; data?: { result: Series[] } };
    if (body.status !== "success") throw new Error(`query failed: ${body.error ?? res.status}: ${expr}`);
    return body.data?.result ?? [];
  }

  /**
   * Samples stored per metric name over the last `window` (the fewest among a name's series), among
   * the series that match `matchers` (for example `job="scotty"`).
   */
  async samplesPerName(
    names: readonly string[],
    matchers = "",
    window = "10m",
  ): Promise<Map<string, number>> {
    const regex = names.map((n) => n.replace(/[^a-zA-Z0-9_:]/g, "")).join("|");
    const selector = `{__name__=~"^(${regex})$"${matchers ? `, ${matchers}` : ""}}`;
    // keep_metric_names (a MetricsQL modifier): without it the names are dropped and series collide.
    const rows = await this.query(`count_over_time(${selector}[${window}]) keep_metric_names`);
    const out = new Map<string, number>();
    for (const r of rows) {
      const name = r.metric.__name__ ?? "";
      const n = Number(r.value?.[1] ?? 0);
      out.set(name, Math.min(out.get(name) ?? Infinity, n));
    }
    return out;
  }

  /** Raw samples of the series `selector` matches over the last `windowSec` seconds (/api/v1/export). */
  async export(selector: string, windowSec: number): Promise<RawSeries[]> {
    const end = Math.floor(Date.now() / 1000);
    const params = new URLSearchParams({
      "match[]": selector,
      start: String(end - windowSec),
      end: String(end),
    });
    const res = await fetch(`${this.base}/api/v1/export`, { method: "POST", body: params });
    if (!res.ok) throw new Error(`export failed: ${res.status} ${await res.text()}: ${selector}`);
    return (await res.text())
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as RawSeries);
  }

  /** Every metric name VictoriaMetrics holds. */
  async metricNames(): Promise<string[]> {
    const res = await fetch(`${this.base}/api/v1/label/__name__/values`);
    const body = (await res.json()) as { data: string[] };
    return body.data;
  }
}
