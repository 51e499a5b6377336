// Public entry point of `observability-stack/stack`: what a user's own Pulumi program imports to run the
// stack (Jaeger, the Collector, VictoriaMetrics, Grafana) for its own catalogue. The only entry point
// that loads @pulumi/*: they are the program's (optional peer dependencies), so apps that import
// definitions or instrumentation never install them.

// Before the imports below (this compiles to CommonJS, which keeps the order): a missing peer then
// fails with the command that installs it, not with a bare "Cannot find module".
requirePeers();

import type { Catalogue } from "../definitions";
import { isCatalogue } from "../definitions";
import type { ObservabilityStack as ObservabilityStackType } from "./observability-stack";
import { createStack } from "./program";
import type { RawStackSettings } from "./program";
import type * as pulumi from "@pulumi/pulumi";
import type * as random from "@pulumi/random";

export { CATALOGUE_DOCS_PATH, ObservabilityStack, stackArtifacts, stackFiles } from "./observability-stack";
export type { ObservabilityStackArgs } from "./observability-stack";
export { createStack } from "./program";
export type { RawStackSettings, StackSource } from "./program";
export {
  alertingEndpoints,
  alertingMemory,
  checkAlertingCatalogue,
  DEFAULT_ALERTING_EVALUATION_INTERVAL,
  DEFAULT_ALERTING_IMAGES,
  DEFAULT_ALERTING_MEMORY_MB,
  DEFAULT_ALERTING_PORTS,
  resolveAlerting,
} from "./alerting-settings";
export type {
  AlertingImages,
  AlertingMemory,
  AlertingMemoryReport,
  AlertingPorts,
  AlertingSettings,
} from "./alerting-settings";
export {
  configurationTable,
  DEFAULT_CPUS,
  DEFAULT_IMAGES,
  DEFAULT_MEMORY_BUDGET_MB,
  DEFAULT_MEMORY_MB,
  DEFAULT_PORTS,
  hostEndpoints,
  resolveSettings,
  SETTING_KEYS,
  StackConfigError,
} from "./settings";
export type {
  CpuLimits,
  ExistingGrafanaSettings,
  Images,
  MemoryBudget,
  MemoryLimits,
  Ports,
  RawSettings,
  ServiceName,
  StackSettings,
} from "./settings";

function requirePeers(): void {
  // Inside the function: it runs before any top-level const of this module is initialised.
  // The peers this entry point loads, with the versions it is tested with.
  const peers: readonly (readonly [string, string])[] = [
    ["@pulumi/pulumi", "3.248.0"],
    ["@pulumi/docker", "5.2.0"],
    ["@pulumi/random", "4.21.2"],
    ["@pulumiverse/grafana", "2.40.0"],
  ];
  const missing = peers.filter(([name]) => {
    try {
      require.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new Error(
      `observability-stack/stack needs ${missing.map(([n]) => n).join(", ")}, which ` +
        `${missing.length === 1 ? "is" : "are"} not installed (peer dependencies: the Pulumi program owns ` +
        `them). Fix: npm install ${missing.map(([n, v]) => `${n}@${v}`).join(" ")}`,
    );
  }
}

export interface BuildStackOptions {
  /**
   * Settings in code, as the config keys of the README's table (`ports`, `memoryMb`, `namePrefix`, …,
   * and `alerting`).
   * A key also set in the stack's config (`pulumi config set observability-stack:<key>`) takes the
   * config's value, so each stack can still adjust them.
   * @default {} (the defaults of the README's table)
   */
  readonly settings?: RawStackSettings;
  /** Options of the ObservabilityStack component (a parent, providers, …). */
  readonly resourceOptions?: pulumi.ComponentResourceOptions;
}

export interface BuiltStack {
  readonly stack: ObservabilityStackType;
  /** The generated Grafana admin password, unless config grafanaAdminPassword or existingGrafana is set. */
  readonly password?: random.RandomPassword;
  /** The stack outputs this project's own program exports (URLs, appEnv, memoryLimitsMb, secrets). */
  readonly outputs: Record<string, unknown>;
}

/**
 * Builds the whole stack for `catalogue` (a defineMetrics result), reading the rest of its settings
 * from `options.settings` and the Pulumi config namespace `observability-stack`, as this project's own
 * program does. Call it from the program's top level and export `outputs`
 * (`export = buildObservabilityStack(myMetrics).outputs`); in unit tests, after `pulumi.runtime.setMocks`.
 */
export function buildObservabilityStack(catalogue: Catalogue, options: BuildStackOptions = {}): BuiltStack {
  if (!isCatalogue(catalogue)) {
    throw new TypeError(
      "buildObservabilityStack: the first argument is not a catalogue. " +
        'Fix: pass the result of defineMetrics() from "observability-stack/definitions".',
    );
  }
  return createStack(options.resourceOptions, {
    catalogue,
    ...(options.settings !== undefined ? { settings: options.settings } : {}),
  });
}
