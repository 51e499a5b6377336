// The files of a new user's project, as the README's "Use it in your project" describes it: a catalogue
// in TypeScript, an app that records every metric, an ES module that imports the definitions, and a
// Pulumi program built from the catalogue, run under pulumi.runtime.setMocks. Kept as text (not .ts
// files in the repo) so that this repository's own tsc and eslint never see them: they are compiled
// in the temporary project, by its own TypeScript, against the installed tarball only.

/** Versions the temporary project installs beside the tarball: the ones this repository tests with. */
export const USER_DEPENDENCIES: Readonly<Record<string, string>> = {
  "@opentelemetry/api": "1.9.0",
  "@pulumi/docker": "5.2.0",
  "@pulumi/pulumi": "3.248.0",
  "@pulumi/random": "4.21.2",
  "@pulumiverse/grafana": "2.40.0",
  "@types/node": "20.19.8",
  typescript: "6.0.3",
};

/** The catalogue's metrics: OTel name → Prometheus name, as the collector writes them. */
export const SHOP_METRICS: Readonly<Record<string, string>> = {
  "shop.orders": "shop_orders_total",
  "shop.checkout.duration": "shop_checkout_duration_seconds",
  "shop.carts.active": "shop_carts_active",
  "shop.queue.depth": "shop_queue_depth",
};

const strict = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  // As `tsc --init` writes it: the @types/node of the pinned version does not check under TS 6 itself.
  skipLibCheck: true,
  types: ["node"],
};

export const PROJECT_FILES: Readonly<Record<string, string>> = {
  "metrics.ts": `import { defineMetrics } from "observability-stack/definitions";

export default defineMetrics({
  name: "shop",
  title: "Shop",
  groups: { orders: { title: "Orders", description: "Orders and checkouts." } },
  metrics: {
    orders: {
      name: "shop.orders",
      kind: "counter",
      unit: "{order}",
      description: "Orders placed.",
      group: "orders",
      attributes: {
        "payment.method": { description: "How it was paid.", values: ["card", "cash"] },
        region: { description: "Shop region.", maxValues: 5, optional: true },
      },
    },
    checkoutDuration: {
      name: "shop.checkout.duration",
      kind: "histogram",
      unit: "s",
      description: "How long a checkout took.",
      group: "orders",
      buckets: [0.1, 0.5, 1, 5],
    },
    cartsActive: {
      name: "shop.carts.active",
      kind: "upDownCounter",
      unit: "{cart}",
      description: "Carts open right now.",
      group: "orders",
    },
    queueDepth: {
      name: "shop.queue.depth",
      kind: "gauge",
      unit: "{order}",
      description: "Orders waiting to be packed.",
      group: "orders",
    },
  },
});
`,
  // Invalid on purpose: a unit written as a word. The bin must refuse it as npm run render does.
  "bad.ts": `import { defineMetrics } from "observability-stack/definitions";

export default defineMetrics({
  name: "bad",
  groups: { g: { title: "G" } },
  metrics: {
    latency: { name: "bad.latency", kind: "histogram", unit: "seconds", description: "d.", group: "g", buckets: [1, 2] },
  },
});
`,
  "app.ts": `// A service of the user's: records every metric of its catalogue, then flushes and exits.
import { diag, DiagConsoleLogger, DiagLogLevel } from "@opentelemetry/api";
import { createMetrics } from "observability-stack/instrumentation";
import shop from "./metrics";

diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

const m = createMetrics(shop, { exportIntervalMillis: 60_000 });
m.orders.add(1, { "payment.method": "card" });
m.orders.add(2, { "payment.method": "cash", region: "eu" });
m.checkoutDuration.record(0.3);
m.cartsActive.add(1);
m.queueDepth.record(7);

// Compiled, never run: the typed instruments refuse what the catalogue does not declare.
export function typeChecks(): void {
  // @ts-expect-error "bitcoin" is not a declared payment.method
  m.orders.add(1, { "payment.method": "bitcoin" });
  // @ts-expect-error payment.method is required (region is optional)
  m.orders.add(1, { region: "eu" });
  // @ts-expect-error payment.method is required
  m.orders.add(1);
  // @ts-expect-error no such attribute
  m.cartsActive.add(1, { region: "eu" });
  // @ts-expect-error a counter has no record()
  m.orders.record(1);
}

void m.shutdown().then(() => {
  const pulumi = Object.keys(require.cache).filter((k) => k.includes("/@pulumi/") || k.includes("/@pulumiverse/"));
  console.log(JSON.stringify({ done: true, pulumiModulesLoaded: pulumi.length }));
});
`,
  // The user's Pulumi program (Pulumi.yaml would name this folder as main).
  "infra/index.ts": `import { buildObservabilityStack } from "observability-stack/stack";
import shop from "../metrics";

export = buildObservabilityStack(shop, { settings: { namePrefix: "shop", hostmetrics: false } }).outputs;
`,
  // Runs that program under Pulumi's mocks, as a unit test of the user's would.
  "infra/mocks.ts": `import * as pulumi from "@pulumi/pulumi";

const preview = process.argv[2] === "preview";
const resources: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
pulumi.runtime.setMocks(
  {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
      resources.push({ type: args.type, name: args.name, inputs: args.inputs });
      const state: Record<string, unknown> = { ...args.inputs };
      if (args.type === "random:index/randomPassword:RandomPassword") state.result = "mock-password";
      if (args.type === "docker:index/remoteImage:RemoteImage") state.imageId = "sha256:" + args.name;
      return { id: args.name + "-id", state };
    },
    call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
  },
  "shop-infra",
  "dev",
  preview,
);

/** Resolves once no resource has been registered for 'quiet' ms (the mocks answer asynchronously). */
async function settled(quiet = 750): Promise<void> {
  for (let seen = -1; seen !== resources.length; ) {
    seen = resources.length;
    await new Promise((r) => setTimeout(r, quiet));
  }
}

async function main(): Promise<void> {
  // Evaluated only now, after setMocks, as Pulumi's unit-testing guide requires.
  const outputs = require("./index") as Record<string, unknown>;
  await settled();
  const uploads = resources
    .filter((r) => r.type === "docker:index/container:Container")
    .flatMap((r) => (r.inputs.uploads as { file?: unknown }[] | undefined) ?? [])
    // A secret's upload (the admin password file) may be unknown to the mocks: only known paths.
    .flatMap((u) => (typeof u.file === "string" ? [u.file] : []));
  console.log(
    JSON.stringify({
      catalogue: outputs.catalogue,
      resources: resources.map((r) => r.type + " " + r.name).sort(),
      containers: resources.filter((r) => r.type === "docker:index/container:Container").map((r) => r.inputs.name),
      uploads: uploads.sort(),
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
`,
  "tsconfig.json": JSON.stringify(
    {
      compilerOptions: {
        ...strict,
        target: "ES2022",
        module: "node16",
        moduleResolution: "node16",
        esModuleInterop: true,
        outDir: "build",
        rootDir: ".",
      },
      include: ["metrics.ts", "app.ts", "infra/*.ts"],
    },
    null,
    2,
  ),
  // The ESM side: an .mjs that Node runs as is, and its types checked under nodenext and bundler.
  "check.mjs": `import { defineMetrics, prometheusName } from "observability-stack/definitions";
import { collectorConfig, collectorConfigYaml } from "observability-stack/collector";
import { buildDashboards } from "observability-stack/dashboards";
import { createMetrics } from "observability-stack/instrumentation";

const c = defineMetrics({
  name: "esm",
  groups: { g: { title: "G" } },
  metrics: { hits: { name: "esm.hits", kind: "counter", unit: "{hit}", description: "Hits.", group: "g" } },
});
console.log(
  JSON.stringify({
    name: prometheusName("esm.hits", "{hit}", "counter"),
    metrics: c.list.map((m) => m.prometheusName),
    dashboards: buildDashboards(c).map((d) => d.uid),
    collector: collectorConfigYaml(collectorConfig(c)).startsWith("# Generated by observability-stack"),
    createMetrics: typeof createMetrics,
  }),
);
`,
  "esm/check.mts": `import { defineMetrics, prometheusName } from "observability-stack/definitions";
import type { Catalogue } from "observability-stack/definitions";
import { createMetrics } from "observability-stack/instrumentation";
import { buildObservabilityStack } from "observability-stack/stack";

const shop = defineMetrics({
  name: "esm",
  groups: { g: { title: "G" } },
  metrics: {
    orders: {
      name: "esm.orders",
      kind: "counter",
      unit: "{order}",
      description: "Orders.",
      group: "g",
      attributes: { "payment.method": { description: "How.", values: ["card", "cash"] } },
    },
  },
});
const c: Catalogue = shop;
const n: string = prometheusName("esm.orders", "{order}", "counter");
const m = createMetrics(shop);
m.orders.add(1, { "payment.method": "card" });
// @ts-expect-error not a declared value
m.orders.add(1, { "payment.method": "gold" });
export const used = [c, n, buildObservabilityStack];
`,
  "esm/package.json": JSON.stringify({ type: "module" }, null, 2),
  "esm/tsconfig.json": JSON.stringify(
    {
      compilerOptions: {
        ...strict,
        target: "ES2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        noEmit: true,
      },
      include: ["check.mts"],
    },
    null,
    2,
  ),
  "bundler/check.ts": `import { defineMetrics } from "observability-stack/definitions";
import { createMetrics } from "observability-stack/instrumentation";
import { collectorConfig, collectorConfigYaml } from "observability-stack/collector";
import { buildDashboards } from "observability-stack/dashboards";
import { buildObservabilityStack, resolveSettings } from "observability-stack/stack";
import type { StackSettings } from "observability-stack/stack";

const c = defineMetrics({
  name: "b",
  groups: { g: { title: "G" } },
  metrics: { hits: { name: "b.hits", kind: "counter", unit: "{hit}", description: "Hits.", group: "g" } },
});
const s: StackSettings = resolveSettings({});
createMetrics(c).hits.add(1);
// @ts-expect-error hits declares no attributes
createMetrics(c).hits.add(1, { a: "b" });
export const used = [collectorConfigYaml(collectorConfig(c)), buildDashboards(c), buildObservabilityStack, s];
`,
  "bundler/tsconfig.json": JSON.stringify(
    {
      compilerOptions: {
        ...strict,
        target: "ES2022",
        module: "esnext",
        moduleResolution: "bundler",
        noEmit: true,
      },
      include: ["check.ts"],
    },
    null,
    2,
  ),
};
