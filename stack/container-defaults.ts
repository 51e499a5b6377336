import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";

// Shared by every container of the stack: survive reboots and crashes, keep logs bounded.
export const RESTART_POLICY = "unless-stopped";
export const LOG_DRIVER = "json-file";
export const LOG_OPTS: Readonly<Record<string, string>> = { "max-file": "3", "max-size": "10m" };

/** A published port: container port → host `ip:external`. */
export function publish(internal: number, external: number, ip: string): docker.types.input.ContainerPort {
  return { internal, external, ip, protocol: "tcp" };
}

/**
 * What every container of the stack shares: a memory limit (MiB), restart `unless-stopped` and
 * bounded json-file logs.
 */
export function containerBasics(
  memoryMb: number,
): Pick<docker.ContainerArgs, "memory" | "restart" | "logDriver" | "logOpts"> {
  return { memory: memoryMb, restart: RESTART_POLICY, logDriver: LOG_DRIVER, logOpts: { ...LOG_OPTS } };
}

/** The image by exact tag, kept on the host when the stack is destroyed (pulls are slow and may be offline). */
export function pinnedImage(name: string, image: string, parent: pulumi.Resource): docker.RemoteImage {
  return new docker.RemoteImage(name, { name: image, keepLocally: true }, { parent });
}
