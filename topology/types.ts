/** Every service of the stack, by the id the settings and components use. */
export const SERVICE_IDS = [
  "collector",
  "jaeger",
  "victoriametrics",
  "grafana",
  "vmalert",
  "alertmanager",
] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

/**
 * The ports each service listens on inside its container. They are the images' own (or, for
 * VictoriaMetrics, the flag the stack passes), the same on every target; where they are published on
 * the host is a setting (stack/settings.ts).
 */
export const SERVICE_PORTS = Object.freeze({
  collector: { otlpGrpc: 4317, otlpHttp: 4318, telemetry: 8888, health: 13133 },
  jaeger: { otlpGrpc: 4317, otlpHttp: 4318, query: 16686, health: 13133 },
  victoriametrics: { http: 8428 },
  grafana: { http: 3000 },
  vmalert: { http: 8880 },
  alertmanager: { http: 9093 },
} as const satisfies Record<ServiceId, Readonly<Record<string, number>>>);

/** The port names of one service (`"otlpGrpc"`, `"http"`, …). */
export type PortName<S extends ServiceId> = keyof (typeof SERVICE_PORTS)[S] & string;

/** One deployment target: how each service is reached by the others. */
export interface Topology {
  /** A short name for messages ("docker"). */
  readonly name: string;
  /** The name by which the other services reach each service (a network alias, a DNS name). */
  readonly hosts: Readonly<Record<ServiceId, string>>;
}
