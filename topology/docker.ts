import type { Topology } from "./types";

/**
 * The local stack: every service on one Docker network, reached by its network alias. The aliases
 * are stable (not the prefixed container names), so the generated files do not change with namePrefix.
 */
export const DOCKER_TOPOLOGY: Topology = Object.freeze({
  name: "docker",
  hosts: Object.freeze({
    collector: "otel-collector",
    jaeger: "jaeger",
    victoriametrics: "victoriametrics",
    grafana: "grafana",
    vmalert: "vmalert",
    alertmanager: "alertmanager",
  }),
});
