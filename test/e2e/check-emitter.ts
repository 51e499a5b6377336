// A hand-instrumented service for the check e2e and the fixture recorder (check-record.ts): every
// metric of a catalogue recorded with the PLAIN @opentelemetry/sdk-metrics SDK, from the catalogue's
// names, units and attributes as METRICS.md states them (not this project's module), except the drifts
// asked for. It is how a Rust or Go service that hand-writes its instruments looks to the collector.
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-grpc";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import type { Attributes } from "@opentelemetry/api";
import type { Catalogue, MetricKind, ResolvedMetric } from "../../definitions";

/** How one catalogue metric (by key) is sent instead of as the catalogue defines it. */
export interface MetricDrift {
  /** Not recorded at all (a counter never incremented, a metric the app forgot). */
  readonly skip?: boolean;
  /** Sent with this unit; values (and bucket bounds) multiplied by `scale`. */
  readonly unit?: string;
  /** @default 1 */
  readonly scale?: number;
  /** Sent as this instrument kind. */
  readonly kind?: MetricKind;
  /** These attribute sets (OTel keys) instead of every declared value. */
  readonly sets?: readonly Attributes[];
  /** These attribute sets as well as the declared ones. */
  readonly extraSets?: readonly Attributes[];
}

export interface EmitOptions {
  /** The collector's OTLP gRPC endpoint (`http://127.0.0.1:14317`). */
  readonly endpoint: string;
  /** service.name: the job label. */
  readonly job: string;
  readonly catalogue: Catalogue;
  /** Per metric key. */
  readonly drift?: Readonly<Record<string, MetricDrift>>;
  /** Counters the catalogue does not define, by OTel name. */
  readonly unknownCounters?: readonly { readonly name: string; readonly unit: string }[];
  /** @default 12000 */
  readonly durationMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every declared value of each attribute once, the others at their first value (an open one at "v1"). */
export function attributeSets(m: ResolvedMetric): Attributes[] {
  const first: Attributes = {};
  for (const a of m.attributes) first[a.key] = a.values?.[0] ?? "v1";
  const sets: Attributes[] = [{ ...first }];
  for (const a of m.attributes)
    for (const v of (a.values ?? []).slice(1)) sets.push({ ...first, [a.key]: v });
  return sets;
}

/** Records every 250 ms for `durationMs`, exporting every second, then flushes and shuts down. */
export async function emitPlain(o: EmitOptions): Promise<void> {
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: o.endpoint }),
    exportIntervalMillis: 1000,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": o.job, "service.instance.id": `${o.job}-1` }),
    readers: [reader],
  });
  const meter = provider.getMeter("plain-emitter");
  const ticks: ((i: number) => void)[] = [];
  for (const m of o.catalogue.list) {
    const d = o.drift?.[m.key] ?? {};
    if (d.skip === true) continue;
    const scale = d.scale ?? 1;
    const sets = [...(d.sets ?? attributeSets(m)), ...(d.extraSets ?? [])];
    const opts = { unit: d.unit ?? m.unit, description: m.description };
    const kind = d.kind ?? m.kind;
    if (kind === "counter") {
      const c = meter.createCounter(m.name, opts);
      ticks.push(() => sets.forEach((a) => c.add(1, a)));
    } else if (kind === "upDownCounter") {
      const c = meter.createUpDownCounter(m.name, opts);
      ticks.push((i) => sets.forEach((a) => c.add(i % 2 === 0 ? 2 : -1, a)));
    } else if (kind === "gauge") {
      const g = meter.createGauge(m.name, opts);
      ticks.push((i) => sets.forEach((a) => g.record((0.25 + (i % 4) / 10) * scale, a)));
    } else {
      const buckets = (m.buckets ?? [1]).map((b) => b * scale);
      const h = meter.createHistogram(m.name, { ...opts, advice: { explicitBucketBoundaries: buckets } });
      const mid = buckets[Math.floor(buckets.length / 2)] ?? scale;
      ticks.push((i) => sets.forEach((a) => h.record(mid * (0.5 + (i % 3) / 4), a)));
    }
  }
  for (const u of o.unknownCounters ?? []) {
    const c = meter.createCounter(u.name, { unit: u.unit });
    ticks.push(() => c.add(1));
  }
  const end = Date.now() + (o.durationMs ?? 12_000);
  for (let i = 0; Date.now() < end; i++) {
    ticks.forEach((t) => t(i));
    await sleep(250);
  }
  await provider.shutdown();
}
