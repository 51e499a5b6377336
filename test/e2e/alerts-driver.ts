// The alerting e2e's load: scotty's tasks, recorded through the instrumentation module (createMetrics
// with the scotty catalogue) and exported over OTLP to the test's collector, at a steady rate with an
// error ratio the test sets. It drives the availability objective `tasksAvailability` of
// definitions/scotty-alerting.ts; every task's duration stays well under the latency objective's
// threshold, so that objective stays healthy.
import type { ResolvedObjective } from "../../definitions";
import { scotty } from "../../definitions";
import { createMetrics } from "../../instrumentation";
import type { Metrics } from "../../instrumentation";

type TaskStatus = "succeeded" | "failed" | "cancelled";

export interface DriverOptions {
  /** OTLP gRPC endpoint of the collector. */
  readonly endpoint: string;
  readonly serviceName: string;
  /** The objective driven; must be an availability objective on scotty's `tasks` counter. */
  readonly objective: ResolvedObjective;
  /** Tasks finished per second. */
  readonly tasksPerSecond: number;
  /** Export interval of the SDK (ms). */
  readonly exportIntervalMillis: number;
}

/** Picks the `task.status` values the objective counts as good and bad; fails on another objective. */
function statusValues(o: ResolvedObjective): { good: TaskStatus; bad: TaskStatus } {
  const sli = o.sli;
  if (sli.kind !== "availability" || sli.metric.key !== "tasks" || sli.failure.kind !== "values") {
    throw new Error(
      `alerts driver: objective ${o.key} is not an availability objective on scotty's tasks counter ` +
        `with failure values; the driver records tasks only. Fix: drive tasksAvailability.`,
    );
  }
  const failing = sli.failure.match.values;
  const declared = sli.metric.attributes.find((a) => a.key === "task.status")?.values ?? [];
  const bad = declared.find((v) => failing.includes(v));
  // "succeeded" rather than "cancelled": both are good, but succeeded is the normal case.
  const good = declared.find((v) => !failing.includes(v) && v === "succeeded");
  if (bad === undefined || good === undefined)
    throw new Error(`alerts driver: ${o.key} has no failing and no succeeding task.status value`);
  return { good: good as TaskStatus, bad: bad as TaskStatus };
}

/**
 * Records `tasksPerSecond` finished tasks every second, of which the share `errorRatio` fails.
 * Failures are spread evenly (an accumulator, no randomness), so a window's ratio is what was set.
 */
export class AlertsDriver {
  private readonly metrics: Metrics<typeof scotty.metrics>;
  private readonly values: { good: TaskStatus; bad: TaskStatus };
  private timer?: NodeJS.Timeout;
  private debt = 0;
  private ratio = 0;
  readonly counts = { good: 0, bad: 0 };

  constructor(private readonly o: DriverOptions) {
    this.values = statusValues(o.objective);
    this.metrics = createMetrics(scotty, {
      endpoint: o.endpoint,
      serviceName: o.serviceName,
      exportIntervalMillis: o.exportIntervalMillis,
    });
  }

  /** The share of tasks that fail from now on (0 to 1). */
  set errorRatio(r: number) {
    if (!(r >= 0 && r <= 1)) throw new Error(`alerts driver: error ratio ${r} is not within 0..1`);
    this.ratio = r;
    this.debt = 0;
  }

  get errorRatio(): number {
    return this.ratio;
  }

  start(): void {
    const tickMs = 100;
    const perTick = (this.o.tasksPerSecond * tickMs) / 1000;
    this.timer = setInterval(() => {
      for (let i = 0; i < perTick; i++) {
        this.debt += this.ratio;
        const fail = this.debt >= 1;
        if (fail) this.debt -= 1;
        const status = fail ? this.values.bad : this.values.good;
        this.metrics.tasks.add(1, { "task.status": status });
        // 50 ms to 2 s: far under the latency objective's threshold.
        this.metrics.taskDuration.record(0.05 + (i % 20) * 0.1, { "task.status": status });
        this.counts[fail ? "bad" : "good"]++;
      }
    }, tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.metrics.shutdown();
  }
}
