// Runs the check phase (check-phase.ts) on its own against real peers, before run.ts calls it:
// VictoriaMetrics and the collector (rendered config) on ports 186xx, the example app as job scotty,
// then checkPhase. Run under the heavy-test lock, with the peers' env:
//   . ~/.cache/observability-stack/peers/env.sh && flock /tmp/obs-heavy.lock \
//     npx ts-node --transpile-only test/e2e/check-standalone.ts
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { scotty } from "../../definitions";
import { renderFiles } from "../../render";
import { DEFAULT_MEMORY_MB } from "../../stack/settings";
import { runExampleApp } from "./app";
import { checkPhase } from "./check-phase";
import { assertPortsFree, stopAll } from "./peers";
import { collectorPeer, victoriaMetricsPeer, writeRendered } from "./stack-peers";

const P = { vm: 18628, otlpGrpc: 18617, otlpHttp: 18618, health: 18633, metrics: 18688, jaeger: 18699 };

function bin(name: string): string {
  const v = process.env[name];
  if (!v || !fs.existsSync(v))
    throw new Error(`${name} is not set: source ~/.cache/observability-stack/peers/env.sh`);
  return v;
}

async function main(): Promise<number> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "obs-check-"));
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
  const vm = victoriaMetricsPeer(
    {
      bin: bin("VM_BIN"),
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
  let failed = 0;
  try {
    await vm.start();
    await collector.start();
    const endpoint = `http://127.0.0.1:${P.otlpGrpc}`;
    const apps = ["a", "b"].map((profile) =>
      runExampleApp({ endpoint, serviceName: "scotty", durationMs: 12_000, profile: profile as "a" | "b" }),
    );
    for (const a of apps) if ((await a.code) !== 0) console.log(a.output());
    // Let the last batches reach VictoriaMetrics.
    await new Promise((r) => setTimeout(r, 5000));
    const r = await checkPhase({
      vmUrl: `http://127.0.0.1:${P.vm}`,
      otlpEndpoint: endpoint,
      catalogue: scotty,
    });
    for (const c of r.checks) {
      if (!c.ok) failed++;
      console.log(`${c.ok ? "ok  " : "FAIL"} ${c.what}`);
    }
    console.log(r.output);
    // CHECK_HOLD_MS=60000 keeps the peers up after the phase, to query them by hand.
    await new Promise((res) => setTimeout(res, Number(process.env.CHECK_HOLD_MS ?? 0)));
  } finally {
    await stopAll();
    console.log(`check-standalone: logs in ${logs}`);
  }
  console.log(`check-standalone: ${failed === 0 ? "passed" : `${failed} failed`}`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (c) => (process.exitCode = c),
  async (e: unknown) => {
    console.error(e);
    await stopAll();
    process.exitCode = 1;
  },
);
