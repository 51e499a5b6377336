// The metrics the collector's `hostmetrics` receiver emits with the cpu, memory, disk, network,
// filesystem, load and paging scrapers (plus system.memory.utilization, which the generated config
// enables), as read from the receiver's metadata.yaml files at contrib v0.161.0 (the pinned
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

// Filesystems: devices and mount points correlate (one device per mount), so these bounds are generous.
const filesystem = {
  device: { description: "Identifier of the filesystem.", maxValues: 8 },
  mode: { description: "Mountpoint mode such as ro, rw.", maxValues: 2 },
  mountpoint: { description: "Mountpoint path.", maxValues: 8 },
  type: { description: "Filesystem type, such as ext4, tmpfs.", maxValues: 4 },
} as const;
const fsState = {
  description: "Breakdown of filesystem usage by type.",
  values: ["free", "reserved", "used"],
  // free + reserved + used = the filesystem's size.
  partition: true,
  inUse: ["used"],
} as const;

export const hostmetrics = defineMetrics({
  name: "hostmetrics",
  title: "Host",
  // The filesystem bounds multiply correlated attributes (see `filesystem`): a generous budget.
  seriesBudget: 12000,
  groups: {
    host: {
      title: "Host",
      description:
        "CPU, memory, filesystems, load, paging, disk and network of the collector's host (hostmetrics receiver).",
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
          // Every CPU second is in exactly one state: the states add up to the CPUs' time.
          partition: true,
          inUse: ["interrupt", "nice", "softirq", "steal", "system", "user", "wait"],
        },
      },
      title: "CPU",
    },
    cpuLogicalCount: {
      name: "system.cpu.logical.count",
      kind: "upDownCounter",
      unit: "{cpu}",
      description: "Number of available logical CPUs.",
      group: "host",
      title: "Logical CPUs",
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
          // Overlapping figures (slab is part of used): never added up; "used" is the headline.
          partition: true,
          headline: "used",
        },
      },
      title: "Memory",
      // Per host one figure per state; across hosts the bytes add up.
      aggregation: "sum",
    },

    memoryUtilization: {
      name: "system.memory.utilization",
      kind: "gauge",
      unit: "1",
      description: "Percentage of memory bytes in use.",
      group: "host",
      title: "Memory utilisation",
      // The fullest host.
      aggregation: "max",
      thresholds: { warning: 0.8, critical: 0.95 },
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
          partition: true,
          headline: "used",
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
      title: "Disk throughput",
    },
    diskIoTime: {
      name: "system.disk.io_time",
      kind: "counter",
      unit: "s",
      description:
        "Time disk spent activated. On Windows, this is calculated as the inverse of disk idle time.",
      group: "host",
      // Each disk's busy fraction; added up over disks they would exceed 100%.
      attributes: { device: { ...disk, partition: true } },
      title: "Disk busy",
      utilisation: true,
    },
    diskMerged: {
      name: "system.disk.merged",
      kind: "counter",
      unit: "{operations}",
      description: "The number of disk reads/writes merged into single physical disk access operations.",
      group: "host",
      attributes: { device: disk, direction: diskDirection },
      title: "Disk operations merged",
    },
    diskOperationTime: {
      name: "system.disk.operation_time",
      kind: "counter",
      unit: "s",
      description: "Time spent in disk operations.",
      group: "host",
      attributes: { device: disk, direction: diskDirection },
      title: "Disk operation time (concurrency)",
    },
    diskOperations: {
      name: "system.disk.operations",
      kind: "counter",
      unit: "{operations}",
      description: "Disk operations count.",
      group: "host",
      attributes: { device: disk, direction: diskDirection },
      title: "Disk operations",
    },
    diskPendingOperations: {
      name: "system.disk.pending_operations",
      kind: "upDownCounter",
      unit: "{operations}",
      description: "The queue size of pending I/O operations.",
      group: "host",
      attributes: { device: disk },
      title: "Disk queue",
    },
    diskWeightedIoTime: {
      name: "system.disk.weighted_io_time",
      kind: "counter",
      unit: "s",
      description: "Time disk spent activated multiplied by the queue length.",
      group: "host",
      attributes: { device: disk },
      title: "Disk queue length (weighted I/O time)",
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
      title: "Network connections",
    },
    networkDropped: {
      name: "system.network.dropped",
      kind: "counter",
      unit: "{packets}",
      description: "The number of packets dropped.",
      group: "host",
      attributes: { device: nic, direction: netDirection },
      title: "Packets dropped",
    },
    networkErrors: {
      name: "system.network.errors",
      kind: "counter",
      unit: "{errors}",
      description: "The number of errors encountered.",
      group: "host",
      attributes: { device: nic, direction: netDirection },
      title: "Network errors",
    },
    networkIo: {
      name: "system.network.io",
      kind: "counter",
      unit: "By",
      description: "The number of bytes transmitted and received.",
      group: "host",
      attributes: { device: nic, direction: netDirection },
      title: "Network throughput",
    },
    networkPackets: {
      name: "system.network.packets",
      kind: "counter",
      unit: "{packets}",
      description: "The number of packets transferred.",
      group: "host",
      attributes: { device: nic, direction: netDirection },
      title: "Packets",
    },

    // filesystemscraper (virtual filesystems excluded by the receiver's default)
    filesystemUsage: {
      name: "system.filesystem.usage",
      kind: "upDownCounter",
      unit: "By",
      description: "Filesystem bytes used.",
      group: "host",
      title: "Filesystem",
      // The bound multiplies every attribute; real hosts have one device per mount point.
      cardinalityLimit: 5000,
      attributes: { ...filesystem, state: fsState },
    },
    filesystemInodes: {
      name: "system.filesystem.inodes.usage",
      kind: "upDownCounter",
      unit: "{inodes}",
      description: "FileSystem inodes used.",
      group: "host",
      title: "Filesystem inodes",
      // The bound multiplies every attribute; real hosts have one device per mount point.
      cardinalityLimit: 5000,
      attributes: { ...filesystem, state: fsState },
    },

    // loadscraper (cpu_average off: the run-queue length of the whole host)
    load1m: {
      name: "system.cpu.load_average.1m",
      kind: "gauge",
      unit: "{thread}",
      description: "Average CPU Load over 1 minute.",
      group: "host",
      title: "Load (1m)",
      aggregation: "max",
    },
    load5m: {
      name: "system.cpu.load_average.5m",
      kind: "gauge",
      unit: "{thread}",
      description: "Average CPU Load over 5 minutes.",
      group: "host",
      title: "Load (5m)",
      aggregation: "max",
    },
    load15m: {
      name: "system.cpu.load_average.15m",
      kind: "gauge",
      unit: "{thread}",
      description: "Average CPU Load over 15 minutes.",
      group: "host",
      title: "Load (15m)",
      aggregation: "max",
    },

    // pagingscraper. system.paging.usage is left out: a host without swap has no such series, and
    // its panels would show No data; operations and faults exist on every host.
    pagingOperations: {
      name: "system.paging.operations",
      kind: "counter",
      unit: "{operations}",
      description: "The number of paging operations.",
      group: "host",
      title: "Paging operations",
      attributes: {
        direction: { description: "Page in or page out.", values: ["page_in", "page_out"] },
        type: { description: "Type of fault.", values: ["major", "minor"] },
      },
    },
    pagingFaults: {
      name: "system.paging.faults",
      kind: "counter",
      unit: "{faults}",
      description: "The number of page faults.",
      group: "host",
      title: "Page faults",
      attributes: { type: { description: "Type of fault.", values: ["major", "minor"] } },
    },
  },
});

export default hostmetrics;
