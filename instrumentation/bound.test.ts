// Bound handles (`m.x.bind(attributes)`), on both paths: a handle records exactly what the unbound call
// with the same attributes would (exports and reports alike), stays valid across collections, never
// throws into the app, and is not affected by later changes to the object it was bound with. Each test
// runs a script bound and unbound and compares. The export equivalence over whole catalogues (against
// raw sdk-metrics too) is in equivalence.test.ts.
import { DiagLogLevel } from "@opentelemetry/api";
import type { ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { defineMetrics } from "../definitions";
import { createMetrics } from "./create";
import { captureDiag, cumulativeExporter, withCardinalityLimit } from "./test/helpers";

const catalogue = defineMetrics({
  name: "bound",
  groups: { g: { title: "G" } },
  metrics: {
    requests: {
      name: "bound.requests",
      kind: "counter",
      unit: "{request}",
      description: "Requests.",
      group: "g",
      attributes: { method: { values: ["GET", "POST"] }, route: { maxValues: 3, optional: true } },
    },
    inFlight: {
      name: "bound.in_flight",
      kind: "upDownCounter",
      unit: "{request}",
      description: "In flight.",
      group: "g",
      attributes: { route: { maxValues: 3, optional: true } },
    },
    depth: {
      name: "bound.queue.depth",
      kind: "gauge",
      unit: "{job}",
      description: "Depth.",
      group: "g",
      attributes: { queue: { values: ["a", "b"] } },
    },
    latency: {
      name: "bound.latency",
      kind: "histogram",
      unit: "ms",
      description: "Latency.",
      group: "g",
      buckets: [1, 10, 100],
      attributes: { method: { values: ["GET", "POST"], optional: true } },
    },
    uptime: {
      name: "bound.uptime",
      kind: "gauge",
      unit: "s",
      description: "Uptime.",
      group: "g",
      observedBy: "process.uptime",
    },
  },
});

/** What untyped code sees: any value, any attributes. */
interface Handle {
  add(value: unknown): void;
  record(value: unknown): void;
}
type Loose = Record<
  string,
  {
    add(value: unknown, attributes?: unknown): void;
    record(value: unknown, attributes?: unknown): void;
    bind(...attributes: unknown[]): Handle;
  }
>;

/** Each collection's points per metric (exported order, no timestamps), and the diag messages. */
interface Run {
  collections: Record<string, { attributes: Record<string, unknown>; value: unknown }[]>[];
  messages: string[];
}

async function run(
  fastPath: boolean,
  script: (m: Loose, collect: () => Promise<void>) => Promise<void> | void,
  cat: typeof catalogue = catalogue,
): Promise<Run> {
  const diag = captureDiag(DiagLogLevel.WARN);
  try {
    const exporter = cumulativeExporter();
    const m = createMetrics(cat, { exporter, exportIntervalMillis: 3_600_000, fastPath });
    const collect = () => m.forceFlush();
    await script(m as unknown as Loose, collect);
    await m.shutdown();
    const names = new Set(cat.list.filter((x) => x.observedBy === undefined).map((x) => x.name));
    return {
      collections: exporter.getMetrics().map((r: ResourceMetrics) =>
        Object.fromEntries(
          r.scopeMetrics
            .flatMap((s) => s.metrics)
            .filter((x) => names.has(x.descriptor.name))
            .sort((a, b) => a.descriptor.name.localeCompare(b.descriptor.name))
            .map((x) => [
              x.descriptor.name,
              (x.dataPoints as { attributes: object; value: unknown }[]).map((p) => ({
                attributes: { ...p.attributes },
                value: p.value,
              })),
            ]),
        ),
      ),
      messages: diag.messages.map((x) => `${x.level} ${x.message}`),
    };
  } finally {
    diag.restore();
  }
}

describe.each([
  ["fast path", true],
  ["plain SDK path", false],
])("bound handles (%s)", (_label, fastPath) => {
  it("record what unbound calls record, and stay valid across collections", async () => {
    const GET = { method: "GET", route: "/a" };
    const values = [1, 2.5, 0, 7];
    const unbound = await run(fastPath, async (m, collect) => {
      for (const v of values) {
        m.requests!.add(v, GET);
        m.inFlight!.add(v - 3, { route: "/b" });
        m.depth!.record(v * 10, { queue: "b" });
        m.latency!.record(v * 30);
        await collect();
      }
    });
    const bound = await run(fastPath, async (m, collect) => {
      const requests = m.requests!.bind(GET);
      const inFlight = m.inFlight!.bind({ route: "/b" });
      const depth = m.depth!.bind({ queue: "b" });
      const latency = m.latency!.bind();
      await collect(); // an empty collection first: binding records nothing
      for (const v of values) {
        requests.add(v);
        inFlight.add(v - 3);
        depth.record(v * 10);
        latency.record(v * 30);
        await collect();
      }
    });
    expect(bound.collections[0]).toEqual({});
    expect(bound.collections.slice(1)).toEqual(unbound.collections);
    expect(bound.messages).toEqual([]);
    // Cumulative: the last collection holds every recording.
    const last = bound.collections.at(-1)!;
    expect(last["bound.requests"]).toEqual([{ attributes: GET, value: 10.5 }]);
    expect(last["bound.in_flight"]).toEqual([{ attributes: { route: "/b" }, value: -1.5 }]);
    expect(last["bound.queue.depth"]).toEqual([{ attributes: { queue: "b" }, value: 70 }]);
    expect(last["bound.latency"]![0]!.value).toMatchObject({ count: 4, sum: 315, min: 0, max: 210 });
  });

  it("series appear in first-recorded order, not bind order; handles of one set share its series", async () => {
    const sets = [{ method: "GET" }, { method: "POST" }, { method: "GET", route: "/x" }];
    const unbound = await run(fastPath, (m) => {
      for (const s of [...sets].reverse()) m.requests!.add(1, s);
      m.requests!.add(2, sets[0]);
    });
    const bound = await run(fastPath, (m) => {
      const handles = sets.map((s) => m.requests!.bind(s));
      for (const h of [...handles].reverse()) h.add(1);
      m.requests!.bind({ ...sets[0] }).add(2);
    });
    expect(bound).toEqual(unbound);
    expect(bound.collections.at(-1)!["bound.requests"]!.map((p) => p.value)).toEqual([1, 1, 3]);
  });

  it("never throw on bad values, and report them as unbound calls do", async () => {
    const bad: unknown[] = [NaN, Infinity, -Infinity, -1, "1", undefined, null, {}, 10n, Number.MAX_VALUE];
    const script = (bind: boolean) => (m: Loose) => {
      for (const v of bad) {
        const calls: [string, "add" | "record", object][] = [
          ["requests", "add", { method: "POST" }],
          ["inFlight", "add", {}],
          ["depth", "record", { queue: "a" }],
          ["latency", "record", { method: "GET" }],
        ];
        for (const [key, method, attributes] of calls) {
          if (bind) m[key]!.bind(attributes)[method](v);
          else m[key]![method](v, attributes);
        }
      }
      // Sums that would leave the finite range: refused, the series keeps its value.
      for (let i = 0; i < 5; i++) {
        if (bind) m.inFlight!.bind().add(Number.MAX_VALUE / 5);
        else m.inFlight!.add(Number.MAX_VALUE / 5);
      }
    };
    const unbound = await run(fastPath, script(false));
    let bound: Run | undefined;
    await expect(
      (async () => {
        bound = await run(fastPath, script(true));
      })(),
    ).resolves.toBeUndefined();
    expect(bound).toEqual(unbound);
    expect(
      bound!.messages.some((x) => x.includes("bound.requests: value NaN is not a finite number ≥ 0")),
    ).toBe(true);
    expect(bound!.messages.some((x) => x.includes("bound.in_flight: recording refused"))).toBe(true);
  });

  it("never throw on bad attributes given at bind; every recording is dropped and reported", async () => {
    const throwing = {
      get method(): string {
        throw new Error("getter exploded");
      },
    };
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("ownKeys exploded");
        },
      },
    );
    const badSets: unknown[] = [
      { method: "PUT" }, // undeclared value
      { verb: "GET" }, // undeclared key
      { method: "GET", route: 7 }, // an open attribute's value must be a string
      "GET", // keys "0", "1", "2": undeclared
      ["GET"],
      throwing,
      hostile,
      // Taken as "no attributes" by the unbound call too (required attributes are a compile-time check).
      {},
      undefined,
      null,
      42,
    ];
    const unbound = await run(fastPath, (m) => {
      for (const a of badSets) for (let i = 0; i < 2; i++) m.requests!.add(1, a);
    });
    const bound = await run(fastPath, (m) => {
      const handles = badSets.map((a) => m.requests!.bind(a));
      for (const h of handles) for (let i = 0; i < 2; i++) h.add(1);
    });
    expect(bound).toEqual(unbound);
    // Only the four "no attributes" sets were recorded (twice each); each bad set was reported.
    expect(bound.collections.at(-1)!["bound.requests"]).toEqual([{ attributes: {}, value: 8 }]);
    expect(bound.messages.some((x) => x.includes(`attribute "method" = "PUT" is not declared`))).toBe(true);
    expect(bound.messages.some((x) => x.includes("getter exploded"))).toBe(true);
    expect(bound.messages.some((x) => x.includes("ownKeys exploded"))).toBe(true);
  });

  it("are not affected by changes to the attribute object after bind", async () => {
    const unbound = await run(fastPath, (m) => {
      m.requests!.add(1, { method: "GET", route: "/a" });
      m.requests!.add(1, { method: "GET", route: "/a" });
      m.depth!.record(5, { queue: "a" });
    });
    const bound = await run(fastPath, (m) => {
      const attributes: Record<string, unknown> = { method: "GET", route: "/a" };
      const h = m.requests!.bind(attributes);
      // Before the first recording (the series is claimed then) and after it.
      attributes.method = "POST";
      delete attributes.route;
      h.add(1);
      attributes.method = "nonsense";
      h.add(1);
      const q = { queue: "a" };
      const d = m.depth!.bind(q);
      q.queue = "b";
      d.record(5);
    });
    expect(bound).toEqual(unbound);
  });

  it("overflow past the cardinality limit and maxValues exactly as unbound calls do", async () => {
    // Limit 3 on requests (whose sets are many): the fourth set and later go to the overflow series.
    const limited = withCardinalityLimit(catalogue, "requests", 3);
    const sets = [
      { method: "GET", route: "/1" },
      { method: "GET", route: "/2" },
      { method: "POST", route: "/1" },
      { method: "POST", route: "/2" },
      { method: "GET" },
    ];
    const routes = ["/1", "/2", "/3", "/4", "/5"];
    const script = (bind: boolean) => async (m: Loose, collect: () => Promise<void>) => {
      for (let round = 0; round < 2; round++) {
        for (const s of sets) {
          if (bind) m.requests!.bind(s).add(1);
          else m.requests!.add(1, s);
        }
        // route has maxValues 3: /4 and /5 are beyond it.
        for (const route of routes) {
          if (bind) m.inFlight!.bind({ route }).add(1);
          else m.inFlight!.add(1, { route });
        }
        await collect();
      }
    };
    const unbound = await run(fastPath, script(false), limited);
    const bound = await run(fastPath, script(true), limited);
    expect(bound).toEqual(unbound);
    const last = bound.collections.at(-1)!;
    expect(last["bound.requests"]!.at(-1)).toEqual({
      attributes: { "otel.metric.overflow": true },
      value: 4,
    });
    expect(last["bound.in_flight"]!.at(-1)).toEqual({
      attributes: { "otel.metric.overflow": true },
      value: 4,
    });
  });

  it("of an observedBy metric report recordings from untyped code instead of throwing", async () => {
    const r = await run(fastPath, (m) => {
      const h = m.uptime!.bind();
      h.record(1);
      h.add(1);
    });
    expect(r.messages.some((x) => x.includes("bound.uptime: observed by the module itself"))).toBe(true);
  });
});

describe("bound handles in the no-op mode", () => {
  it("record nothing and never throw", () => {
    const m = createMetrics(catalogue, { disabled: true }) as unknown as Loose;
    expect(() => {
      m.requests!.bind({ method: "GET" }).add(NaN);
      m.latency!.bind(null).record("x");
      m.uptime!.bind().record(1);
    }).not.toThrow();
  });
});
