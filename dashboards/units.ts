// Grafana unit ids for a metric's values and for the per-second rates of its counters. The ids are
// the grafana-foundation-sdk's `units` constants (the ones Grafana's unit picker uses).
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { MetricKind } from "../definitions";
import { kindFacts } from "../definitions/kinds";

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

// Per-second rates of byte counters: 1024-based like the byte values (BytesIEC), never mixed.
const BYTE_RATE_UNITS: Readonly<Record<string, string>> = {
  By: units.BytesPerSecondIEC,
  KiBy: units.KibibytesPerSecond,
  MiBy: units.MebibytesPerSecond,
  GiBy: units.GibibytesPerSecond,
  KBy: units.KilobytesPerSecond,
  MBy: units.MegabytesPerSecond,
  GBy: units.GigabytesPerSecond,
};

const TIME_UNITS = new Set(["ns", "us", "ms", "min", "h", "d"]);

/** The Grafana unit of a metric's values (gauges, up-down counters, histogram quantiles). */
export function valueUnit(unit: string, kind: MetricKind): string {
  // A dimensionless gauge is a ratio in [0, 1] by OTel convention; a dimensionless count is not.
  if (unit === "1") return kindFacts(kind).dimensionlessIsRatio ? units.PercentUnit : units.Short;
  return VALUE_UNITS[unit] ?? units.Short;
}

/**
 * The Grafana unit of `rate(counter[…])`: the counter's unit per second. Counts of things are all
 * counts per second (one unit, never ops beside cps); a busy-seconds counter (`utilisation`) rates
 * to a fraction; other seconds per second are a concurrency, a plain number.
 */
export function rateUnit(unit: string, utilisation = false): string {
  const bytes = BYTE_RATE_UNITS[unit];
  if (bytes !== undefined) return bytes;
  if (unit === "s") return utilisation ? units.PercentUnit : units.Short;
  if (TIME_UNITS.has(unit)) return units.Short;
  return units.CountsPerSecond;
}
