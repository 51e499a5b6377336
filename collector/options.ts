// Settings of the generated collector config, their defaults (the local stack's container names) and
// their validation. Every problem is reported at once, naming the option and the fix.
import { DOCKER_TOPOLOGY, endpoint, httpUrl, LISTEN_ALL, listenAddress, SERVICE_PORTS } from "../topology";

/** Endpoints and tunables of the generated collector config. */
export interface CollectorOptions {
  /** OTLP gRPC receiver listen address (`host:port`). */
  readonly otlpGrpcEndpoint: string;
  /** OTLP HTTP receiver listen address (`host:port`). */
  readonly otlpHttpEndpoint: string;
  /** Jaeger's OTLP gRPC endpoint (`host:port`, no scheme). */
  readonly jaegerEndpoint: string;
  /** Plain-text gRPC to Jaeger (true on the stack's private Docker network). */
  readonly jaegerInsecure: boolean;
  /** VictoriaMetrics remote write URL (`http(s)://host:port/api/v1/write`). */
  readonly remoteWriteUrl: string;
  /** `health_check` extension listen address (`host:port`). */
  readonly healthCheckEndpoint: string;
  /** Host and port of the collector's own Prometheus metrics endpoint (`/metrics`). */
  readonly telemetryHost: string;
  readonly telemetryPort: number;
  /** Add the `host_metrics` receiver (cpu, memory, disk, network) to the metrics pipeline. */
  readonly hostmetrics: boolean;
  /** Scrape interval of the `host_metrics` receiver (Go duration: `15s`, `1m`). */
  readonly hostmetricsInterval: string;
  /**
   * Where the host's root filesystem is mounted, when the collector runs in a container: the
   * receiver's `root_path`, so that it reports the host (its /proc, its filesystems), not the container.
   * "" when the collector runs on the host itself.
   * @default ""
   */
  readonly hostRootPath: string;
  /** Add the `debug` exporter to both pipelines. */
  readonly debug: boolean;
  /**
   * How long the exporters retry a failed batch before dropping it (and counting it in
   * otelcol_exporter_send_failed_*); Go duration. The collector's default is 5 minutes.
   */
  readonly retryMaxElapsed: string;
  /**
   * Size and consumers of both exporters' queues (requests). 0 keeps each exporter's own default
   * (OTLP: 1000 requests, 10 consumers; remote write: 10000, 5). Small values make queue-full drops
   * (otelcol_exporter_enqueue_failed_*) reachable in tests.
   * @default 0
   */
  readonly queueSize: number;
  /** @default 0 (each exporter's default) */
  readonly queueConsumers: number;
  /**
   * The batch processor's timeout (Go duration): how long it waits for a full batch.
   * @default "10s"
   */
  readonly batchTimeout: string;
  /** The collector container's memory limit in MiB; the memory_limiter settings derive from it. */
  readonly memoryLimitMib: number;
}

/**
 * The collector container's default memory limit (MiB): the stack's default (stack/settings.ts reads
 * it from here) and the render's, so that `npm run render` writes what the stack runs.
 * The cgroup limit counts page cache too, and the collector's 126 MB binary is paged in from it: at
 * 56 MiB (17 MiB anonymous + 41 MiB cache) the real engine's `up` saw the container at its limit,
 * ~200 major page faults a second and the health check never green. 128 leaves the binary's working
 * set resident.
 */
export const DEFAULT_COLLECTOR_MEMORY_MIB = 128;

/** Below this the collector's binary does not stay paged in and it thrashes (the stack refuses it). */
export const MIN_COLLECTOR_MEMORY_MIB = 64;

/**
 * Share of a Go service's container memory limit given to the Go runtime (GOMEMLIMIT) and, for the
 * collector, to memory_limiter's hard limit: the processor's README recommends 80 %.
 */
export const GO_MEMORY_LIMIT_RATIO = 0.8;

export const DEFAULT_COLLECTOR_OPTIONS: CollectorOptions = Object.freeze({
  otlpGrpcEndpoint: listenAddress("collector", "otlpGrpc"),
  otlpHttpEndpoint: listenAddress("collector", "otlpHttp"),
  jaegerEndpoint: endpoint(DOCKER_TOPOLOGY, "jaeger", "otlpGrpc"),
  jaegerInsecure: true,
  remoteWriteUrl: httpUrl(DOCKER_TOPOLOGY, "victoriametrics", "http", "/api/v1/write"),
  healthCheckEndpoint: listenAddress("collector", "health"),
  telemetryHost: LISTEN_ALL,
  telemetryPort: SERVICE_PORTS.collector.telemetry,
  hostmetrics: true,
  hostmetricsInterval: "15s",
  hostRootPath: "",
  queueSize: 0,
  queueConsumers: 0,
  batchTimeout: "10s",
  retryMaxElapsed: "300s",
  debug: false,
  memoryLimitMib: DEFAULT_COLLECTOR_MEMORY_MIB,
});

const MAX_COLLECTOR_MEMORY_MIB = 65536;

export class CollectorOptionsError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      `Invalid collector options (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "CollectorOptionsError";
    this.problems = problems;
  }
}

/**
 * memory_limiter settings for a container limit of `memoryLimitMib`:
 * - `limit_mib` (hard limit) = 80 % of the container limit, leaving room for memory the Go heap does
 *   not account for (stacks, runtime, buffers) before the kernel's OOM killer acts;
 * - `spike_limit_mib` = 20 % of `limit_mib` (the processor's README: "a good starting point"), so the
 *   soft limit, where it starts refusing data, is 64 % of the container limit;
 * - `goMemLimitMib` = `limit_mib`: the value for the container's GOMEMLIMIT env (the README
 *   recommends GOMEMLIMIT at 80 % of the hard memory limit, i.e. the container's).
 */
export function memoryLimiterSettings(memoryLimitMib: number): {
  limitMib: number;
  spikeLimitMib: number;
  goMemLimitMib: number;
} {
  const limitMib = Math.floor(memoryLimitMib * GO_MEMORY_LIMIT_RATIO);
  const spikeLimitMib = Math.max(1, Math.floor(limitMib * 0.2));
  return { limitMib, spikeLimitMib, goMemLimitMib: limitMib };
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?):([0-9]+)$/;
const DURATION = /^[1-9][0-9]*(ms|s|m|h)$/;
const DURATION_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration that matches DURATION. */
export function durationMs(d: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(d) as RegExpExecArray;
  return Number(m[1]) * (DURATION_MS[m[2] as string] as number);
}

const WILDCARD_HOSTS = new Set(["0.0.0.0", "[::]", "[::0]"]);

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

function parseHostPort(value: string): { host: string; port: number } | undefined {
  const m = HOST_PORT.exec(value);
  if (!m) return undefined;
  const port = Number(m[2]);
  return isPort(port) ? { host: m[1] as string, port } : undefined;
}

/** Fills in the defaults and validates; throws {@link CollectorOptionsError} listing every problem. */
export function resolveCollectorOptions(options: Partial<CollectorOptions> = {}): CollectorOptions {
  const problems: string[] = [];
  for (const key of Object.keys(options)) {
    if (!(key in DEFAULT_COLLECTOR_OPTIONS)) {
      problems.push(
        `"${key}" is not a collector option. Fix: use one of ${Object.keys(DEFAULT_COLLECTOR_OPTIONS).join(", ")}.`,
      );
    }
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o: CollectorOptions = { ...DEFAULT_COLLECTOR_OPTIONS, ...defined };

  const listen: { key: string; host: string; port: number }[] = [];
  for (const key of [
    "otlpGrpcEndpoint",
    "otlpHttpEndpoint",
    "healthCheckEndpoint",
    "jaegerEndpoint",
  ] as const) {
    const value = o[key];
    const hp = typeof value === "string" ? parseHostPort(value) : undefined;
    if (!hp) {
      problems.push(
        `"${key}" is ${JSON.stringify(value)}: expected "host:port" with a port from 1 to 65535 and no scheme ` +
          `(e.g. "${DEFAULT_COLLECTOR_OPTIONS[key]}").`,
      );
    } else if (key !== "jaegerEndpoint") {
      listen.push({ key, ...hp });
    }
  }

  if (
    typeof o.telemetryHost !== "string" ||
    !/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)$/.test(o.telemetryHost)
  ) {
    problems.push(
      `"telemetryHost" is ${JSON.stringify(o.telemetryHost)}: expected a host name or IP address ` +
        `without port (e.g. "${LISTEN_ALL}").`,
    );
  }
  if (typeof o.telemetryPort !== "number" || !isPort(o.telemetryPort)) {
    problems.push(
      `"telemetryPort" is ${JSON.stringify(o.telemetryPort)}: expected an integer port from 1 to 65535 (e.g. ${DEFAULT_COLLECTOR_OPTIONS.telemetryPort}).`,
    );
  } else if (typeof o.telemetryHost === "string") {
    listen.push({ key: "telemetryHost/telemetryPort", host: o.telemetryHost, port: o.telemetryPort });
  }

  // Two listeners on one port make the collector fail at start with "address already in use".
  for (let i = 0; i < listen.length; i++) {
    for (let j = i + 1; j < listen.length; j++) {
      const a = listen[i]!;
      const b = listen[j]!;
      const overlap = a.host === b.host || WILDCARD_HOSTS.has(a.host) || WILDCARD_HOSTS.has(b.host);
      if (a.port === b.port && overlap) {
        problems.push(
          `"${a.key}" and "${b.key}" both listen on port ${a.port}. Fix: give each its own port.`,
        );
      }
    }
  }

  if (typeof o.remoteWriteUrl !== "string") {
    problems.push(
      `"remoteWriteUrl" must be a string URL (e.g. "${DEFAULT_COLLECTOR_OPTIONS.remoteWriteUrl}").`,
    );
  } else {
    let url: URL | undefined;
    try {
      url = new URL(o.remoteWriteUrl);
    } catch {
      problems.push(
        `"remoteWriteUrl" is ${JSON.stringify(o.remoteWriteUrl)}, not a URL. ` +
          `Fix: write it as "${DEFAULT_COLLECTOR_OPTIONS.remoteWriteUrl}".`,
      );
    }
    if (url) {
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        problems.push(`"remoteWriteUrl" must use http or https, not "${url.protocol}".`);
      }
      if (url.username !== "" || url.password !== "") {
        problems.push(
          `"remoteWriteUrl" contains credentials, which would be written into the config file in clear. ` +
            `Fix: remove them from the URL.`,
        );
      }
      if (url.pathname === "/" || url.pathname === "") {
        problems.push(
          `"remoteWriteUrl" ${JSON.stringify(o.remoteWriteUrl)} has no path. ` +
            `Fix: VictoriaMetrics takes remote write at /api/v1/write.`,
        );
      }
    }
  }

  for (const key of ["jaegerInsecure", "hostmetrics", "debug"] as const) {
    if (typeof o[key] !== "boolean")
      problems.push(`"${key}" must be true or false, not ${JSON.stringify(o[key])}.`);
  }
  if (typeof o.retryMaxElapsed !== "string" || !DURATION.test(o.retryMaxElapsed)) {
    problems.push(
      `"retryMaxElapsed" is ${JSON.stringify(o.retryMaxElapsed)}: expected a positive duration ` +
        `such as "300s" or "5m".`,
    );
  }
  if (typeof o.hostmetricsInterval !== "string" || !DURATION.test(o.hostmetricsInterval)) {
    problems.push(
      `"hostmetricsInterval" is ${JSON.stringify(o.hostmetricsInterval)}: expected a positive duration ` +
        `such as "15s", "1m" or "500ms".`,
    );
  }
  for (const key of ["queueSize", "queueConsumers"] as const) {
    const v = o[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 1_000_000)
      problems.push(
        `"${key}" is ${JSON.stringify(v)}: expected an integer from 0 (the exporter's default) to 1000000.`,
      );
  }
  if (typeof o.batchTimeout !== "string" || !DURATION.test(o.batchTimeout)) {
    problems.push(
      `"batchTimeout" is ${JSON.stringify(o.batchTimeout)}: expected a positive duration such as "10s".`,
    );
  }
  if (typeof o.hostRootPath !== "string" || (o.hostRootPath !== "" && !/^\/[^\s]*$/.test(o.hostRootPath))) {
    problems.push(
      `"hostRootPath" is ${JSON.stringify(o.hostRootPath)}: expected "" or an absolute path such as "/hostfs".`,
    );
  }
  if (
    typeof o.memoryLimitMib !== "number" ||
    !Number.isInteger(o.memoryLimitMib) ||
    o.memoryLimitMib < MIN_COLLECTOR_MEMORY_MIB ||
    o.memoryLimitMib > MAX_COLLECTOR_MEMORY_MIB
  ) {
    problems.push(
      `"memoryLimitMib" is ${JSON.stringify(o.memoryLimitMib)}: expected an integer number of MiB from ` +
        `${MIN_COLLECTOR_MEMORY_MIB} to ${MAX_COLLECTOR_MEMORY_MIB} (the collector container's memory limit). ` +
        `Fix: raise the collector's memory limit.`,
    );
  }

  if (problems.length > 0) throw new CollectorOptionsError(problems);
  return Object.freeze(o);
}
