import * as fs from "node:fs";
import * as path from "node:path";
import { labelName, prometheusName, seriesNames } from "./naming";
import type { MetricKind } from "./types";

interface Vector {
  name: string;
  unit: string;
  kind: MetricKind;
  prometheus: string;
}

// A copy of ../shared/naming-vectors.json (cases from otlptranslator's and the contrib translator's
// own unit tests), committed so the package's tests run outside this workspace too.
const fixture = path.join(__dirname, "../test/fixtures/naming-vectors.json");
const shared = path.join(__dirname, "../../shared/naming-vectors.json");
const vectors = (JSON.parse(fs.readFileSync(fixture, "utf8")) as { cases: Vector[] }).cases;

describe("prometheusName follows the prometheusremotewrite default naming", () => {
  it("has the whole vector set", () => {
    expect(vectors.length).toBeGreaterThanOrEqual(27);
    if (fs.existsSync(shared)) expect(fs.readFileSync(fixture, "utf8")).toBe(fs.readFileSync(shared, "utf8"));
  });

  it.each(vectors.map((v) => [`${v.name} [${v.unit}] ${v.kind}`, v] as const))("%s", (_label, v) => {
    expect(prometheusName(v.name, v.unit, v.kind)).toBe(v.prometheus);
  });

  it("does not double a unit word already in the name", () => {
    expect(prometheusName("log_stream.bytes", "By", "counter")).toBe("log_stream_bytes_total");
    expect(prometheusName("duration_ms", "ms", "histogram")).toBe("duration_ms_milliseconds");
  });

  it("removes every total token of a counter and appends one", () => {
    expect(prometheusName("total.requests.total", "", "counter")).toBe("requests_total");
    expect(prometheusName("total.requests", "", "upDownCounter")).toBe("total_requests");
  });

  it("adds ratio only to gauges with unit 1", () => {
    expect(prometheusName("ratio.cpu", "1", "gauge")).toBe("cpu_ratio");
    expect(prometheusName("cpu", "1", "upDownCounter")).toBe("cpu");
    expect(prometheusName("cpu", "1", "histogram")).toBe("cpu");
  });
});

describe("seriesNames", () => {
  it("gives _bucket, _sum and _count for histograms", () => {
    expect(seriesNames("scotty.task.duration", "s", "histogram")).toEqual([
      "scotty_task_duration_seconds_bucket",
      "scotty_task_duration_seconds_sum",
      "scotty_task_duration_seconds_count",
    ]);
  });
  it("gives the base name for other kinds", () => {
    expect(seriesNames("scotty.tasks", "{task}", "counter")).toEqual(["scotty_tasks_total"]);
    expect(seriesNames("scotty.tasks.active", "{task}", "upDownCounter")).toEqual(["scotty_tasks_active"]);
  });
});

describe("labelName", () => {
  it("turns invalid characters into _", () => {
    expect(labelName("error.type")).toBe("error_type");
    expect(labelName("http.request-method")).toBe("http_request_method");
  });
  it("prefixes keys starting with a digit or a single _", () => {
    expect(labelName("0abc")).toBe("key_0abc");
    expect(labelName("_abc")).toBe("key_abc");
    expect(labelName("__abc")).toBe("__abc");
  });
});

describe("unit tables are looked up by own keys only", () => {
  // A plain-object lookup found Object.prototype members ("constructor" gave a function, then
  // `unit.replace is not a function`); the translator uses such a unit as written.
  it.each([
    ["constructor", "svc_objects_constructor"],
    ["toString", "svc_objects_toString"],
    ["hasOwnProperty", "svc_objects_hasOwnProperty"],
    ["__proto__", "svc_objects_proto"],
  ])("unit %j is an unknown unit, used as written", (unit, expected) => {
    expect(prometheusName("svc.objects", unit, "gauge")).toBe(expected);
  });

  it("does the same for the unit after /", () => {
    expect(prometheusName("svc.transfer", "By/constructor", "gauge")).toBe(
      "svc_transfer_bytes_per_constructor",
    );
    expect(prometheusName("svc.transfer", "By/valueOf", "gauge")).toBe("svc_transfer_bytes_per_valueOf");
  });
});
