import { defineMetrics } from "../definitions";
import {
  AttributeIndex,
  attributeProblem,
  BEYOND_MAX_VALUES,
  UNDECLARED_VALUE,
  UNKNOWN_KEY,
} from "./attributes";

const catalogue = defineMetrics({
  name: "t",
  groups: { g: { title: "G" } },
  metrics: {
    jobs: {
      name: "t.jobs",
      kind: "counter",
      unit: "{job}",
      description: "d",
      group: "g",
      attributes: { queue: { values: ["a", "b", "c"] }, priority: { values: ["high", "low"] } },
    },
    open: {
      name: "t.open",
      kind: "counter",
      unit: "{x}",
      description: "d",
      group: "g",
      attributes: { route: { maxValues: 10 } },
    },
    mixed: {
      name: "t.mixed",
      kind: "counter",
      unit: "{x}",
      description: "d",
      group: "g",
      attributes: { route: { maxValues: 2 }, queue: { values: ["a", "b"] } },
    },
    twoOpen: {
      name: "t.two_open",
      kind: "counter",
      unit: "{x}",
      description: "d",
      group: "g",
      attributes: { route: { maxValues: 3 }, user: { maxValues: 2 } },
    },
  },
});

describe("AttributeIndex", () => {
  const index = new AttributeIndex(catalogue.byKey.jobs);

  it("gives every attribute set, absent attributes included, its own index, and decodes it back", () => {
    const sets: Record<string, string>[] = [];
    for (const queue of [undefined, "a", "b", "c"]) {
      for (const priority of [undefined, "high", "low"]) {
        sets.push({ ...(queue ? { queue } : {}), ...(priority ? { priority } : {}) });
      }
    }
    const indexes = sets.map((s) => index.resolve(s));
    expect(new Set(indexes).size).toBe(sets.length);
    expect(index.size).toBe(sets.length);
    for (const [i, s] of sets.entries()) {
      expect(indexes[i]).toBeGreaterThanOrEqual(0);
      expect(indexes[i]).toBeLessThan(index.size);
      expect(index.attributesAt(indexes[i]!)).toEqual(s);
    }
  });

  it("does not depend on key order, and treats undefined values as absent", () => {
    expect(index.resolve({ priority: "low", queue: "b" })).toBe(
      index.resolve({ queue: "b", priority: "low" }),
    );
    expect(index.resolve({ queue: "b", priority: undefined })).toBe(index.resolve({ queue: "b" }));
  });

  it("rejects undeclared keys and values", () => {
    expect(index.resolve({ lane: "a" })).toBe(UNKNOWN_KEY);
    expect(index.resolve({ queue: "z" })).toBe(UNDECLARED_VALUE);
    expect(index.resolve({ queue: 1 })).toBe(UNDECLARED_VALUE);
  });

  it("numbers an open attribute's values in order of first use, up to maxValues", () => {
    const open = new AttributeIndex(catalogue.byKey.open);
    expect(open.size).toBe(11);
    const routes = Array.from({ length: 10 }, (_, i) => `/r${i}`);
    const indexes = routes.map((route) => open.resolve({ route }));
    expect(new Set(indexes).size).toBe(10);
    expect(indexes.map((i) => open.attributesAt(i))).toEqual(routes.map((route) => ({ route })));
    expect(open.resolve({ route: "/r3" })).toBe(indexes[3]);
    expect(open.resolve({ route: "/one-too-many" })).toBe(BEYOND_MAX_VALUES);
    expect(open.resolve({ route: 7 })).toBe(UNDECLARED_VALUE);
  });

  it("admits an open attribute's new value only when the whole set is valid", () => {
    const mixed = new AttributeIndex(catalogue.byKey.mixed);
    // The open value comes first, the bad part after it (the order `for…in` visits them).
    expect(mixed.resolve({ route: "/bad1", queue: "z" })).toBe(UNDECLARED_VALUE);
    expect(mixed.resolve({ route: "/bad2", lane: "a" })).toBe(UNKNOWN_KEY);
    expect(mixed.resolve({ route: "/bad3", queue: 3 })).toBe(UNDECLARED_VALUE);
    const ok = ["/a", "/b"].map((route) => mixed.resolve({ route, queue: "a" }));
    expect(ok.every((i) => i >= 0)).toBe(true);
    expect(ok.map((i) => mixed.attributesAt(i))).toEqual([
      { route: "/a", queue: "a" },
      { route: "/b", queue: "a" },
    ]);
  });

  it("admits all new values of a set or none: a set beyond maxValues uses up no value", () => {
    const two = new AttributeIndex(catalogue.byKey.twoOpen);
    expect(two.resolve({ route: "/a", user: "u1" })).toBeGreaterThanOrEqual(0);
    expect(two.resolve({ route: "/b", user: "u2" })).toBeGreaterThanOrEqual(0);
    // route has room for a third value, user (maxValues 2) has none: the set overflows.
    expect(two.resolve({ route: "/c", user: "u3" })).toBe(BEYOND_MAX_VALUES);
    const i = two.resolve({ route: "/d", user: "u1" });
    expect(two.attributesAt(i)).toEqual({ route: "/d", user: "u1" });
  });
});

describe("attributeProblem", () => {
  it("accepts declared keys with declared values, and any string for open attributes", () => {
    expect(attributeProblem(catalogue.byKey.jobs, { queue: "a" })).toBeUndefined();
    expect(attributeProblem(catalogue.byKey.open, { route: "/anything" })).toBeUndefined();
  });

  it("names the metric, the attribute and what is allowed", () => {
    expect(attributeProblem(catalogue.byKey.jobs, { queue: "z" })).toBe(
      't.jobs: attribute "queue" = "z" is not declared (allowed: "a", "b", "c")',
    );
    expect(attributeProblem(catalogue.byKey.open, { route: 3 })).toBe(
      't.open: attribute "route" = 3 is not declared (allowed: a string)',
    );
    expect(attributeProblem(catalogue.byKey.jobs, { lane: "x" })).toBe(
      't.jobs: attribute "lane" is not declared (declared: queue, priority)',
    );
  });
});
