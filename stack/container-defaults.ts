import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { GO_MEMORY_LIMIT_RATIO } from "../collector/options";
import { dockerCpus } from "./settings";

// Shared by every container of the stack: survive reboots and crashes, keep logs bounded.
export const RESTART_POLICY = "unless-stopped";
export const LOG_DRIVER = "json-file";
export const LOG_OPTS: Readonly<Record<string, string>> = { "max-file": "3", "max-size": "10m" };

/**
 * Seconds a service gets to stop (SIGTERM) before the provider kills it, when its container is
 * replaced or destroyed. Unset, the provider stops with a timeout of 0, i.e. SIGKILL at once: the
 * real-engine up test lost a sample VictoriaMetrics had accepted seconds before a retention change
 * replaced it (VictoriaMetrics, the collector's queue and Grafana's SQLite all flush on SIGTERM).
 * A provider-side setting only: changing it updates state in place, no container is replaced.
 */
export const STOP_GRACE_SECONDS = 30;

/** A published port: container port → host `ip:external`. */
export function publish(internal: number, external: number, ip: string): docker.types.input.ContainerPort {
  return { internal, external, ip, protocol: "tcp" };
}

/**
 * What every container of the stack shares: a memory limit (MiB) with no swap on top, restart
 * `unless-stopped`, bounded json-file logs and a graceful stop on replace and destroy.
 */
export function containerBasics(
  memoryMb: number,
): Pick<
  docker.ContainerArgs,
  "memory" | "memorySwap" | "restart" | "logDriver" | "logOpts" | "destroyGraceSeconds"
> {
  return {
    memory: memoryMb,
    // memory + swap. Left unset, Docker fills in 2 x memory, and the provider then shows a
    // `memorySwap` diff on every preview after `up`. Equal to memory: the limit is the limit.
    memorySwap: memoryMb,
    restart: RESTART_POLICY,
    logDriver: LOG_DRIVER,
    logOpts: { ...LOG_OPTS },
    destroyGraceSeconds: STOP_GRACE_SECONDS,
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
  return `${Math.floor(memoryMb * GO_MEMORY_LIMIT_RATIO)}MiB`;
}

/** Size of the in-memory /tmp every hardened container gets (MiB). */
export const TMPFS_MB = 16;

/**
 * How the stack hardens a container that runs a service. Every service has a read-only root
 * filesystem: what it writes goes to its data volume or to a tmpfs; what it reads (configs, secrets)
 * comes from read-only volumes, written by a carrier container (see ConfigFiles, SecretFiles).
 */
export interface HardeningOptions {
  /** `uid:gid` the program runs as; never root. */
  readonly user: string;
  /** Supplementary groups (e.g. "0", to read a secret file of mode 0440). @default [] */
  readonly groupAdds?: readonly string[];
  /** CPU limit (Docker `--cpus`, a CFS quota), in CPUs. */
  readonly cpus: number;
  /**
   * RLIMIT_NPROC (Docker `--ulimit nproc`): processes and threads of this uid. Not a per-container
   * pids cgroup limit (the provider has no `pidsLimit`): the kernel counts every task of the uid on
   * the host, which is why each service runs as a uid of its own.
   * @default 512
   */
  readonly maxProcesses?: number;
  /** Capabilities to add back after dropping all (in Docker's stored form, `CAP_…`). @default [] */
  readonly capAdds?: readonly string[];
  /** Writable in-memory folders on the read-only root, path -> MiB. @default { "/tmp": TMPFS_MB } */
  readonly tmpfs?: Readonly<Record<string, number>>;
}

/** Default RLIMIT_NPROC of a service's uid (the up test measures the threads each service runs). */
export const DEFAULT_MAX_PROCESSES = 512;
/** What every container of the stack runs with: no privilege escalation through setuid binaries. */
export const SECURITY_OPTS: readonly string[] = ["no-new-privileges:true"];

/**
 * Non-root user, read-only root with tmpfs for scratch space, every capability dropped (plus only
 * what `capAdds` names), no-new-privileges, a CPU limit and a process limit for the uid.
 */
export function hardening(
  o: HardeningOptions,
): Pick<
  docker.ContainerArgs,
  "user" | "groupAdds" | "readOnly" | "tmpfs" | "capabilities" | "securityOpts" | "cpus" | "ulimits"
> {
  if (/^0(:|$)/.test(o.user) || !/^\d+:\d+$/.test(o.user)) {
    throw new Error(`hardening: user "${o.user}" must be a numeric uid:gid other than root`);
  }
  const max = o.maxProcesses ?? DEFAULT_MAX_PROCESSES;
  return {
    user: o.user,
    ...(o.groupAdds !== undefined && o.groupAdds.length > 0 ? { groupAdds: [...o.groupAdds] } : {}),
    readOnly: true,
    tmpfs: Object.fromEntries(
      Object.entries(o.tmpfs ?? { "/tmp": TMPFS_MB }).map(([p, mb]) => [
        p,
        `rw,noexec,nosuid,nodev,size=${mb}m`,
      ]),
    ),
    capabilities: { drops: ["ALL"], ...(o.capAdds?.length ? { adds: [...o.capAdds] } : {}) },
    securityOpts: [...SECURITY_OPTS],
    cpus: dockerCpus(o.cpus),
    ulimits: [{ name: "nproc", soft: max, hard: max }],
  };
}

/**
 * For containers that are created but never started (carriers of files): nothing to run with, and
 * nothing it could gain if someone started one by hand. Not read-only: the provider uploads files
 * through the container's root ("/"), which Docker refuses on a read-only root ("container rootfs is
 * marked read-only", even for a path inside a volume; tried on dockerd 20.10).
 */
export function carrierHardening(): Pick<
  docker.ContainerArgs,
  "user" | "capabilities" | "securityOpts" | "networkMode" | "memory" | "memorySwap"
> {
  return {
    user: "65534:65534",
    capabilities: { drops: ["ALL"] },
    securityOpts: [...SECURITY_OPTS],
    networkMode: "none",
    memory: 16,
    memorySwap: 16,
  };
}
