// The generated config must only use components the pinned core distribution contains. The list is
// the builder manifest scripts/peers.sh builds the real collector from (the image's component list).
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import versions from "../versions.json";
import { scotty } from "../definitions";
import {
  collectorConfig,
  COMPONENT_TYPES_BY_MODULE,
  componentType,
  DEPRECATED_TYPE_ALIASES,
  emittedComponentTypes,
  type CollectorOptions,
} from ".";

const MANIFEST = path.join(__dirname, "..", "scripts", "peers", "otelcol-manifest.yaml");
type Kind = "receivers" | "processors" | "exporters" | "extensions";
const KINDS: Kind[] = ["receivers", "processors", "exporters", "extensions"];

interface Manifest {
  dist: { version: string };
  receivers: { gomod: string }[];
  processors: { gomod: string }[];
  exporters: { gomod: string }[];
  extensions: { gomod: string }[];
  connectors: { gomod: string }[];
}

// `@OUTPUT_PATH@` (a placeholder peers.sh fills in) is not valid YAML as a plain scalar start.
const manifest = parse(
  fs.readFileSync(MANIFEST, "utf8").replace(/@OUTPUT_PATH@/g, "placeholder"),
) as Manifest;

function modulePath(gomod: string): { module: string; version: string } {
  const [module, version] = gomod.trim().split(/\s+/);
  return { module: module!, version: version! };
}

/** Component types of the distribution by kind, through the mapping table. */
function distributionTypes(kind: Kind | "connectors"): string[] {
  return manifest[kind].map((c) => {
    const { module } = modulePath(c.gomod);
    const type = COMPONENT_TYPES_BY_MODULE[module];
    if (type === undefined) throw new Error(`COMPONENT_TYPES_BY_MODULE has no entry for ${module}`);
    return type;
  });
}

const VARIANTS: Partial<CollectorOptions>[] = [
  {},
  { hostmetrics: false },
  { debug: true },
  { hostmetrics: true, debug: true },
  { hostmetrics: false, debug: true },
];

describe("components vs the pinned core distribution", () => {
  it("reads the manifest of the pinned collector version", () => {
    expect(manifest.dist.version).toBe(versions.collector);
    for (const kind of [...KINDS, "connectors"] as const) {
      for (const c of manifest[kind]) {
        expect(modulePath(c.gomod).version).toBe(`v${versions.collector}`);
      }
    }
  });

  it("the mapping table covers exactly the manifest's modules", () => {
    const modules = [...KINDS, "connectors" as const].flatMap((k) =>
      manifest[k].map((c) => modulePath(c.gomod).module),
    );
    expect([...modules].sort()).toEqual(Object.keys(COMPONENT_TYPES_BY_MODULE).sort());
  });

  it.each(VARIANTS.map((v) => [JSON.stringify(v), v]))(
    "every component type the generator emits (%s) is in the distribution",
    (_label, options) => {
      const emitted = emittedComponentTypes(collectorConfig(scotty, options));
      for (const kind of KINDS) {
        expect(emitted[kind].length).toBeGreaterThan(0);
        expect(distributionTypes(kind)).toEqual(expect.arrayContaining(emitted[kind]));
      }
    },
  );

  it("the mapping table covers every type the generator emits, with any option", () => {
    const known = new Set(Object.values(COMPONENT_TYPES_BY_MODULE));
    for (const options of VARIANTS) {
      const emitted = emittedComponentTypes(collectorConfig(scotty, options));
      for (const kind of KINDS) for (const type of emitted[kind]) expect(known).toContain(type);
    }
  });

  it("emits no deprecated type alias and no removed exporter", () => {
    for (const options of VARIANTS) {
      const emitted = emittedComponentTypes(collectorConfig(scotty, options));
      for (const kind of KINDS) {
        for (const type of emitted[kind])
          expect(Object.keys(DEPRECATED_TYPE_ALIASES[kind])).not.toContain(type);
      }
      expect(emitted.exporters).not.toContain("jaeger");
      expect(emitted.exporters).not.toContain("logging");
    }
  });

  it("every deprecated alias points at a type of the same kind in the distribution", () => {
    for (const kind of KINDS) {
      for (const current of Object.values(DEPRECATED_TYPE_ALIASES[kind]))
        expect(distributionTypes(kind)).toContain(current);
    }
  });

  it("emits the types this project relies on", () => {
    const emitted = emittedComponentTypes(collectorConfig(scotty, { hostmetrics: true, debug: true }));
    expect(emitted).toEqual({
      receivers: ["host_metrics", "otlp"],
      // resource: the host pipeline's job/instance (it is in the core distribution).
      processors: ["batch", "memory_limiter", "resource"],
      exporters: ["debug", "otlp_grpc", "prometheus_remote_write"],
      extensions: ["health_check"],
    });
  });

  it("componentType strips the /name suffix", () => {
    expect(componentType("otlp_grpc/jaeger")).toBe("otlp_grpc");
    expect(componentType("batch")).toBe("batch");
  });
});
