// Records the store answers that check/recorded.test.ts replays: a real VictoriaMetrics and the real
// collector (rendered config) on ports 187xx, fed by the example app (job scotty, this package's
// module) and by plain-SDK emitters (check-emitter.ts) that drift on purpose, one job per finding
// family; then each `check` run's every request and answer is written to
// check/__fixtures__/recorded/<name>.json. Re-record after changing what check asks (its queries,
// the dashboards, the window) — a replay of an old recording then misses requests and fails:
//   . ~/.cache/observability-stack/peers/env.sh && flock /tmp/obs-heavy.lock \
//     npx ts-node --transpile-only test/e2e/check-record.ts
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCheck } from "../../check";
import {
  recordingFetch,
  sortExchanges,
  type Exchange,
  type Recording,
} from "../../check/__fixtures__/recording";
import shop from "../../check/__fixtures__/shop";
import { scotty } from "../../definitions";
import { renderFiles } from "../../render";
import { DEFAULT_MEMORY_MB } from "../../stack/settings";
import { runExampleApp } from "./app";
import { attributeSets, emitPlain } from "./check-emitter";
import { assertPortsFree, sleep, stopAll } from "./peers";
import { collectorPeer, victoriaMetricsPeer, writeRendered } from "./stack-peers";

const ROOT = path.resolve(__dirname, "../..");
const OUT = path.join(ROOT, "check/__fixtures__/recorded");
const P = { vm: 18728, otlpGrpc: 18717, otlpHttp: 18718, health: 18733, metrics: 18788, jaeger: 18799 };

function bin(name: string): string {
  const v = process.env[name];
  if (!v || !fs.existsSync(v))
    throw new Error(`${name} is not set: source ~/.cache/observability-stack/peers/env.sh`);
  return v;
}

/** The check runs recorded: name, arguments (besides --url and --json), --url's path after the origin. */
const RUNS: readonly { name: string; args: string[]; urlPath?: string }[] = [
  { name: "scotty-clean", args: ["--job", "scotty", "--since", "30m"] },
  { name: "scotty-drift", args: ["--job", "scotty-drift", "--since", "30m"] },
  { name: "shop-clean", args: ["--definitions", "shop.ts", "--job", "shop", "--since", "30m"] },
  { name: "shop-quiet", args: ["--definitions", "shop.ts", "--job", "shop-quiet", "--since", "30m"] },
  { name: "shop-drift", args: ["--definitions", "shop.ts", "--job", "shop-drift", "--since", "30m"] },
  { name: "shop-labels", args: ["--definitions", "shop.ts", "--job", "shop-labels", "--since", "30m"] },
  { name: "no-such-job", args: ["--definitions", "shop.ts", "--job", "shop-nobody", "--since", "30m"] },
  { name: "not-the-api", args: ["--job", "scotty", "--since", "30m"], urlPath: "/not-the-api" },
];

async function emitAll(endpoint: string): Promise<void> {
  const tasks = scotty.byKey.tasks;
  const order = (payment: string, region: string, extra: Record<string, string> = {}) => ({
    "payment.method": payment,
    outcome: "ok",
    region,
    ...extra,
  });
  const apps = ["a", "b"].map((profile) =>
    runExampleApp({ endpoint, serviceName: "scotty", durationMs: 12_000, profile: profile as "a" | "b" }),
  );
  await Promise.all([
    ...apps.map(async (a) => {
      if ((await a.code) !== 0) throw new Error(`example app failed:\n${a.output()}`);
    }),
    // The drifting emitter (as check-phase.ts sends it).
    emitPlain({
      endpoint,
      job: "scotty-drift",
      catalogue: scotty,
      drift: {
        taskDuration: { unit: "ms", scale: 1000 },
        tasks: { extraSets: [{ ...attributeSets(tasks)[0], "task.status": "exploded" }] },
      },
      unknownCounters: [{ name: "scotty.cache.evictions", unit: "{eviction}" }],
    }),
    emitPlain({ endpoint, job: "shop", catalogue: shop }),
    // A counter never incremented: the SDK exports nothing for it.
    emitPlain({ endpoint, job: "shop-quiet", catalogue: shop, drift: { refunds: { skip: true } } }),
    emitPlain({
      endpoint,
      job: "shop-drift",
      catalogue: shop,
      drift: {
        checkoutDuration: { unit: "ms", scale: 1000 },
        // A counter sent as an up-down counter: the collector writes it without _total.
        orders: { kind: "upDownCounter" },
        cartItems: { skip: true },
      },
      unknownCounters: [{ name: "shop.coupons.redeemed", unit: "{coupon}" }],
    }),
    emitPlain({
      endpoint,
      job: "shop-labels",
      catalogue: shop,
      drift: {
        // An undeclared value of a closed attribute, three values of a maxValues 2 one, an undeclared
        // label, and no "declined" order (the error-ratio panels filter on it).
        orders: {
          sets: [
            order("card", "eu"),
            order("crypto", "us"),
            order("card", "asia"),
            order("invoice", "eu", { channel: "mobile" }),
          ],
        },
        // Its required payment.method never given.
        checkoutDuration: { sets: [{}] },
      },
    }),
  ]);
}

async function main(): Promise<number> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "obs-check-record-"));
  const files = renderFiles(scotty, {
    collector: {
      otlpGrpcEndpoint: `127.0.0.1:${P.otlpGrpc}`,
      otlpHttpEndpoint: `127.0.0.1:${P.otlpHttp}`,
      jaegerEndpoint: `127.0.0.1:${P.jaeger}`,
      remoteWriteUrl: `http://127.0.0.1:${P.vm}/api/v1/write`,
      healthCheckEndpoint: `127.0.0.1:${P.health}`,
      telemetryHost: "127.0.0.1",
      telemetryPort: P.metrics,
      hostmetricsInterval: "5s",
      memoryLimitMib: DEFAULT_MEMORY_MB.collector,
      retryMaxElapsed: "2s",
      batchTimeout: "1s",
    },
    scrape: { collectorTarget: `127.0.0.1:${P.metrics}`, scrapeInterval: "5s" },
  });
  writeRendered(tmp, files);
  await assertPortsFree(Object.values(P));
  const logs = path.join(tmp, "logs");
  fs.mkdirSync(logs);
  const vmBin = bin("VM_BIN");
  const store = execFileSync(vmBin, ["-version"], { encoding: "utf8" }).trim();
  const vm = victoriaMetricsPeer(
    {
      bin: vmBin,
      dataPath: path.join(tmp, "vm-data"),
      scrapeConfigPath: path.join(tmp, "victoriametrics/scrape.yaml"),
      port: P.vm,
    },
    logs,
  );
  const collector = collectorPeer(
    { bin: bin("OTELCOL_BIN"), configPath: path.join(tmp, "collector/config.yaml"), healthPort: P.health },
    logs,
  );
  const vmUrl = `http://127.0.0.1:${P.vm}`;
  try {
    await vm.start();
    await collector.start();
    await emitAll(`http://127.0.0.1:${P.otlpGrpc}`);
    // The last batches: remote write, then VictoriaMetrics' flush.
    await sleep(5000);
    await fetch(`${vmUrl}/internal/force_flush`);
    await sleep(2000);
    fs.mkdirSync(OUT, { recursive: true });
    for (const r of RUNS) {
      const exchanges: Exchange[] = [];
      const now = Date.now();
      let out = "";
      const code = await runCheck(["--url", `${vmUrl}${r.urlPath ?? ""}`, ...r.args], {
        prog: "check",
        argsPrefix: "",
        baseDir: path.join(ROOT, "check/__fixtures__"),
        stdout: (t) => (out += t),
        stderr: (t) => (out += t),
        fetch: recordingFetch(exchanges),
        now: () => now,
      });
      const recording: Recording = {
        about:
          "Answers of a real VictoriaMetrics to one check run; written by test/e2e/check-record.ts, do not edit.",
        store,
        recordedAt: new Date(now).toISOString(),
        now,
        args: r.args,
        urlPath: r.urlPath ?? "",
        exchanges: sortExchanges(exchanges),
      };
      const file = path.join(OUT, `${r.name}.json`);
      fs.writeFileSync(file, `${JSON.stringify(recording, null, 1)}\n`);
      console.log(
        `check-record: ${r.name}: exit ${code}, ${exchanges.length} requests -> ${path.relative(ROOT, file)}`,
      );
      console.log(out.replace(/^/gm, "    "));
    }
  } finally {
    await stopAll();
    console.log(`check-record: logs in ${logs}`);
  }
  return 0;
}

main().then(
  (c) => (process.exitCode = c),
  async (e: unknown) => {
    console.error(e);
    await stopAll();
    process.exitCode = 1;
  },
);
