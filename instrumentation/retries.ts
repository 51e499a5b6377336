// The OTLP/HTTP exporter retries a failed export (up to 5 times, 1–5 s apart) on plain timers. With the
// collector down and an export interval shorter than that retry chain, a new export always starts
// before the last retry of the previous one, and those timers keep the event loop alive: the process
// never exits by itself (the gRPC exporter does not retry this way, so it exits). Here the waits
// between retries are made with timers that do not hold the process open, unless the app is awaiting
// forceFlush() or shutdown(), when it wants the export to finish.
import { diag } from "@opentelemetry/api";
import type { PushMetricExporter } from "@opentelemetry/sdk-metrics";

/** Timers for retry waits: unreferenced while no flush is awaited, referenced while one is. */
export class RetryTimers {
  private awaited = 0;
  private readonly pending = new Set<NodeJS.Timeout>();

  /** Calls `fn` after `millis`, without keeping the process alive unless a flush is awaited. */
  schedule(fn: () => void, millis: number): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      fn();
    }, millis);
    if (this.awaited === 0) timer.unref();
    this.pending.add(timer);
  }

  /** Runs `flush`, keeping the process alive for pending and new retry waits until it settles. */
  async whileAwaited<T>(flush: () => Promise<T>): Promise<T> {
    if (this.awaited++ === 0) for (const t of this.pending) t.ref();
    try {
      return await flush();
    } finally {
      if (--this.awaited === 0) for (const t of this.pending) t.unref();
    }
  }
}

interface Transport {
  send(data: Uint8Array, timeoutMillis: number): Promise<unknown>;
}

/** The parts of @opentelemetry/exporter-metrics-otlp-http 0.223's internals this relies on. */
interface RetryingTransportShape {
  retry?: unknown;
  _transport?: Partial<Transport>;
}

/**
 * Makes the retry waits of an OTLP/HTTP exporter use `timers`, keeping its retry policy (attempts,
 * backoff, deadline) as it is. This reaches into the exporter's internals (its delegate's retrying
 * transport, whose `retry` method only waits and sends again); if they are not found, it changes
 * nothing and warns. Returns whether it applied.
 */
export function useRetryTimers(exporter: PushMetricExporter, timers: RetryTimers): boolean {
  const delegate = (exporter as unknown as { _delegate?: { _transport?: RetryingTransportShape } })._delegate;
  const retrying = delegate?._transport;
  const inner = retrying?._transport;
  if (retrying === undefined || typeof retrying.retry !== "function" || typeof inner?.send !== "function") {
    diag.warn(
      "observability-stack: could not find the OTLP/HTTP exporter's retry timers; with the collector down " +
        "the process may stay alive while exports are retried (call shutdown() to end it)",
    );
    return false;
  }
  const send = inner.send.bind(inner);
  retrying.retry = (data: Uint8Array, timeoutMillis: number, inMillis: number) =>
    new Promise((resolve, reject) =>
      timers.schedule(() => send(data, timeoutMillis).then(resolve, reject), inMillis),
    );
  return true;
}
