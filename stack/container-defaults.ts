import type * as docker from "@pulumi/docker";

// Shared by every container of the stack: survive reboots and crashes, keep logs bounded.
export const RESTART_POLICY = "unless-stopped";
export const LOG_DRIVER = "json-file";
export const LOG_OPTS: Readonly<Record<string, string>> = { "max-file": "3", "max-size": "10m" };

/** A published port: container port → host `ip:external`. */
export function publish(internal: number, external: number, ip: string): docker.types.input.ContainerPort {
  return { internal, external, ip, protocol: "tcp" };
}
