// What `check` reads from the store, once, before judging anything (analyze.ts is pure): every series
// of each job, and the answer to every dashboard query for it.
import type { QueryRef } from "./model";
import { queryForJob } from "./queries";
import { QueryError, StoreError, type Labels, type PrometheusApi } from "./store";

/** One distinct query as the store got it, and where dashboards show it. */
export interface QueryAnswer {
  /** The query with the job and rate window filled in. */
  readonly expr: string;
  readonly refs: readonly QueryRef[];
  /** Result series with at least one point in the window; undefined when the store refused it. */
  readonly series?: number;
  /** Why the store refused it. */
  readonly error?: string;
}

export interface JobSnapshot {
  readonly job: string;
  /** Every series of the job with samples in the window (`target_info` included). */
  readonly series: readonly Labels[];
  readonly queries: readonly QueryAnswer[];
}

export interface Snapshot {
  /** Seconds since the epoch. */
  readonly start: number;
  readonly end: number;
  readonly jobs: readonly JobSnapshot[];
}

export interface GatherOptions {
  readonly jobs: readonly string[];
  readonly queries: readonly QueryRef[];
  /** Seconds since the epoch. */
  readonly start: number;
  readonly end: number;
  /** Step of the range queries, in seconds. */
  readonly stepSec: number;
  /** Queries in flight at once. @default 4 */
  readonly concurrency?: number;
}

/** A job's exact `job` matcher. */
function jobSelector(job: string): string {
  return `{job=${JSON.stringify(job)}}`;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Reads the jobs' series and runs their dashboard queries. A job with no series at all is a
 * StoreError naming the jobs the store has (nothing to compare: a wrong --job, or nothing arrived).
 */
export async function gather(api: PrometheusApi, o: GatherOptions): Promise<Snapshot> {
  const jobs: JobSnapshot[] = [];
  for (const job of o.jobs) {
    const series = await api.series(jobSelector(job), o.start, o.end);
    if (series.length === 0) {
      const known = await api.labelValues("job", o.start, o.end);
      throw new StoreError(
        `the store has no series of job "${job}" between ${new Date(o.start * 1000).toISOString()} and ` +
          `${new Date(o.end * 1000).toISOString()} (its jobs then: ${known.length > 0 ? known.sort().join(", ") : "none"}). ` +
          `Fix: pass the service.name of the app with --job, or a longer --since; is the app sending?`,
      );
    }
    const byExpr = new Map<string, QueryRef[]>();
    for (const ref of o.queries) {
      const expr = queryForJob(ref.expr, job);
      const refs = byExpr.get(expr);
      if (refs === undefined) byExpr.set(expr, [ref]);
      else refs.push(ref);
    }
    const queries = await mapLimited([...byExpr], o.concurrency ?? 4, async ([expr, refs]) => {
      try {
        return { expr, refs, series: await api.rangeSeriesCount(expr, o.start, o.end, o.stepSec) };
      } catch (e) {
        if (e instanceof QueryError) return { expr, refs, error: e.message };
        throw e;
      }
    });
    jobs.push({ job, series, queries });
  }
  return { start: o.start, end: o.end, jobs };
}
