import { hostmetrics } from "./hostmetrics";

// The hostmetrics receiver's default-enabled metrics for the cpu, memory, disk, network, filesystem,
// load and paging scrapers (plus system.memory.utilization, which the generated config enables;
// without system.paging.usage, which a host without swap does not have),
// copied from their metadata.yaml at contrib v0.161.0 (name, kind from sum.monotonic, unit, default
// attributes), with the series name the prometheusremotewrite exporter writes for each.
const RECEIVER_V0_161_0: readonly [string, string, string, string[], string][] = [
  ["system.cpu.time", "counter", "s", ["state"], "system_cpu_time_seconds_total"],
  ["system.cpu.logical.count", "upDownCounter", "{cpu}", [], "system_cpu_logical_count"],
  ["system.memory.usage", "upDownCounter", "By", ["state"], "system_memory_usage_bytes"],
  ["system.memory.utilization", "gauge", "1", ["state"], "system_memory_utilization_ratio"],
  ["system.disk.io", "counter", "By", ["device", "direction"], "system_disk_io_bytes_total"],
  ["system.disk.io_time", "counter", "s", ["device"], "system_disk_io_time_seconds_total"],
  ["system.disk.merged", "counter", "{operations}", ["device", "direction"], "system_disk_merged_total"],
  [
    "system.disk.operation_time",
    "counter",
    "s",
    ["device", "direction"],
    "system_disk_operation_time_seconds_total",
  ],
  [
    "system.disk.operations",
    "counter",
    "{operations}",
    ["device", "direction"],
    "system_disk_operations_total",
  ],
  [
    "system.disk.pending_operations",
    "upDownCounter",
    "{operations}",
    ["device"],
    "system_disk_pending_operations",
  ],
  ["system.disk.weighted_io_time", "counter", "s", ["device"], "system_disk_weighted_io_time_seconds_total"],
  [
    "system.network.connections",
    "upDownCounter",
    "{connections}",
    ["protocol", "state"],
    "system_network_connections",
  ],
  ["system.network.dropped", "counter", "{packets}", ["device", "direction"], "system_network_dropped_total"],
  ["system.network.errors", "counter", "{errors}", ["device", "direction"], "system_network_errors_total"],
  ["system.network.io", "counter", "By", ["device", "direction"], "system_network_io_bytes_total"],
  ["system.network.packets", "counter", "{packets}", ["device", "direction"], "system_network_packets_total"],
  [
    "system.filesystem.usage",
    "upDownCounter",
    "By",
    ["device", "mode", "mountpoint", "type", "state"],
    "system_filesystem_usage_bytes",
  ],
  [
    "system.filesystem.inodes.usage",
    "upDownCounter",
    "{inodes}",
    ["device", "mode", "mountpoint", "type", "state"],
    "system_filesystem_inodes_usage",
  ],
  ["system.cpu.load_average.1m", "gauge", "{thread}", [], "system_cpu_load_average_1m"],
  ["system.cpu.load_average.5m", "gauge", "{thread}", [], "system_cpu_load_average_5m"],
  ["system.cpu.load_average.15m", "gauge", "{thread}", [], "system_cpu_load_average_15m"],
  [
    "system.paging.operations",
    "counter",
    "{operations}",
    ["direction", "type"],
    "system_paging_operations_total",
  ],
  ["system.paging.faults", "counter", "{faults}", ["type"], "system_paging_faults_total"],
];

describe("the hostmetrics catalogue", () => {
  it("is one group, host, named hostmetrics", () => {
    expect(hostmetrics.name).toBe("hostmetrics");
    expect(hostmetrics.groups.map((g) => [g.key, g.title])).toEqual([["host", "Host"]]);
  });

  it("holds exactly the receiver's default metrics, with their kinds, units, attributes and series names", () => {
    const actual = hostmetrics.list.map((m) => [
      m.name,
      m.kind,
      m.unit,
      m.attributes.map((a) => a.key),
      m.prometheusName,
    ]);
    expect(actual).toEqual(RECEIVER_V0_161_0);
    for (const m of hostmetrics.list) {
      expect(m.naming).toBe("otlp");
      expect(m.seriesNames).toEqual([m.prometheusName]);
    }
  });

  it("lists the enum values of closed attributes and bounds the open ones", () => {
    const attr = (metric: string, key: string) =>
      hostmetrics.list.find((m) => m.name === metric)?.attributes.find((a) => a.key === key);
    expect(attr("system.cpu.time", "state")?.values).toEqual([
      "idle",
      "interrupt",
      "nice",
      "softirq",
      "steal",
      "system",
      "user",
      "wait",
    ]);
    expect(attr("system.memory.usage", "state")?.values).toEqual([
      "buffered",
      "cached",
      "inactive",
      "free",
      "slab_reclaimable",
      "slab_unreclaimable",
      "used",
    ]);
    expect(attr("system.disk.io", "direction")?.values).toEqual(["read", "write"]);
    expect(attr("system.network.io", "direction")?.values).toEqual(["receive", "transmit"]);
    expect(attr("system.network.connections", "protocol")?.values).toEqual(["tcp"]);
    for (const open of [
      attr("system.disk.io", "device"),
      attr("system.network.io", "device"),
      attr("system.network.connections", "state"),
    ]) {
      expect(open?.values).toBeUndefined();
      expect(open?.cardinality).toBeGreaterThanOrEqual(12);
    }
  });
});
