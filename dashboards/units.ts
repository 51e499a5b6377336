// Grafana unit ids for a metric's values and for the per-second rates of its counters. The ids are
// the grafana-foundation-sdk's `units` constants (the ones Grafana's unit picker uses).
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { MetricKind } from "../definitions";

const VALUE_UNITS: Readonly<Record<string, string>> = {
  ns: units.Nanoseconds,
  us: units.Microseconds,
  ms: units.Milliseconds,
  s: units.Seconds,
  min: units.Minutes,
  h: units.Hours,
  d: units.Days,
  By: units.BytesIEC,
  KiBy: units.Kibibytes,
  MiBy: units.Mebibytes,
  GiBy: units.Gibibytes,
  KBy: units.Kilobytes,
  MBy: units.Megabytes,
  GBy: units.Gigabytes,
  "%": units.Percent,
  Hz: units.Hertz,
  Cel: units.Celsius,
  V: units.Volt,
  A: units.Ampere,
  W: units.Watt,
  J: units.Joule,
};

// Per-second rates of byte counters.
const BYTE_RATE_UNITS: Readonly<Record<string, string>> = {
  By: units.BytesPerSecondSI,
  KiBy: units.KibibytesPerSecond,
  MiBy: units.MebibytesPerSecond,
  GiBy: units.GibibytesPerSecond,
  KBy: units.KilobytesPerSecond,
  MBy: units.MegabytesPerSecond,
  GBy: units.GigabytesPerSecond,
};

// Per-second rates of counters of things (`{request}`, `{packets}` …): the word picks the unit.
const THING_RATE_UNITS: Readonly<Record<string, string>> = {
  request: units.RequestsPerSecond,
  packet: units.PacketsPerSecond,
  operation: units.OpsPerSecond,
  message: units.MessagesPerSecond,
  event: units.EventsPerSecond,
  record: units.RecordsPerSecond,
};

const TIME_UNITS = new Set(["ns", "us", "ms", "min", "h", "d"]);

/** The Grafana unit of a metric's values (gauges, up-down counters, histogram quantiles). */
export function valueUnit(unit: string, kind: MetricKind): string {
  // A dimensionless gauge is a ratio in [0, 1] by OTel convention; a dimensionless count is not.
  if (unit === "1") return kind === "gauge" ? units.PercentUnit : units.Short;
  return VALUE_UNITS[unit] ?? units.Short;
}

/** The Grafana unit of `rate(counter[…])`: the counter's unit per second. */
export function rateUnit(unit: string): string {
  const bytes = BYTE_RATE_UNITS[unit];
  if (bytes !== undefined) return bytes;
  // Seconds per second is the busy fraction (1 = one CPU or one disk fully busy).
  if (unit === "s") return units.PercentUnit;
  // Other time units per second have no Grafana unit; a plain number is honest.
  if (TIME_UNITS.has(unit)) return units.Short;
  const thing = /^\{(.+)\}$/.exec(unit)?.[1]?.toLowerCase();
  if (thing !== undefined) {
    const word = thing.endsWith("s") ? thing.slice(0, -1) : thing;
    return THING_RATE_UNITS[word] ?? units.CountsPerSecond;
  }
  return units.CountsPerSecond;
}
