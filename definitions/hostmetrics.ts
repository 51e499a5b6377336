// The metrics the collector's `hostmetrics` receiver emits with the cpu, memory, disk and network
// scrapers, as read from the receiver's metadata.yaml files at contrib v0.161.0 (the pinned
// collector). Only the metrics enabled by default, with their default attributes. They reach
// VictoriaMetrics through OTLP → prometheusremotewrite, so the default "otlp" naming applies.
// Monotonic sums are counters, non-monotonic sums up-down counters.
import { defineMetrics } from "./define";

// Open sets (disk and interface names) get a bound rather than a value list.
const disk = { description: "Name of the disk.", maxValues: 16 } as const;
const diskDirection = {
  description: "Direction of flow of bytes/operations (read or write).",
  values: ["read", "write"],
} as const;
const nic = { description: "Name of the network interface.", maxValues: 16 } as const;
const netDirection = {
  description: "Direction of flow of bytes/operations (receive or transmit).",
  values: ["receive", "transmit"],
} as const;

export const hostmetrics = defineMetrics({
  name: "hostmetrics",
  title: "Host",
  groups: {
    host: {
      title: "Host",
      description: "CPU, memory, disk and network of the collector's host (hostmetrics receiver).",
    },
  },
  metrics: {
    // cpuscraper. Its `cpu` attribute is opt-in since the receiver's requirement levels
    // (metadata.yaml at v0.161.0): by default system.cpu.time carries only `state`.
    cpuTime: {
      name: "system.cpu.time",
      kind: "counter",
      unit: "s",
      description: "Total seconds each logical CPU spent on each mode.",
      group: "host",
      attributes: {
        state: {
          description: "Breakdown of CPU usage by type.",
          values: ["idle", "interrupt", "nice", "softirq", "steal", "system", "user", "wait"],
        },
      },
    },
    cpuLogicalCount: {
      name: "system.cpu.logical.count",
      kind: "upDownCounter",
      unit: "{cpu}",
      description: "Number of available logical CPUs.",
      group: "host",
    },

    // memoryscraper
    memoryUsage: {
      name: "system.memory.usage",
      kind: "upDownCounter",
      unit: "By",
      description: "Bytes of memory in use.",
      group: "host",
      attributes: {
        state: {
          description: "Breakdown of memory usage by type.",
          values: [
            "buffered",
            "cached",
            "inactive",
            "free",
            "slab_reclaimable",
            "slab_unreclaimable",
            "used",
          ],
        },
      },
    },

    // diskscraper
    diskIo: {
      name: "system.disk.io",
      kind: "counter",
      unit: "By",
      description: "Disk bytes transferred.",
      group: "host",
      attributes: { device: disk, direction: diskDirection },
    },
    diskIoTime: {
      name: "system.disk.io_time",
      kind: "counter",
      unit: "s",
      description:
        "Time disk spent activated. On Windows, this is calculated as the inverse of disk idle time.",
      group: "host",
      attributes: { device: disk },
    },
    diskMerged: {
      name: "system.disk.merged",
      kind: "counter",
      unit: "{operations}",
      description: "The number of disk reads/writes merged into single physical disk access operations.",
      group: "host",
      attributes: { device: disk, direction: diskDirection },
    },
    diskOperationTime: {
      name: "system.disk.operation_time",
      kind: "counter",
      unit: "s",
      description: "Time spent in disk operations.",
      group: "host",
      attributes: { device: disk, direction: diskDirection },
    },
    diskOperations: {
      name: "system.disk.operations",
      kind: "counter",
      unit: "{operations}",
      description: "Disk operations count.",
      group: "host",
      attributes: { device: disk, direction: diskDirection },
    },
    diskPendingOperations: {
      name: "system.disk.pending_operations",
      kind: "upDownCounter",
      unit: "{operations}",
      description: "The queue size of pending I/O operations.",
      group: "host",
      attributes: { device: disk },
    },
    diskWeightedIoTime: {
      name: "system.disk.weighted_io_time",
      kind: "counter",
      unit: "s",
      description: "Time disk spent activated multiplied by the queue length.",
      group: "host",
      attributes: { device: disk },
    },

    // networkscraper
    networkConnections: {
      name: "system.network.connections",
      kind: "upDownCounter",
      unit: "{connections}",
      description: "The number of connections.",
      group: "host",
      attributes: {
        protocol: { description: "Network protocol, e.g. TCP or UDP.", values: ["tcp"] },
        // TCP states as the OS names them (12 on Linux, spelled differently elsewhere).
        state: { description: "State of the network connection.", maxValues: 16 },
      },
    },
    networkDropped: {
      name: "system.network.dropped",
      kind: "counter",
      unit: "{packets}",
      description: "The number of packets dropped.",
      group: "host",
      attributes: { device: nic, direction: netDirection },
    },
    networkErrors: {
      name: "system.network.errors",
      kind: "counter",
      unit: "{errors}",
      description: "The number of errors encountered.",
      group: "host",
      attributes: { device: nic, direction: netDirection },
    },
    networkIo: {
      name: "system.network.io",
      kind: "counter",
      unit: "By",
      description: "The number of bytes transmitted and received.",
      group: "host",
      attributes: { device: nic, direction: netDirection },
    },
    networkPackets: {
      name: "system.network.packets",
      kind: "counter",
      unit: "{packets}",
      description: "The number of packets transferred.",
      group: "host",
      attributes: { device: nic, direction: netDirection },
    },
  },
});

export default hostmetrics;
