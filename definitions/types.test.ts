// Type-level tests: ts-jest type-checks this file, so an unused @ts-expect-error fails the suite.
import { defineMetrics } from "./define";
import type { AttributesOf, RequiresAttributes } from "./types";

const c = defineMetrics({
  name: "svc",
  groups: { main: { title: "Main" } },
  metrics: {
    errors: {
      name: "svc.errors",
      kind: "counter",
      unit: "{error}",
      description: "Errors.",
      group: "main",
      attributes: {
        "error.type": { values: ["timeout", "internal"] },
        route: { maxValues: 20, optional: true },
      },
    },
    plain: { name: "svc.plain", kind: "gauge", unit: "1", description: "Plain.", group: "main" },
  },
});

type ErrorAttrs = AttributesOf<(typeof c.metrics)["errors"]>;
type PlainAttrs = AttributesOf<(typeof c.metrics)["plain"]>;

function accept<T>(value: T): T {
  return value;
}

describe("AttributesOf keeps the declared keys and values", () => {
  it("accepts declared keys and values", () => {
    const a = accept<ErrorAttrs>({ "error.type": "timeout", route: "/any/string" });
    expect(a["error.type"]).toBe("timeout");
    expect(accept<PlainAttrs>({})).toEqual({});
    // route is optional
    expect(accept<ErrorAttrs>({ "error.type": "internal" })).toEqual({ "error.type": "internal" });
  });

  it("requires the attributes not declared optional", () => {
    // @ts-expect-error error.type is required
    accept<ErrorAttrs>({ route: "/x" });
    // @ts-expect-error error.type is required
    accept<ErrorAttrs>({});
    const required: RequiresAttributes<(typeof c.metrics)["errors"]> = true;
    const none: RequiresAttributes<(typeof c.metrics)["plain"]> = false;
    expect([required, none]).toEqual([true, false]);
  });

  it("rejects a wrong key or value at compile time", () => {
    // @ts-expect-error: "error.kind" is not a declared attribute key
    accept<ErrorAttrs>({ "error.kind": "timeout" });
    // @ts-expect-error: "oops" is not a declared value of error.type
    accept<ErrorAttrs>({ "error.type": "oops" });
    // @ts-expect-error: a metric without attributes accepts no key
    accept<PlainAttrs>({ route: "x" });
    // @ts-expect-error: the literal kind is kept, so a wrong comparison does not compile
    expect(c.metrics.errors.kind === "gauge").toBe(false);
    expect(c.metrics.errors.name).toBe("svc.errors");
  });
});
