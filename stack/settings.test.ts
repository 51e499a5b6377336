import {
  DEFAULT_CPUS,
  DEFAULT_IMAGES,
  dockerCpus,
  DEFAULT_MEMORY_MB,
  DEFAULT_PORTS,
  hostEndpoints,
  resolveSettings,
  StackConfigError,
} from "./settings";
import versions from "../versions.json";

describe("resolveSettings", () => {
  it("fills defaults: pinned images, loopback ports, 30d retention, memory under budget", () => {
    const s = resolveSettings({});
    expect(s.images).toEqual({
      collector: `otel/opentelemetry-collector:${versions.collector}`,
      jaeger: `jaegertracing/jaeger:${versions.jaeger}`,
      victoriametrics: `victoriametrics/victoria-metrics:${versions.victoriametrics}`,
      grafana: `grafana/grafana:${versions.grafana}`,
    });
    expect(s.bindAddress).toBe("127.0.0.1");
    expect(s.ports).toEqual(DEFAULT_PORTS);
    expect(s.retention).toBe("30d");
    expect(s.memoryMb).toEqual(DEFAULT_MEMORY_MB);
    expect(s.memoryMb.collector + s.memoryMb.victoriametrics + s.memoryMb.grafana).toBeLessThan(400);
    expect(s.existingGrafana).toBeUndefined();
  });

  it("rejects a host port used twice, naming both keys", () => {
    expect(() => resolveSettings({ ports: { grafana: 4317 } })).toThrow(
      /observability-stack:ports.grafana: host port 4317 is already used by ports.otlpGrpc/,
    );
  });

  it("rejects bad values with the key and the fix", () => {
    expect(() => resolveSettings({ retention: "30" })).toThrow(
      /observability-stack:retention: "30" is not valid: .*months/,
    );
    expect(() => resolveSettings({ bindAddress: "localhost" })).toThrow(/observability-stack:bindAddress/);
    expect(() => resolveSettings({ ports: { grafana: 70000 } })).toThrow(
      /ports.grafana: expected an integer from 1 to 65535/,
    );
    expect(() => resolveSettings({ ports: { grafna: 3001 } })).toThrow(/ports: unknown key "grafna"/);
    expect(() => resolveSettings({ images: { grafana: "grafana/grafana:latest" } })).toThrow(
      /images.grafana: .*pin a version tag/,
    );
    expect(() => resolveSettings({ images: { grafana: "grafana/grafana" } })).toThrow(
      /images.grafana: .*no exact tag/,
    );
    expect(() => resolveSettings({ hostmetrics: "yes" })).toThrow(/hostmetrics: expected true or false/);
    expect(() => resolveSettings({ existingGrafana: { url: "grafana.example" } })).toThrow(
      /existingGrafana.url: .*not a URL/,
    );
  });

  it("refuses a retention VictoriaMetrics would not start with (under one day), at preview", () => {
    for (const r of ["1h", "0d", "23h", "0w"]) {
      expect(() => resolveSettings({ retention: r })).toThrow(
        new RegExp(`observability-stack:retention: "${r}" is shorter than one day.*Fix: use "1d" or more`),
      );
    }
    for (const r of ["24h", "1d", "2w", "1y"]) expect(resolveSettings({ retention: r }).retention).toBe(r);
  });

  it("refuses a bindAddress beyond loopback unless exposeBeyondLoopback acknowledges it", () => {
    expect(() => resolveSettings({ bindAddress: "0.0.0.0" })).toThrow(
      /observability-stack:bindAddress: 0\.0\.0\.0 publishes every port.*exposeBeyondLoopback true/,
    );
    expect(() => resolveSettings({ bindAddress: "192.168.1.5" })).toThrow(/exposeBeyondLoopback/);
    expect(resolveSettings({ bindAddress: "127.0.0.2" }).bindAddress).toBe("127.0.0.2");
    expect(
      resolveSettings({ bindAddress: "0.0.0.0", exposeBeyondLoopback: "true" }).exposeBeyondLoopback,
    ).toBe(true);
  });

  it("keeps the data volumes on destroy unless deleteDataOnDestroy says otherwise", () => {
    expect(resolveSettings({}).deleteDataOnDestroy).toBe(false);
    expect(resolveSettings({ deleteDataOnDestroy: true }).deleteDataOnDestroy).toBe(true);
    expect(() => resolveSettings({ deleteDataOnDestroy: "yes" })).toThrow(
      /deleteDataOnDestroy: expected true or false/,
    );
  });

  it("checks the memory budget", () => {
    expect(() => resolveSettings({ memoryMb: { grafana: 200 } })).toThrow(
      /memoryMb: collector \(128\) \+ victoriametrics \(144\) \+ grafana \(200\) = 472 MiB, over memoryBudgetMb 400/,
    );
    expect(resolveSettings({ memoryMb: { grafana: 200 }, memoryBudgetMb: 472 }).memoryMb.grafana).toBe(200);
    // An existing Grafana takes the Grafana container out of the budget.
    expect(() =>
      resolveSettings({ memoryMb: { grafana: 200 }, existingGrafana: { url: "https://g.example" } }),
    ).not.toThrow();
  });

  it("accepts images pinned by tag on a registry with a port, or by digest", () => {
    const s = resolveSettings({
      images: {
        grafana: "registry.local:5000/grafana/grafana:13.2.3",
        jaeger: `jaegertracing/jaeger@sha256:${"a".repeat(64)}`,
      },
    });
    expect(s.images.grafana).toBe("registry.local:5000/grafana/grafana:13.2.3");
    expect(() => resolveSettings({ images: { grafana: "registry.local:5000/grafana/grafana" } })).toThrow(
      StackConfigError,
    );
    expect(DEFAULT_IMAGES.collector).toMatch(/:\d+\.\d+\.\d+$/);
  });

  it("gives host URLs; 0.0.0.0 binds are reached as localhost", () => {
    expect(hostEndpoints(resolveSettings({})).otlpGrpcEndpoint).toBe("http://127.0.0.1:4317");
    const open = hostEndpoints(
      resolveSettings({ bindAddress: "0.0.0.0", exposeBeyondLoopback: true, ports: { grafana: 3300 } }),
    );
    expect(open.grafanaUrl).toBe("http://localhost:3300");
  });

  it("gives every container a CPU limit, and refuses values the Docker provider cannot read back", () => {
    expect(resolveSettings({}).cpus).toEqual(DEFAULT_CPUS);
    expect(DEFAULT_CPUS).toEqual({ collector: 1, victoriametrics: 1, grafana: 1, jaeger: 0.5 });
    expect(resolveSettings({ cpus: { victoriametrics: "2", jaeger: 0.25 } }).cpus).toEqual({
      ...DEFAULT_CPUS,
      victoriametrics: 2,
      jaeger: 0.25,
    });
    expect(resolveSettings({ cpus: { grafana: 0.29 } }).cpus.grafana).toBe(0.29);
    expect(() => resolveSettings({ cpus: { grafna: 1 } })).toThrow(
      /observability-stack:cpus: unknown key "grafna"/,
    );
    for (const bad of [0, 0.05, -1, "one", 1.234, 2000]) {
      expect(() => resolveSettings({ cpus: { collector: bad } })).toThrow(
        /observability-stack:cpus.collector: expected a number of CPUs from 0.1 to 1024/,
      );
    }
    // 10.05 would come back from the provider as "10.1": a diff after every up.
    expect(() => resolveSettings({ cpus: { collector: 10.05 } })).toThrow(
      /cpus.collector: 10.05 CPUs would read back from Docker as 10.1 .*Fix: use 10.1/,
    );
  });

  it("writes cpus as the Docker provider reads them back (vectors from its nanoInt64ToDecimalString)", () => {
    // Printed by the provider's own Go function (internal/provider/helpers.go), run here with go run.
    const vectors: [number, string][] = [
      [1, "1.0"],
      [0.5, "0.5"],
      [10, "10."],
      [0.05, "0.1"],
      [0.01, "0.0"],
      [1.25, "1.25"],
      [10.5, "10.5"],
      [10.05, "10.1"],
      [100, "100."],
      [1.5, "1.5"],
      [0.25, "0.25"],
    ];
    for (const [cpus, text] of vectors) expect([cpus, dockerCpus(cpus)]).toEqual([cpus, text]);
  });
});
