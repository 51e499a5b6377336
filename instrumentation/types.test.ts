// Compile-time checks of the typed API: ts-jest (and `tsc`) type-check this file, so each
// `@ts-expect-error` must meet a real type error (an unused one fails the build). Valid calls run
// against the no-op mode; the rejected ones sit in functions that are type-checked but never called.
import { defineMetrics, scotty } from "../definitions";
import { createMetrics } from "./create";

describe("typed instruments", () => {
  const m = createMetrics(scotty, { disabled: true });

  it("accept declared attribute keys and values only", () => {
    m.logStreams.add(1);
    m.logStreamErrors.add(1, { "error.type": "timeout" });
    m.taskDuration.record(0.5, { "task.status": "succeeded" });
    m.taskOutputBuffer.record(1024);
    m.websocketConnectionsActive.add(-1);
    m.logStreams.add(1, {});
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
      // @ts-expect-error metrics declared observedBy are observed, not recorded
      m.memoryUsage.record(1, { "memory.type": "rss" });
      // @ts-expect-error no such metric
      void m.noSuchMetric;
    };
    expect(typeof rejected).toBe("function");
  });

  it("require every attribute that is not declared optional", () => {
    const rejected = () => {
      // @ts-expect-error error.type is required: no attributes at all
      m.logStreamErrors.add(1);
      // @ts-expect-error error.type is required: an empty set
      m.logStreamErrors.add(1, {});
      // @ts-expect-error task.status is required on the histogram too
      m.taskDuration.record(0.5);
      // @ts-expect-error worker.state is required on the up-down counter
      m.taskWorkers.add(1);
    };
    expect(typeof rejected).toBe("function");
  });

  it("bind like add/record: the definition's attribute types, handles without attributes", () => {
    const errors = m.logStreamErrors.bind({ "error.type": "timeout" });
    errors.add(1);
    m.logStreams.bind().add(1);
    m.taskDuration.bind({ "task.status": "succeeded" }).record(0.5);
    m.taskOutputBuffer.bind().record(1024);
    m.websocketConnectionsActive.bind().add(-1);
    const rejected = () => {
      // @ts-expect-error an undeclared value
      m.logStreamErrors.bind({ "error.type": "oops" });
      // @ts-expect-error an undeclared key
      m.logStreamErrors.bind({ "error.kind": "timeout" });
      // @ts-expect-error a required attribute must be given at bind
      m.logStreamErrors.bind();
      // @ts-expect-error … and not as an empty set
      m.taskWorkers.bind({});
      // @ts-expect-error a metric without attributes takes none
      m.logStreams.bind({ "error.type": "timeout" });
      // @ts-expect-error the handle takes the value only: its attributes were given at bind
      errors.add(1, { "error.type": "timeout" });
      // @ts-expect-error a counter's handle has no record
      errors.record(1);
      // @ts-expect-error a histogram's handle has no add
      m.taskDuration.bind({ "task.status": "failed" }).add(1);
      // @ts-expect-error metrics declared observedBy cannot be bound
      m.memoryUsage.bind({ "memory.type": "rss" });
    };
    expect(typeof rejected).toBe("function");
  });

  it("track only up-down counters, with time histograms as durations and their attributes at end", () => {
    const op = m.track("tasksActive", { duration: "taskDuration" });
    op.end({ "task.status": "failed" });
    m.track("logStreamsActive").end();
    const rejected = () => {
      // @ts-expect-error the duration's attributes are checked at end
      m.track("tasksActive", { duration: "taskDuration" }).end({ "task.status": "lost" });
      // @ts-expect-error the duration's required attributes must be given at end
      m.track("tasksActive", { duration: "taskDuration" }).end();
      // @ts-expect-error a counter is not an active count
      m.track("logStreams");
      // @ts-expect-error a byte gauge is not a duration
      m.track("tasksActive", { duration: "taskOutputBuffer" });
      // @ts-expect-error the active count's required attribute must be given
      m.track("taskWorkers");
      // @ts-expect-error … and with its declared values only
      m.track("taskWorkers", { attributes: { "worker.state": "asleep" } });
    };
    expect(typeof rejected).toBe("function");
    expect(typeof m.track("taskWorkers", { attributes: { "worker.state": "busy" } }).end()).toBe("number");
  });
});

describe("optional attributes and observedBy in a user's catalogue", () => {
  const shop = defineMetrics({
    name: "shop",
    groups: { g: { title: "G" } },
    metrics: {
      requests: {
        name: "shop.requests",
        kind: "counter",
        unit: "{request}",
        description: "Requests.",
        group: "g",
        attributes: {
          method: { values: ["GET", "POST"] },
          region: { maxValues: 5, optional: true },
        },
      },
      cacheSize: {
        name: "shop.cache.size",
        kind: "gauge",
        unit: "By",
        description: "Cache size.",
        group: "g",
        attributes: { tier: { values: ["l1", "l2"], optional: true } },
      },
      // A user's own metric under the key the module once observed by magic: the app's to record.
      uptime: { name: "shop.uptime", kind: "gauge", unit: "s", description: "d", group: "g" },
      age: {
        name: "shop.process.age",
        kind: "counter",
        unit: "s",
        description: "Process age.",
        group: "g",
        observedBy: "process.uptime",
      },
    },
  });
  const s = createMetrics(shop, { disabled: true });

  it("an optional attribute may be left out; a required one may not", () => {
    s.requests.add(1, { method: "GET" });
    s.requests.add(1, { method: "POST", region: "eu-1" });
    s.cacheSize.record(10);
    s.cacheSize.record(10, { tier: "l2" });
    s.uptime.record(12);
    s.requests.bind({ method: "POST", region: "eu-1" }).add(1);
    s.cacheSize.bind().record(10);
    s.cacheSize.bind({ tier: "l1" }).record(10);
    expect(s.age.observed).toBe(true);
    const rejected = () => {
      // @ts-expect-error method is required
      s.requests.add(1, { region: "eu-1" });
      // @ts-expect-error method is required
      s.requests.add(1);
      // @ts-expect-error an optional attribute still takes only its declared values
      s.cacheSize.record(1, { tier: "l3" });
      // @ts-expect-error observedBy: nothing to record
      s.age.add(1);
      // @ts-expect-error method is required at bind too
      s.requests.bind({ region: "eu-1" });
      // @ts-expect-error an optional attribute still takes only its declared values at bind
      s.cacheSize.bind({ tier: "l3" });
    };
    expect(typeof rejected).toBe("function");
  });
});
