// Recorded store answers: what a real VictoriaMetrics answered to every request of one `check` run
// (test/e2e/check-record.ts writes them, check/recorded.test.ts replays them). Requests are keyed by
// method, path and parameters, so a replay with the recorded `now` asks exactly what was recorded;
// a request not recorded is a miss (the test fails naming it), never an invented answer.
import type { FetchLike } from "../store";

export interface Exchange {
  readonly method: string;
  /** URL path as sent, `/api/v1/series` (with --url's own path prefix, if any). */
  readonly path: string;
  /** Query string (GET) or form body (POST) parameters, sorted. */
  readonly params: readonly (readonly [string, string])[];
  readonly status: number;
  readonly contentType: string;
  /** The body as JSON when it parsed as JSON, else its text. */
  readonly json?: unknown;
  readonly text?: string;
}

export interface Recording {
  readonly about: string;
  /** The store that answered (`victoria-metrics ... v1.151.0`). */
  readonly store: string;
  readonly recordedAt: string;
  /** `now` of the recorded run, in ms since the epoch: the replay passes it back. */
  readonly now: number;
  /** The check's arguments other than --url and --json. */
  readonly args: readonly string[];
  /** What --url added after the store's origin ("" for the store itself). */
  readonly urlPath: string;
  readonly exchanges: readonly Exchange[];
}

/** Origin a replay gives --url: recorded answers do not depend on where the store listened. */
export const REPLAY_ORIGIN = "http://victoriametrics.recorded:8428";

function requestOf(
  url: string,
  init?: RequestInit,
): { method: string; path: string; params: [string, string][] } {
  const u = new URL(url);
  const method = init?.method ?? "GET";
  const form = method === "POST" ? new URLSearchParams(String(init?.body ?? "")) : u.searchParams;
  const params = [...form].sort((a, b) => (a[0] + "\u0000" + a[1] < b[0] + "\u0000" + b[1] ? -1 : 1));
  return { method, path: u.pathname, params };
}

function keyOf(r: { method: string; path: string; params: readonly (readonly [string, string])[] }): string {
  return JSON.stringify([r.method, r.path, r.params]);
}

/** A fetch that asks the real store and keeps every answer in `exchanges`. */
export function recordingFetch(exchanges: Exchange[]): FetchLike {
  return async (url, init) => {
    const res = await fetch(url, init);
    const text = await res.text();
    const contentType = res.headers.get("content-type") ?? "";
    let json: unknown;
    let parsed = false;
    try {
      json = JSON.parse(text);
      parsed = true;
    } catch {
      parsed = false;
    }
    exchanges.push({
      ...requestOf(url, init),
      status: res.status,
      contentType,
      ...(parsed ? { json } : { text }),
    });
    return new Response(text, { status: res.status, headers: { "content-type": contentType } });
  };
}

/** Exchanges in a stable order (queries run concurrently, so they were recorded in any order). */
export function sortExchanges(exchanges: readonly Exchange[]): Exchange[] {
  return [...exchanges].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

export interface Replay {
  readonly fetch: FetchLike;
  /** Requests that have no recorded answer, as `METHOD path params`. */
  readonly misses: string[];
}

/** A fetch that answers from `recording`; a request it does not hold is a miss and a network error. */
export function replayFetch(recording: Recording): Replay {
  const byKey = new Map(recording.exchanges.map((e) => [keyOf(e), e]));
  const misses: string[] = [];
  const replay: FetchLike = (url, init) => {
    const req = requestOf(url, init);
    const e = byKey.get(keyOf(req));
    if (e === undefined) {
      misses.push(`${req.method} ${req.path} ${new URLSearchParams(req.params).toString()}`);
      return Promise.reject(new TypeError("fetch failed", { cause: { code: "NOT_RECORDED" } }));
    }
    const body = e.text ?? JSON.stringify(e.json);
    return Promise.resolve(
      new Response(body, { status: e.status, headers: { "content-type": e.contentType } }),
    );
  };
  return { fetch: replay, misses };
}
