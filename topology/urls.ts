import { SERVICE_PORTS, type PortName, type ServiceId, type Topology } from "./types";

/** The wildcard address a service binds to inside its container, so other services reach it. */
export const LISTEN_ALL = "0.0.0.0";

/** The port a service listens on inside its container (what a Docker port mapping publishes). */
export function containerPort<S extends ServiceId>(service: S, port: PortName<S>): number {
  return (SERVICE_PORTS[service] as Readonly<Record<string, number>>)[port] as number;
}

/** `host:port` of a service's port as the other services reach it (no scheme). */
export function endpoint<S extends ServiceId>(t: Topology, service: S, port: PortName<S>): string {
  return `${t.hosts[service]}:${containerPort(service, port)}`;
}

/** `http://host:port<path>` of a service's port as the other services reach it. */
export function httpUrl<S extends ServiceId>(t: Topology, service: S, port: PortName<S>, path = ""): string {
  return `http://${endpoint(t, service, port)}${path}`;
}

/** `0.0.0.0:port`: where a service listens on one of its ports inside its container. */
export function listenAddress<S extends ServiceId>(service: S, port: PortName<S>): string {
  return `${LISTEN_ALL}:${containerPort(service, port)}`;
}

/** `http://127.0.0.1:port<path>`: a port as the service's own container reaches it (health checks). */
export function localUrl<S extends ServiceId>(service: S, port: PortName<S>, path = ""): string {
  return `http://127.0.0.1:${containerPort(service, port)}${path}`;
}
