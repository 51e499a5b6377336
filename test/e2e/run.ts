// `npm run test:e2e`: the rendered stack files against the REAL peers (OpenTelemetry Collector built
// from the core distribution's components, Jaeger v2, VictoriaMetrics), all on loopback.
// Binaries come from scripts/peers.sh (OTELCOL_BIN, JAEGER_BIN, VM_BIN).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { dashboardQueries, substituteVariables, withoutZeroFallbacks } from "../../dashboards";
import type { Catalogue } from "../../definitions";
import { defineMetrics, scotty } from "../../definitions";
import { renderFiles } from "../../render";
import { DEFAULT_MEMORY_MB } from "../../stack/settings";
import { runExampleApp, type AppRun } from "./app";
import { checkPhase } from "./check-phase";
import { checkPanelValues, RELATIVE_TOLERANCE } from "./panel-values";
import { assertPortsFree, Peer, sleep, stopAll } from "./peers";
import { collectorPeer, victoriaMetricsPeer, writeRendered } from "./stack-peers";
import { VictoriaMetricsClient } from "./vm";

const root = path.resolve(__dirname, "../..");

function requiredEnv(name: string): string {
  const v = process.env[name];
  if (!v || !fs.existsSync(v))
    throw new Error(`${name} is not set to a built binary: run via scripts/e2e.sh (npm run test:e2e)`);
  return v;
}

const OTELCOL_BIN = requiredEnv("OTELCOL_BIN");
const JAEGER_BIN = requiredEnv("JAEGER_BIN");
const VM_BIN = requiredEnv("VM_BIN");

// Loopback ports, all off the stack's defaults so a running local stack is not disturbed.
const P = {
  vm: 18428,
  otlpGrpc: 14317,
  otlpHttp: 14318,
  collectorHealth: 14133,
  collectorMetrics: 18888,
  jaegerOtlpGrpc: 24317,
  jaegerOtlpHttp: 24318,
  jaegerQuery: 26686,
  jaegerQueryGrpc: 26685,
  jaegerHealth: 23133,
  jaegerMetrics: 28888,
};

let passed = 0;
let failed = 0;
function check(ok: boolean, what: string): boolean {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  return ok;
}

/** A second catalogue, not scotty, so nothing in the pipeline is scotty-specific. */
const checkout = defineMetrics({
  name: "checkout",
  groups: { orders: { title: "Orders" } },
  metrics: {
    orders: {
      name: "checkout.orders",
      kind: "counter",
      unit: "{order}",
      description: "Orders placed.",
      group: "orders",
      attributes: { "payment.method": { values: ["card", "invoice"] } },
    },
    latency: {
      name: "checkout.request.duration",
      kind: "histogram",
      unit: "ms",
      description: "Request latency.",
      group: "orders",
      buckets: [5, 10, 25, 50, 100, 250, 500, 1000],
    },
    payload: {
      name: "checkout.payload",
      kind: "counter",
      unit: "By",
      description: "Bytes received.",
      group: "orders",
    },
  },
});

function validateConfig(catalogue: Catalogue, dir: string): void {
  const files = renderFiles(catalogue);
  writeRendered(dir, files);
  const config = path.join(dir, "collector/config.yaml");
  try {
    execFileSync(OTELCOL_BIN, ["validate", `--config=${config}`], { stdio: "pipe" });
    check(true, `otelcol validate accepts the rendered config of the ${catalogue.name} catalogue`);
  } catch (e) {
    const err = e as { stderr?: Buffer };
    check(
      false,
      `otelcol validate rejects the ${catalogue.name} config: ${err.stderr?.toString() ?? String(e)}`,
    );
  }
}

/** Runs the example app against the test's collector. */
function runApp(serviceName: string, durationMs: number, profile: "a" | "b" = "a", ledger?: string): AppRun {
  return runExampleApp({
    endpoint: `http://127.0.0.1:${P.otlpGrpc}`,
    serviceName,
    durationMs,
    profile,
    ...(ledger !== undefined && { ledger }),
  });
}

function rssKb(pid: number | undefined): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(1000);
  }
  console.log(`     (gave up waiting for ${what} after ${timeoutMs} ms)`);
  return false;
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "obs-e2e-"));
  console.log(`e2e: work dir ${tmp}`);
  for (const [name, bin] of Object.entries({ OTELCOL_BIN, JAEGER_BIN, VM_BIN }))
    console.log(`e2e: ${name}=${bin}`);

  // 1. The real collector accepts the configs we render (stack endpoints) for two catalogues.
  validateConfig(scotty, path.join(tmp, "validate-scotty"));
  validateConfig(checkout, path.join(tmp, "validate-checkout"));

  // 2. Render the stack's files with endpoints on loopback.
  const out = path.join(tmp, "render");
  const collectorOptions = {
    otlpGrpcEndpoint: `127.0.0.1:${P.otlpGrpc}`,
    otlpHttpEndpoint: `127.0.0.1:${P.otlpHttp}`,
    jaegerEndpoint: `127.0.0.1:${P.jaegerOtlpGrpc}`,
    remoteWriteUrl: `http://127.0.0.1:${P.vm}/api/v1/write`,
    healthCheckEndpoint: `127.0.0.1:${P.collectorHealth}`,
    telemetryHost: "127.0.0.1",
    telemetryPort: P.collectorMetrics,
    hostmetricsInterval: "5s",
    memoryLimitMib: DEFAULT_MEMORY_MB.collector,
    // Give up on a failed batch quickly, so the failure phase below yields send-failed counters.
    retryMaxElapsed: "2s",
    // Batches every second: the 12 s app runs then give every series the 3 samples rate() needs
    // (with the stack's 10 s they gave 2).
    batchTimeout: "1s",
  };
  const scrape = { collectorTarget: `127.0.0.1:${P.collectorMetrics}`, scrapeInterval: "5s" };
  const files = renderFiles(scotty, { collector: collectorOptions, scrape });
  // The failure phase runs a collector of its own, with one consumer, room for five requests and
  // batches every second, and one retry (~5 s) per failed batch: while the backends are down its
  // queues overflow, so the queue-drop panels (otelcol_exporter_enqueue_failed_*) are answered by
  // real series. The rest of the test runs the stack's own queues, which drop nothing.
  const failureConfig = renderFiles(scotty, {
    collector: {
      ...collectorOptions,
      retryMaxElapsed: "10s",
      queueSize: 5,
      queueConsumers: 1,
      batchTimeout: "1s",
    },
    scrape,
  }).find((f) => f.path === "collector/config.yaml");
  if (failureConfig === undefined) throw new Error("render gave no collector/config.yaml");
  writeRendered(out, [...files, { path: "collector/config-failures.yaml", content: failureConfig.content }]);
  await assertPortsFree(Object.values(P));

  const logs = path.join(tmp, "logs");
  fs.mkdirSync(logs);
  const vmData = path.join(tmp, "vm-data");
  const vm = victoriaMetricsPeer(
    {
      bin: VM_BIN,
      dataPath: vmData,
      scrapeConfigPath: path.join(out, "victoriametrics/scrape.yaml"),
      port: P.vm,
    },
    logs,
  );
  const jaeger = new Peer(
    {
      name: "jaeger",
      bin: JAEGER_BIN,
      args: ["--config", path.join(root, "scripts/peers/jaeger-config.yaml")],
      env: {
        JAEGER_LISTEN_HOST: "127.0.0.1",
        JAEGER_OTLP_GRPC_PORT: String(P.jaegerOtlpGrpc),
        JAEGER_OTLP_HTTP_PORT: String(P.jaegerOtlpHttp),
        JAEGER_QUERY_HTTP_PORT: String(P.jaegerQuery),
        JAEGER_QUERY_GRPC_PORT: String(P.jaegerQueryGrpc),
        JAEGER_HEALTH_PORT: String(P.jaegerHealth),
        JAEGER_METRICS_PORT: String(P.jaegerMetrics),
      },
      healthUrl: `http://127.0.0.1:${P.jaegerHealth}/status`,
    },
    logs,
  );
  const collector = collectorPeer(
    { bin: OTELCOL_BIN, configPath: path.join(out, "collector/config.yaml"), healthPort: P.collectorHealth },
    logs,
  );
  const failureCollector = collectorPeer(
    {
      name: "otelcol-failures",
      bin: OTELCOL_BIN,
      configPath: path.join(out, "collector/config-failures.yaml"),
      healthPort: P.collectorHealth,
    },
    logs,
  );
  const peers = [vm, jaeger, collector];
  const sampler = setInterval(() => peers.forEach((p) => p.sampleMemory()), 500);
  const client = new VictoriaMetricsClient(`http://127.0.0.1:${P.vm}`);

  try {
    await vm.start();
    await jaeger.start();
    await failureCollector.start();
    check(true, "VictoriaMetrics, Jaeger and the (failure-phase) collector started and report healthy");

    // Pipeline failures, on purpose: with Jaeger and VictoriaMetrics down, the exporters give up and
    // the collector creates its send-failed counters (it has none before the first failure), so the
    // failure panels are checked against real series, not their zero fallback.
    await jaeger.stop();
    await vm.stop();
    // Two instances for 15 s: enough requests to fill the small queues while the exporters retry.
    const failingApps = [runApp("scotty-failures", 15_000, "a"), runApp("scotty-failures", 15_000, "b")];
    const sawFailures = await waitFor("send-failed counters", 60_000, async () => {
      const text = await (await fetch(`http://127.0.0.1:${P.collectorMetrics}/metrics`)).text();
      return (
        /^otelcol_exporter_send_failed_spans\{/m.test(text) &&
        /^otelcol_exporter_send_failed_metric_points\{/m.test(text) &&
        /^otelcol_exporter_enqueue_failed_spans\{/m.test(text) &&
        /^otelcol_exporter_enqueue_failed_metric_points\{/m.test(text)
      );
    });
    await Promise.all(failingApps.map((a) => a.code));
    check(
      sawFailures,
      "with Jaeger and VictoriaMetrics down, the collector counted failed sends and queue-full drops of spans and points",
    );
    await vm.start();
    await jaeger.start();
    // Let the failed batches still queued finish before that collector stops.
    const drained = await waitFor("exporter queues drained", 60_000, async () => {
      const text = await (await fetch(`http://127.0.0.1:${P.collectorMetrics}/metrics`)).text();
      const sizes = [...text.matchAll(/^otelcol_exporter_queue_size\{[^}]*\} (\S+)$/gm)].map((m) =>
        Number(m[1]),
      );
      return sizes.length >= 2 && sizes.every((n) => n === 0);
    });
    check(drained, "after the backends came back, the collector's exporter queues drained");
    // VictoriaMetrics scrapes the failure counters now that it is up again; then the stack's own
    // collector config takes over.
    const failureSeries = [
      "otelcol_exporter_send_failed_spans",
      "otelcol_exporter_send_failed_metric_points",
      "otelcol_exporter_enqueue_failed_spans",
      "otelcol_exporter_enqueue_failed_metric_points",
    ];
    const failuresStored = await waitFor("failure counters stored", 60_000, async () => {
      await client.forceFlush();
      const found = await Promise.all(
        failureSeries.map(async (n) => (await client.queryRange(n, 120, 5)).length),
      );
      return found.every((n) => n > 0);
    });
    check(failuresStored, "VictoriaMetrics stored the failure and queue-drop counters");
    await failureCollector.stop();
    await collector.start();

    // 3. The example app, as two instances with different known levels, records every metric of
    // the catalogue and emits traces.
    const appsStarted = Date.now();
    const ledgers = ["a", "b"].map((p) => path.join(tmp, `ledger-${p}.json`));
    const apps = [runApp("scotty", 12_000, "a", ledgers[0]), runApp("scotty", 12_000, "b", ledgers[1])];
    for (const app of apps) {
      const code = await app.code;
      if (!check(code === 0, `example app exited ${code}`)) console.log(app.output());
    }

    // Wait until every series the catalogue and the pipeline-health/host dashboards need has arrived,
    // with enough samples (>= 3) for rate() over the test's 1m window.
    // The app's series are counted for job "scotty" only: the failure phase's "scotty-failures"
    // instances lost most of their points in the full queues on purpose.
    const appSeries = scotty.list.flatMap((m) => m.seriesNames);
    const pipelineSeries = [
      "otelcol_receiver_accepted_metric_points",
      "otelcol_exporter_sent_metric_points",
      "system_cpu_time_seconds_total",
    ];
    // (The send-failed counters exist only while the failure phase's collector ran; they are checked
    // above, and need no third sample.)
    const want = [...appSeries, ...pipelineSeries];
    let samples = new Map<string, number>();
    await waitFor("3 samples of every series", 90_000, async () => {
      await client.forceFlush();
      samples = new Map([
        ...(await client.samplesPerName(appSeries, 'job="scotty"')),
        ...(await client.samplesPerName(pipelineSeries)),
      ]);
      return want.every((s) => (samples.get(s) ?? 0) >= 3);
    });
    const missing = want.filter((s) => (samples.get(s) ?? 0) < 3);
    check(
      missing.length === 0,
      `VictoriaMetrics holds every series of the catalogue (${want.length} names, >= 3 samples each)` +
        (missing.length ? `; short: ${missing.map((s) => `${s}=${samples.get(s) ?? 0}`).join(", ")}` : ""),
    );

    // 4. Every stat and RED panel of the app's dashboards shows what the two instances recorded.
    const values = await checkPanelValues({
      client,
      catalogue: scotty,
      files,
      ledgerFiles: ledgers,
      job: "scotty",
      windowSec: Math.ceil((Date.now() - appsStarted) / 1000) + 10,
    });
    console.log(
      `e2e: ${values.matching}/${values.panels} panels show the recorded values` +
        ` (within ${RELATIVE_TOLERANCE * 100}%; ${values.observed} of them read metrics the module` +
        ` observes itself, checked against the stored samples)`,
    );
    for (const m of values.mismatches) console.log(`  mismatch: ${m}`);
    check(
      values.panels > 0 && values.matching === values.panels,
      `every stat and RED panel of the scotty dashboards shows the recorded values`,
    );
    check(
      values.lost.length === 0 && values.unexplained.length === 0,
      `every recorded series was stored, and every stored one was recorded` +
        (values.lost.length ? `; lost: ${values.lost.join(" ")}` : "") +
        (values.unexplained.length ? `; unexplained: ${values.unexplained.join(" ")}` : ""),
    );

    // 4b. `observability-stack check` (issue 16): clean for the example app's job; a plain-SDK
    // emitter with three drifts (a wrong unit suffix, an undeclared label value, an unknown metric)
    // gives exactly those three findings.
    const ck = await checkPhase({
      vmUrl: `http://127.0.0.1:${P.vm}`,
      otlpEndpoint: `http://127.0.0.1:${P.otlpGrpc}`,
      catalogue: scotty,
    });
    for (const c of ck.checks) check(c.ok, c.what);
    console.log(ck.output.replace(/^/gm, "  check> "));

    // 5. Every query of every rendered dashboard returns data.
    const dashboardFiles = files.filter((f) => f.path.startsWith("grafana/dashboards/"));
    let total = 0;
    const empty: string[] = [];
    const byFallback: string[] = [];
    for (const f of dashboardFiles) {
      const model = JSON.parse(f.content) as Record<string, unknown>;
      for (const q of dashboardQueries({ model })) {
        total++;
        const expr = substituteVariables(q, { __rate_interval: "1m" });
        // A query with a zero fallback counts as answered by the series itself when it exists; the
        // fallback alone is reported apart, so it never hides a misnamed series unnoticed.
        const primary = withoutZeroFallbacks(expr);
        if ((await client.queryRange(primary, 180, 5)).length > 0) continue;
        if (primary !== expr && (await client.queryRange(expr, 180, 5)).length > 0)
          byFallback.push(`${f.path}: ${q}`);
        else empty.push(`${f.path}: ${q}`);
      }
    }
    console.log(`e2e: ${total - empty.length}/${total} dashboard queries returned data`);
    if (byFallback.length > 0) {
      console.log(
        `e2e: ${byFallback.length} of them only through their zero fallback (no such event happened):`,
      );
      for (const e of byFallback) console.log(`  fallback: ${e}`);
    }
    for (const e of empty) console.log(`  no data: ${e}`);
    check(
      empty.length === 0 && total > 0,
      `every dashboard query returned data (${dashboardFiles.length} dashboards)`,
    );
    check(byFallback.length === 0, `no query needed its zero fallback (${byFallback.length} did)`);

    // 6. Traces reach Jaeger and can be found through its query API.
    const jaegerApi = `http://127.0.0.1:${P.jaegerQuery}`;
    let traceCount = 0;
    await waitFor("traces in Jaeger", 30_000, async () => {
      const res = await fetch(`${jaegerApi}/api/traces?service=scotty&limit=50&lookback=1h`);
      const body = (await res.json()) as { data?: unknown[] };
      traceCount = body.data?.length ?? 0;
      return traceCount > 0;
    });
    const services =
      ((await (await fetch(`${jaegerApi}/api/services`)).json()) as { data?: string[] }).data ?? [];
    check(
      services.includes("scotty") && traceCount > 0,
      `Jaeger knows service scotty with ${traceCount} traces`,
    );

    // Fault (b): VictoriaMetrics restarted on the same data path keeps what it had.
    await client.forceFlush();
    const stored = async (): Promise<number> =>
      Number(
        (await client.query('sum(count_over_time(scotty_log_streams_total{job="scotty"}[30m]))'))[0]
          ?.value?.[1] ?? 0,
      );
    const before = await stored();
    await vm.stop();
    await vm.start();
    const after = await stored();
    check(
      before > 0 && after >= before,
      `VictoriaMetrics restart keeps the data (${before} samples before, ${after} after)`,
    );

    // Fault (a): the app starts while the collector is down; the metrics arrive once it is up.
    await collector.stop();
    const lateApp = runApp("scotty-fault-a", 20_000);
    await sleep(8_000);
    await collector.start();
    const lateCode = await lateApp.code;
    if (!check(lateCode === 0, `app started with the collector down ran on and exited ${lateCode}`))
      console.log(lateApp.output());
    check(
      /export|UNAVAILABLE|ECONNREFUSED|14 /i.test(lateApp.output()),
      "the export failures were reported through the diag logger",
    );
    const arrived = await waitFor("fault-a metrics", 40_000, async () => {
      await client.forceFlush();
      return (await client.queryRange('scotty_log_streams_total{job="scotty-fault-a"}', 120, 5)).length > 0;
    });
    check(arrived, "metrics recorded while the collector was down arrived after it came up");

    // Fault (c): the collector dies with data in flight; the app keeps running with bounded memory.
    const crashApp = runApp("scotty-fault-c", 25_000);
    await sleep(6_000);
    await collector.stop("SIGKILL");
    const rssAtCrash = rssKb(crashApp.pid);
    let rssMax = rssAtCrash;
    const watch = setInterval(() => (rssMax = Math.max(rssMax, rssKb(crashApp.pid))), 250);
    const crashCode = await crashApp.code;
    clearInterval(watch);
    if (!check(crashCode === 0, `app ran on after the collector was killed and exited ${crashCode}`))
      console.log(crashApp.output());
    const growthMb = (rssMax - rssAtCrash) / 1024;
    check(
      rssAtCrash > 0 && growthMb < 40,
      `app memory stayed bounded after the crash (RSS ${(rssAtCrash / 1024).toFixed(1)} MiB at the crash, max ${(rssMax / 1024).toFixed(1)} MiB)`,
    );
  } finally {
    clearInterval(sampler);
    peers.forEach((p) => p.sampleMemory());
    await stopAll();
    console.log(
      "e2e: peak memory " +
        peers
          .map(
            (p) =>
              `${p.spec.name} ${(p.peakKb / 1024).toFixed(1)} MiB RSS (${(p.peakAnonKb / 1024).toFixed(1)} MiB anonymous)`,
          )
          .join(", "),
    );
    // The stack's default container limits must hold what the real peers used (anonymous memory: the
    // mapped binaries are reclaimable page cache).
    for (const [peer, limitMb] of [
      [collector, DEFAULT_MEMORY_MB.collector],
      [vm, DEFAULT_MEMORY_MB.victoriametrics],
      [jaeger, DEFAULT_MEMORY_MB.jaeger],
    ] as const) {
      const usedMb = peer.peakAnonKb / 1024;
      check(
        usedMb > 0 && usedMb < limitMb * 0.85,
        `${peer.spec.name} peak anonymous memory ${usedMb.toFixed(1)} MiB fits the stack's ${limitMb} MiB limit with 15% headroom`,
      );
    }
    console.log(`e2e: logs in ${logs}`);
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  if (failed > 0) process.exitCode = 1;
  else fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch(async (e: unknown) => {
  console.error(e);
  await stopAll();
  console.log(`e2e: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
