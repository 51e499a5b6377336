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
 * What every container of the stack shares: a memory limit (MiB) with no swap on top, restart
 * `unless-stopped` and bounded json-file logs.
 */
export function containerBasics(
  memoryMb: number,
): Pick<docker.ContainerArgs, "memory" | "memorySwap" | "restart" | "logDriver" | "logOpts"> {
  return {
    memory: memoryMb,
    // memory + swap. Left unset, Docker fills in 2 x memory, and the provider then shows a
    // `memorySwap` diff on every preview after `up`. Equal to memory: the limit is the limit.
    memorySwap: memoryMb,
    restart: RESTART_POLICY,
    logDriver: LOG_DRIVER,
    logOpts: { ...LOG_OPTS },
  };
}

/**
 * A named data volume. Kept when the stack is destroyed unless `retain` is false (the user asked for
 * deletion), and never replaced by a rename: a changed name (e.g. a new namePrefix) would make the
 * provider force-remove the old volume with all its data, so the name is fixed at creation.
 */
export function dataVolume(
  name: string,
  volumeName: string,
  retain: boolean,
  parent: pulumi.Resource,
): docker.Volume {
  return new docker.Volume(
    name,
    { name: volumeName },
    { parent, retainOnDelete: retain, ignoreChanges: ["name"] },
  );
}

/** The image by exact tag, kept on the host when the stack is destroyed (pulls are slow and may be offline). */
export function pinnedImage(name: string, image: string, parent: pulumi.Resource): docker.RemoteImage {
  return new docker.RemoteImage(name, { name: image, keepLocally: true }, { parent });
}

/**
 * The GOMEMLIMIT value for a Go program under a container memory limit (MiB): 80% of it, so that the Go
 * runtime collects harder before the kernel's OOM killer is reached (Go does not read cgroup limits).
 */
export function goMemLimit(memoryMb: number): string {
  return `${Math.floor(memoryMb * 0.8)}MiB`;
}
