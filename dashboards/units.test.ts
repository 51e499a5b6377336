import { rateUnit, valueUnit } from "./units";

describe("Grafana units", () => {
  it("maps the value units of the OTel conventions", () => {
    expect(valueUnit("s", "histogram")).toBe("s");
    expect(valueUnit("ms", "histogram")).toBe("ms");
    expect(valueUnit("By", "gauge")).toBe("bytes");
    expect(valueUnit("%", "gauge")).toBe("percent");
    expect(valueUnit("1", "gauge")).toBe("percentunit");
    expect(valueUnit("{connection}", "upDownCounter")).toBe("short");
  });

  it("does not read a dimensionless count as a ratio", () => {
    expect(valueUnit("1", "upDownCounter")).toBe("short");
  });

  it("maps counters to per-second rate units, one unit per family", () => {
    // 1024-based, like the byte values ("bytes"): never 1000-based Bps beside them.
    expect(rateUnit("By")).toBe("binBps");
    // Counts of things are all counts per second: never ops beside cps.
    for (const u of ["{request}", "{packets}", "{operations}", "{line}"]) expect(rateUnit(u)).toBe("cps");
    // Busy seconds per second (a disk's io_time): the busy fraction.
    expect(rateUnit("s", true)).toBe("percentunit");
    // Other seconds per second (weighted_io_time, operation_time) are a queue length or concurrency.
    expect(rateUnit("s")).toBe("short");
    expect(rateUnit("ms")).toBe("short");
  });
});
