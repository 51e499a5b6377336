/**
 * A bad setting of `createMetrics` (its options, the catalogue's system metrics, the OTLP
 * environment). Thrown at start-up only, never while the application records.
 */
export class MetricsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MetricsConfigError";
  }
}
