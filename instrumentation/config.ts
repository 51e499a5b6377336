// Settings from options and the standard OTEL_* environment variables. The environment is passed in,
// and what is ignored is reported through a callback. Precedence: an explicit option, then the signal-specific variable, then the general one, then
// the default. The OTLP exporters read OTEL_EXPORTER_OTLP_(METRICS_)ENDPOINT, _HEADERS, _TIMEOUT,
// _COMPRESSION and the TLS files themselves; sdk-metrics reads none of the variables below, and
// OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE is overridden (always cumulative).
import { diag } from "@opentelemetry/api";
import { MetricsConfigError } from "./errors";

export type OtlpProtocol = "grpc" | "http/json" | "http/protobuf";

export interface ExportConfig {
  /** OTEL_SDK_DISABLED=true (or `disabled: true`): a no-op with the same API. */
  readonly disabled: boolean;
  readonly protocol: OtlpProtocol;
  /** Full exporter URL when the `endpoint` option is set; else the exporter reads the environment. */
  readonly url?: string;
  readonly exportIntervalMillis: number;
  readonly exportTimeoutMillis: number;
}

export interface ConfigOptions {
  readonly disabled?: boolean;
  readonly protocol?: OtlpProtocol;
  readonly endpoint?: string;
  readonly exportIntervalMillis?: number;
  readonly exportTimeoutMillis?: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

const PROTOCOLS: readonly OtlpProtocol[] = ["grpc", "http/json", "http/protobuf"];
export const DEFAULT_EXPORT_INTERVAL_MILLIS = 60_000;
export const DEFAULT_EXPORT_TIMEOUT_MILLIS = 30_000;

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === "" ? undefined : v;
}

/** Reports a setting that was ignored; by default a `diag` warning. */
export type ConfigWarning = (message: string) => void;

const diagWarning: ConfigWarning = (message) => diag.warn(`observability-stack: ${message}`);

function isPositiveMillis(n: number): boolean {
  return Number.isInteger(n) && n > 0;
}

/** An explicit option: a bad one is a programming error, reported at once. */
function optionMillis(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !isPositiveMillis(value)) {
    throw new MetricsConfigError(
      `option ${name} must be a positive whole number of milliseconds, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** An environment variable: a bad one is reported and ignored (OTel env-var spec), never fatal. */
function envMillis(env: Env, name: string, warn: ConfigWarning): number | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (isPositiveMillis(n)) return n;
  warn(`${name}=${JSON.stringify(raw)} is not a positive whole number of milliseconds; ignored`);
  return undefined;
}

/**
 * Resolves the export settings. Throws a {@link MetricsConfigError} naming a bad explicit option; an
 * invalid OTEL_* value is reported through `warn` (once per call) and ignored, so the next source
 * applies, ultimately the default.
 */
export function resolveExportConfig(
  options: ConfigOptions,
  env: Env,
  warn: ConfigWarning = diagWarning,
): ExportConfig {
  // Only "true" (any case) disables; "false" and empty are quiet, anything else warns (OTel spec).
  let disabled = options.disabled;
  if (disabled === undefined) {
    const raw = nonEmpty(env.OTEL_SDK_DISABLED);
    disabled = raw?.toLowerCase() === "true";
    if (raw !== undefined && !disabled && raw.toLowerCase() !== "false") {
      warn(`OTEL_SDK_DISABLED=${JSON.stringify(raw)} is neither "true" nor "false"; read as false`);
    }
  }

  let protocol: OtlpProtocol;
  if (options.protocol !== undefined) {
    if (!PROTOCOLS.includes(options.protocol)) {
      throw new MetricsConfigError(
        `option protocol must be one of ${PROTOCOLS.join(", ")}, got ${JSON.stringify(options.protocol)}`,
      );
    }
    protocol = options.protocol;
  } else {
    protocol = "grpc";
    for (const name of ["OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"]) {
      const raw = nonEmpty(env[name]);
      if (raw === undefined) continue;
      if (PROTOCOLS.includes(raw as OtlpProtocol)) {
        protocol = raw as OtlpProtocol;
        break;
      }
      warn(`${name}=${JSON.stringify(raw)} is not one of ${PROTOCOLS.join(", ")}; ignored`);
    }
  }

  let url: string | undefined;
  if (options.endpoint !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(options.endpoint);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      throw new MetricsConfigError(
        `option endpoint must be an http:// or https:// URL such as http://localhost:4317, got ${JSON.stringify(options.endpoint)}`,
      );
    }
    // Like OTEL_EXPORTER_OTLP_ENDPOINT: a base URL; the HTTP exporter needs the signal's path.
    url =
      protocol === "grpc" || parsed.pathname.endsWith("/v1/metrics")
        ? options.endpoint
        : `${options.endpoint.replace(/\/+$/, "")}/v1/metrics`;
  }

  // An option wins without the variable being read (so a bad variable it overrides is not reported).
  const exportIntervalMillis =
    optionMillis(options.exportIntervalMillis, "exportIntervalMillis") ??
    envMillis(env, "OTEL_METRIC_EXPORT_INTERVAL", warn) ??
    DEFAULT_EXPORT_INTERVAL_MILLIS;
  const timeout =
    optionMillis(options.exportTimeoutMillis, "exportTimeoutMillis") ??
    envMillis(env, "OTEL_METRIC_EXPORT_TIMEOUT", warn) ??
    DEFAULT_EXPORT_TIMEOUT_MILLIS;
  // The reader requires timeout ≤ interval; a short interval (tests, examples) shortens the timeout.
  const exportTimeoutMillis = Math.min(timeout, exportIntervalMillis);

  return {
    disabled,
    protocol,
    ...(url !== undefined ? { url } : {}),
    exportIntervalMillis,
    exportTimeoutMillis,
  };
}
