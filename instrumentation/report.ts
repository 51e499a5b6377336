// Bad recordings are reported through OTel's diagnostic logger, never thrown into the app. A hot path
// with a bad call would otherwise log once per call: each distinct message is logged once, and the
// set of remembered messages is capped so that memory stays bounded whatever the app does.
import { diag } from "@opentelemetry/api";

const MAX_DISTINCT_MESSAGES = 256;

export class Reporter {
  private readonly seen = new Set<string>();
  /** Recordings dropped because of bad input, since start. */
  dropped = 0;

  /** Counts a dropped recording and warns once per distinct message. */
  drop(message: string): void {
    this.dropped++;
    if (this.seen.has(message)) return;
    if (this.seen.size >= MAX_DISTINCT_MESSAGES) {
      if (this.seen.size === MAX_DISTINCT_MESSAGES) {
        this.seen.add("");
        diag.warn("observability-stack: too many distinct bad recordings; further ones are dropped silently");
      }
      return;
    }
    this.seen.add(message);
    diag.warn(`observability-stack: ${message} (recording dropped; further identical ones are not logged)`);
  }

  /** Warns once per distinct message, without counting a drop. */
  warn(message: string): void {
    if (this.seen.has(message) || this.seen.size >= MAX_DISTINCT_MESSAGES) return;
    this.seen.add(message);
    diag.warn(`observability-stack: ${message}`);
  }

  /** An unexpected exception inside the module: logged, never rethrown into the app. */
  error(context: string, error: unknown): void {
    this.dropped++;
    const message = `${context}: ${error instanceof Error ? error.message : String(error)}`;
    if (this.seen.has(message) || this.seen.size >= MAX_DISTINCT_MESSAGES) return;
    this.seen.add(message);
    diag.error(`observability-stack: ${message}`);
  }
}

/** A short, safe rendering of a value from untyped code for a log line. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === undefined || value === null) {
    return String(value);
  }
  return typeof value;
}
