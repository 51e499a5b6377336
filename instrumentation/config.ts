// Settings from options and the standard OTEL_* environment variables. Pure: the environment is passed
// in. Precedence: an explicit option, then the signal-specific variable, then the general one, then
// the default. The OTLP exporters read OTEL_EXPORTER_OTLP_(METRICS_)ENDPOINT, _HEADERS, _TIMEOUT,
// _COMPRESSION and the TLS files themselves; sdk-metrics reads none of the variables below, and
// OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE is overridden (always cumulative).
import { MetricsConfigError } from "./system";

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

function positiveMillis(value: number | string | undefined, source: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new MetricsConfigError(
      `${source} must be a positive whole number of milliseconds, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** Resolves the export settings. Throws a {@link MetricsConfigError} naming the bad setting. */
export function resolveExportConfig(options: ConfigOptions, env: Env): ExportConfig {
  const disabledEnv = nonEmpty(env.OTEL_SDK_DISABLED);
  if (disabledEnv !== undefined && !["true", "false"].includes(disabledEnv.toLowerCase())) {
    throw new MetricsConfigError(
      `OTEL_SDK_DISABLED must be "true" or "false", got ${JSON.stringify(disabledEnv)}`,
    );
  }
  const disabled = options.disabled ?? disabledEnv?.toLowerCase() === "true";

  let protocol: OtlpProtocol;
  if (options.protocol !== undefined) {
    if (!PROTOCOLS.includes(options.protocol)) {
      throw new MetricsConfigError(
        `option protocol must be one of ${PROTOCOLS.join(", ")}, got ${JSON.stringify(options.protocol)}`,
      );
    }
    protocol = options.protocol;
  } else {
    const specific = nonEmpty(env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL);
    const source =
      specific !== undefined ? "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL";
    const raw = specific ?? nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL) ?? "grpc";
    if (!PROTOCOLS.includes(raw as OtlpProtocol)) {
      throw new MetricsConfigError(
        `${source} must be one of ${PROTOCOLS.join(", ")}, got ${JSON.stringify(raw)}`,
      );
    }
    protocol = raw as OtlpProtocol;
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

  const exportIntervalMillis =
    positiveMillis(options.exportIntervalMillis, "option exportIntervalMillis") ??
    positiveMillis(nonEmpty(env.OTEL_METRIC_EXPORT_INTERVAL), "OTEL_METRIC_EXPORT_INTERVAL") ??
    DEFAULT_EXPORT_INTERVAL_MILLIS;
  const timeout =
    positiveMillis(options.exportTimeoutMillis, "option exportTimeoutMillis") ??
    positiveMillis(nonEmpty(env.OTEL_METRIC_EXPORT_TIMEOUT), "OTEL_METRIC_EXPORT_TIMEOUT") ??
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
