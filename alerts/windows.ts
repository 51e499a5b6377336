// The rule windows (SRE workbook, "Alerting on SLOs", multiwindow multi-burn-rate) and the one
// option that shrinks them all for tests: every window, every `for`, every rule group interval and
// Alertmanager's timers are multiplied by `windowScale`, so a test runs the very same rules, faster.
import { formatDuration, type ResolvedObjective } from "../definitions";

/** The windows every SLI is recorded over (besides its objective window), in seconds. */
export const STANDARD_WINDOWS_SECONDS: readonly number[] = [
  300, // 5m
  1800, // 30m
  3600, // 1h
  7200, // 2h
  21_600, // 6h
  86_400, // 1d
  259_200, // 3d
];

/** A burn-rate alert: the error ratio over both windows exceeds `burnRate` × the error budget. */
export interface BurnRateAlert {
  readonly severity: "page" | "ticket";
  readonly burnRate: number;
  readonly longWindowSeconds: number;
  readonly shortWindowSeconds: number;
}

/**
 * The workbook's pairs for a 30-day objective: 2% of the budget spent in 1h pages, 5% in 6h pages,
 * 10% in 3d opens a ticket. The short window (1/12 of the long one) makes an alert resolve soon
 * after the burn stops. The factors are used as they are for other objective windows.
 */
export const BURN_RATE_ALERTS: readonly BurnRateAlert[] = [
  { severity: "page", burnRate: 14.4, longWindowSeconds: 3600, shortWindowSeconds: 300 },
  { severity: "page", burnRate: 6, longWindowSeconds: 21_600, shortWindowSeconds: 1800 },
  { severity: "ticket", burnRate: 1, longWindowSeconds: 259_200, shortWindowSeconds: 21_600 },
];

/** Default evaluation interval of the generated rule groups (before scaling). */
export const DEFAULT_EVALUATION_INTERVAL_SECONDS = 60;

/**
 * A duration after scaling, in whole seconds, never below one second (vmalert and Alertmanager take
 * no shorter durations, and a rate needs a window longer than zero). `0` stays `0` (`for: 0s`).
 */
export function scaleSeconds(seconds: number, windowScale: number): number {
  if (seconds === 0) return 0;
  return Math.max(1, Math.round(seconds * windowScale));
}

/** `scaleSeconds`, written as a Prometheus duration (`3600` at 0.01 → `36s`). */
export function scaledDuration(seconds: number, windowScale: number): string {
  return formatDuration(scaleSeconds(seconds, windowScale));
}

/** Checks the scale: above 0 and at most 1 (the rules' windows never grow). */
export function checkWindowScale(windowScale: unknown): number {
  if (
    typeof windowScale !== "number" ||
    !Number.isFinite(windowScale) ||
    windowScale <= 0 ||
    windowScale > 1
  ) {
    throw new Error(
      `Invalid render option alerting.windowScale ${JSON.stringify(windowScale)}: it multiplies every rule window, ` +
        `'for' and interval, so it must be above 0 and at most 1. Fix: leave it at 1 for real use, e.g. 0.01 in tests (1h → 36s).`,
    );
  }
  return windowScale;
}

/** One window an SLI is recorded over: its `window` label value and its length. */
export interface SliWindow {
  /** The `window` label value: the scaled duration (`1h`, or `36s` at scale 0.01). */
  readonly label: string;
  readonly seconds: number;
  /** The window before scaling (`3600` for 1h). */
  readonly nominalSeconds: number;
}

/** The windows an objective's SLI is recorded over: the standard ones and its own, shortest first. */
export function sliWindows(objective: ResolvedObjective, windowScale: number): SliWindow[] {
  const nominal = [...new Set([...STANDARD_WINDOWS_SECONDS, objective.windowSeconds])].sort((a, b) => a - b);
  const out: SliWindow[] = [];
  for (const n of nominal) {
    const seconds = scaleSeconds(n, windowScale);
    // Two windows that round to the same length at a tiny scale are one series.
    if (out.some((w) => w.seconds === seconds)) continue;
    out.push({ label: formatDuration(seconds), seconds, nominalSeconds: n });
  }
  return out;
}

/** The window of `nominalSeconds` among an objective's SLI windows (after scaling). */
export function sliWindow(
  objective: ResolvedObjective,
  nominalSeconds: number,
  windowScale: number,
): SliWindow {
  const seconds = scaleSeconds(nominalSeconds, windowScale);
  const w = sliWindows(objective, windowScale).find((x) => x.seconds === seconds);
  if (w === undefined)
    throw new Error(`sliWindow: no recorded window of ${nominalSeconds}s for "${objective.key}".`);
  return w;
}
