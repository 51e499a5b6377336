import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Catalogue } from "../definitions";
import { hasAlerting } from "../definitions";
import { alertingMemory, checkAlertingCatalogue, resolveAlerting } from "./alerting-settings";
import { loadConfiguredCatalogue } from "./catalogue";
import { ObservabilityStack } from "./observability-stack";
import type { RawSettings } from "./settings";
import { resolveSettings, SETTING_KEYS } from "./settings";

/** The `alerting` key: read beside SETTING_KEYS, resolved by alerting-settings.ts. */
const ALERTING_KEY = "alerting";

/** RawSettings plus the `alerting` key (stack/alerting-settings.ts). */
export type RawStackSettings = RawSettings & { readonly alerting?: unknown };

function readRaw(config: pulumi.Config): RawStackSettings {
  const raw: Record<string, unknown> = {};
  for (const k of [...SETTING_KEYS, ALERTING_KEY]) {
    const text = config.get(k);
    if (text === undefined) continue;
    // Structured values (objects, numbers, booleans) arrive as JSON text.
    try {
      raw[k] = JSON.parse(text);
    } catch {
      raw[k] = text;
    }
  }
  return raw as RawStackSettings;
}

/** What a user's own program gives instead of (or under) Pulumi config; see stack/index.ts. */
export interface StackSource {
  /** The catalogue itself; then config `definitions` must not be set. */
  readonly catalogue?: Catalogue;
  /** Settings in code (with `alerting`); a key also set in Pulumi config takes the config's value. */
  readonly settings?: RawStackSettings;
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
  const { alerting: rawAlerting, ...raw } = { ...source.settings, ...configured };
  const settings = resolveSettings(raw);
  const catalogue = source.catalogue ?? loadConfiguredCatalogue(settings.definitions);
  // Before any resource: a bad or mismatched `alerting` fails the preview and creates nothing.
  const alerting = resolveAlerting(rawAlerting, settings.ports);
  checkAlertingCatalogue(rawAlerting, alerting, {
    name: catalogue.name,
    hasAlerting: hasAlerting(catalogue),
  });

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
      ...(alerting ? { alerting } : {}),
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
    vmalertUrl: stack.alertingEndpoints?.vmalertUrl,
    alertmanagerUrl: stack.alertingEndpoints?.alertmanagerUrl,
    // Outside memoryBudgetMb: alerting is an opt-in whose cost is reported here.
    alertingMemoryMb: alerting ? alertingMemory(alerting) : undefined,
  };
  return { stack, ...(generatedPassword ? { password: generatedPassword } : {}), outputs };
}

/** The stack outputs of the program (index.ts exports them). */
export function buildStack(): Record<string, unknown> {
  return createStack().outputs;
}
