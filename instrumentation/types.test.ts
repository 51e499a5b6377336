// Compile-time checks of the typed API: ts-jest (and `tsc`) type-check this file, so each
// `@ts-expect-error` must meet a real type error (an unused one fails the build). Valid calls run
// against the no-op mode; the rejected ones sit in functions that are type-checked but never called.
import { scotty } from "../definitions";
import { createMetrics } from "./create";

describe("typed instruments", () => {
  const m = createMetrics(scotty, { disabled: true });

  it("accept declared attribute keys and values only", () => {
    m.logStreams.add(1);
    m.logStreamErrors.add(1, { "error.type": "timeout" });
    m.taskDuration.record(0.5, { "task.status": "succeeded" });
    m.taskOutputBuffer.record(1024);
    m.websocketConnectionsActive.add(-1);
    expect(m.enabled).toBe(false);
  });

  it("reject anything else at compile time", () => {
    const rejected = () => {
      // @ts-expect-error an undeclared value
      m.logStreamErrors.add(1, { "error.type": "oops" });
      // @ts-expect-error an undeclared key
      m.logStreamErrors.add(1, { "error.kind": "timeout" });
      // @ts-expect-error a metric without attributes takes none
      m.logStreams.add(1, { "error.type": "timeout" });
      // @ts-expect-error counters have no record
      m.logStreams.record(1);
      // @ts-expect-error histograms have no add
      m.taskDuration.add(1);
      // @ts-expect-error system-health metrics are observed, not recorded
      m.memoryUsage.record(1, { "memory.type": "rss" });
      // @ts-expect-error no such metric
      void m.noSuchMetric;
    };
    expect(typeof rejected).toBe("function");
  });

  it("track only up-down counters, with time histograms as durations and their attributes at end", () => {
    const op = m.track("tasksActive", { duration: "taskDuration" });
    op.end({ "task.status": "failed" });
    m.track("logStreamsActive").end();
    expect(typeof op.end()).toBe("number");
    const rejected = () => {
      // @ts-expect-error the duration's attributes are checked at end
      m.track("tasksActive", { duration: "taskDuration" }).end({ "task.status": "lost" });
      // @ts-expect-error a counter is not an active count
      m.track("logStreams");
      // @ts-expect-error a byte gauge is not a duration
      m.track("tasksActive", { duration: "taskOutputBuffer" });
    };
    expect(typeof rejected).toBe("function");
  });
});
