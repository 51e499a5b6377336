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

  it("maps counters to per-second rate units", () => {
    expect(rateUnit("By")).toBe("Bps");
    expect(rateUnit("{request}")).toBe("reqps");
    expect(rateUnit("{packets}")).toBe("pps");
    expect(rateUnit("{operations}")).toBe("ops");
    expect(rateUnit("{line}")).toBe("cps");
    // CPU or disk seconds per second: the busy fraction.
    expect(rateUnit("s")).toBe("percentunit");
    expect(rateUnit("ms")).toBe("short");
  });
});
