// A ledger of everything the example app records, kept beside the instruments: each recording with
// its wall-clock time. The end-to-end test reads it back to compute, independently of the
// instrumentation, the collector and VictoriaMetrics, the value every dashboard panel must show.
import * as fs from "node:fs";
import type { Catalogue, MetricSpec } from "../definitions";
import type { Metrics } from "../instrumentation";

type Specs = Readonly<Record<string, MetricSpec>>;

/** One recording: [ms since the epoch on the SDK's clock, value]. A sum's value is the delta; a gauge's or histogram's the value. */
export type Entry = readonly [number, number];

export interface LedgerSeries {
  /** The metric's catalogue key. */
  readonly key: string;
  /** The recording's attributes, as passed (OpenTelemetry keys). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly entries: Entry[];
}

/** What the ledger file holds. */
export interface LedgerFile {
  readonly serviceName: string;
  readonly instanceId: string;
  /** Wall-clock ms of the first and last recording. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** process.uptime() at the final flush, in seconds. */
  readonly uptimeAtExit: number;
  readonly series: readonly LedgerSeries[];
}

/** Attribute sets as given; the key is stable for equal sets in any key order. */
function seriesId(key: string, attributes: Readonly<Record<string, string>>): string {
  return JSON.stringify([key, Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : 1))]);
}

export class Ledger {
  private readonly series = new Map<string, LedgerSeries>();
  private first = Number.NaN;
  private last = Number.NaN;

  record(key: string, attributes: Readonly<Record<string, string>> | undefined, value: number): void {
    const attrs = attributes ?? {};
    const id = seriesId(key, attrs);
    let s = this.series.get(id);
    if (s === undefined) {
      s = { key, attributes: { ...attrs }, entries: [] };
      this.series.set(id, s);
    }
    // The SDK's clock (performance.timeOrigin + now(), as @opentelemetry/core's hrTime reads it), so a
    // recording and the collection that sampled it compare on one clock.
    const now = performance.timeOrigin + performance.now();
    if (Number.isNaN(this.first)) this.first = now;
    this.last = now;
    s.entries.push([now, value]);
  }

  toFile(serviceName: string, instanceId: string): LedgerFile {
    return {
      serviceName,
      instanceId,
      startedAt: this.first,
      endedAt: this.last,
      uptimeAtExit: process.uptime(),
      series: [...this.series.values()],
    };
  }

  write(file: string, serviceName: string, instanceId: string): void {
    fs.writeFileSync(file, JSON.stringify(this.toFile(serviceName, instanceId)));
  }
}

/** Milliseconds to a duration histogram's unit (what `track` records). */
const FROM_MILLIS: Readonly<Record<string, number>> = { s: 1e-3, ms: 1, us: 1e3, ns: 1e6 };

type Recorder = (value: number, attributes?: Record<string, string>) => void;
interface InstrumentLike {
  add?: Recorder;
  record?: Recorder;
}

/**
 * The same metrics object, with every `add`/`record` and every `track(…).end()` also written to the
 * ledger (the duration as the module measured it: `end()` returns it). Instruments keep their types.
 */
export function withLedger<M extends Specs>(
  m: Metrics<M>,
  catalogue: Catalogue<M>,
  ledger: Ledger,
): Metrics<M> {
  const track = (active: string, options?: { attributes?: Record<string, string>; duration?: string }) => {
    const op = (m.track as (a: string, o?: unknown) => { end(e?: unknown): number })(active, options);
    ledger.record(active, options?.attributes, 1);
    return {
      end(endAttributes?: Record<string, string>): number {
        const ms = op.end(endAttributes);
        ledger.record(active, options?.attributes, -1);
        const d = options?.duration === undefined ? undefined : catalogue.byKey[options.duration];
        if (d !== undefined) ledger.record(d.key, endAttributes, ms * (FROM_MILLIS[d.unit] ?? Number.NaN));
        return ms;
      },
    };
  };
  // The module's object is frozen, so this is a new one with the same shape, not a proxy.
  const out: Record<string, unknown> = {
    track,
    forceFlush: () => m.forceFlush(),
    shutdown: () => m.shutdown(),
    enabled: m.enabled,
  };
  for (const metric of catalogue.list) {
    const real = (m as unknown as Record<string, InstrumentLike | undefined>)[metric.key];
    if (real === undefined) continue;
    const log: Recorder = (value, attributes) => ledger.record(metric.key, attributes, value);
    out[metric.key] = Object.freeze({
      ...(real.add && {
        add: (v: number, a?: Record<string, string>) => (real.add!(v, a), log(v, a)),
      }),
      ...(real.record && {
        record: (v: number, a?: Record<string, string>) => (real.record!(v, a), log(v, a)),
      }),
    });
  }
  return Object.freeze(out) as unknown as Metrics<M>;
}
