import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Catalogue } from "../definitions";
import { loadConfiguredCatalogue } from "./catalogue";
import { ObservabilityStack } from "./observability-stack";
import type { RawSettings } from "./settings";
import { resolveSettings, SETTING_KEYS } from "./settings";

function readRaw(config: pulumi.Config): RawSettings {
  const raw: Record<string, unknown> = {};
  for (const k of SETTING_KEYS) {
    const text = config.get(k);
    if (text === undefined) continue;
    // Structured values (objects, numbers, booleans) arrive as JSON text.
    try {
      raw[k] = JSON.parse(text);
    } catch {
      raw[k] = text;
    }
  }
  return raw as RawSettings;
}

/** What a user's own program gives instead of (or under) Pulumi config; see stack/index.ts. */
export interface StackSource {
  /** The catalogue itself; then config `definitions` must not be set. */
  readonly catalogue?: Catalogue;
  /** Settings in code; a key also set in Pulumi config takes the config's value. */
  readonly settings?: RawSettings;
}

/**
 * Builds the whole stack from Pulumi config (and, from a user's own program, its catalogue and
 * settings). A function (not top-level code) so that tests can call it after `pulumi.runtime.setMocks`.
 */
export function createStack(
  opts?: pulumi.ComponentResourceOptions,
  source: StackSource = {},
): {
  stack: ObservabilityStack;
  password?: random.RandomPassword;
  outputs: Record<string, unknown>;
} {
  const config = new pulumi.Config("observability-stack");
  const configured = readRaw(config);
  if (source.catalogue !== undefined && configured.definitions !== undefined) {
    throw new Error(
      "Config observability-stack:definitions is set, but the program passes its own catalogue, so it " +
        "would be ignored. Fix: pulumi config rm observability-stack:definitions.",
    );
  }
  const settings = resolveSettings({ ...source.settings, ...configured });
  const catalogue = source.catalogue ?? loadConfiguredCatalogue(settings.definitions);

  let grafanaAdminPassword: pulumi.Output<string> | undefined;
  let generatedPassword: random.RandomPassword | undefined;
  if (settings.existingGrafana === undefined) {
    const configured = config.getSecret("grafanaAdminPassword");
    if (configured !== undefined) {
      grafanaAdminPassword = configured;
    } else {
      generatedPassword = new random.RandomPassword("grafana-admin-password", { length: 24, special: false });
      grafanaAdminPassword = generatedPassword.result;
    }
  }
  const vmAdminKey = new random.RandomPassword("victoriametrics-admin-key", { length: 32, special: false });
  const grafanaToken = settings.existingGrafana === undefined ? undefined : config.getSecret("grafanaToken");
  const stack = new ObservabilityStack(
    "observability",
    {
      catalogue,
      settings,
      victoriaMetricsAdminKey: pulumi.secret(vmAdminKey.result),
      ...(grafanaAdminPassword ? { grafanaAdminPassword: pulumi.secret(grafanaAdminPassword) } : {}),
      ...(grafanaToken ? { grafanaToken } : {}),
    },
    opts,
  );
  const e = stack.endpoints;
  const outputs = {
    catalogue: catalogue.name,
    grafanaUrl: e.grafanaUrl,
    grafanaAdminUser: settings.existingGrafana === undefined ? "admin" : undefined,
    grafanaAdminPassword: grafanaAdminPassword ? pulumi.secret(grafanaAdminPassword) : undefined,
    jaegerUiUrl: e.jaegerUiUrl,
    victoriaMetricsUrl: e.victoriaMetricsUrl,
    victoriaMetricsAdminKey: pulumi.secret(vmAdminKey.result),
    otlpGrpcEndpoint: e.otlpGrpcEndpoint,
    otlpHttpEndpoint: e.otlpHttpEndpoint,
    collectorHealthUrl: e.collectorHealthUrl,
    collectorMetricsUrl: e.collectorMetricsUrl,
    appEnv: {
      OTEL_EXPORTER_OTLP_ENDPOINT: e.otlpGrpcEndpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
      OTEL_SERVICE_NAME: catalogue.name,
      OTEL_METRIC_EXPORT_INTERVAL: "15000",
    },
    memoryLimitsMb: stack.memory,
    memoryBudgetMb: settings.memoryBudgetMb,
  };
  return { stack, ...(generatedPassword ? { password: generatedPassword } : {}), outputs };
}

/** The stack outputs of the program (index.ts exports them). */
export function buildStack(): Record<string, unknown> {
  return createStack().outputs;
}
