// An example app: a simulated scotty server that records every metric of the scotty catalogue (every
// declared attribute value at least once) through the instrumentation module, emits a few traces, and
// shuts down cleanly. The end-to-end test runs it against a real collector.
//
//   ts-node --transpile-only examples/scotty-app.ts
//
// Environment: EXAMPLE_DURATION_MS (default 15000), EXAMPLE_EXPORT_INTERVAL_MS (default 5000),
// EXAMPLE_PROFILE (`a` or `b`, default `a`: the instance's known gauge levels, see PROFILES),
// EXAMPLE_LEDGER (a file to write every recording to, with its time: see ledger.ts), and the
// standard OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4317, gRPC), OTEL_SERVICE_NAME, …
import { randomUUID } from "node:crypto";
import type { Span } from "@opentelemetry/api";
import { context, diag, DiagConsoleLogger, DiagLogLevel, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { scotty } from "../definitions";
import { createMetrics } from "../instrumentation";
import { Ledger, withLedger } from "./ledger";
import { PROFILES, type ProfileName } from "./profiles";

function envMillis(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive whole number of ms, got "${raw}"`);
  return n;
}

const profileName = (process.env.EXAMPLE_PROFILE ?? "a") as ProfileName;
if (!(profileName in PROFILES)) {
  throw new Error(`EXAMPLE_PROFILE must be one of ${Object.keys(PROFILES).join(", ")}, got "${profileName}"`);
}
const profile = PROFILES[profileName];

const durationMs = envMillis("EXAMPLE_DURATION_MS", 15_000);
const exportIntervalMs = envMillis("EXAMPLE_EXPORT_INTERVAL_MS", 5_000);
const tickMs = 50;
const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "http://localhost:4317 (default)";

// Export failures (collector down) are reported here instead of being thrown.
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

const instanceId = randomUUID();
const ledger = new Ledger();
const m = withLedger(
  createMetrics(scotty, {
    exportIntervalMillis: exportIntervalMs,
    serviceInstanceId: instanceId,
    flushOnExit: true,
  }),
  scotty,
  ledger,
);

const tracerProvider = new BasicTracerProvider({
  resource: defaultResource().merge(
    resourceFromAttributes({ "service.name": "scotty", "service.instance.id": instanceId }),
  ),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 500 })],
});
const tracer = tracerProvider.getTracer("scotty-example");

// The declared values, with their literal types: the instruments accept nothing else.
const errorTypes = scotty.metrics.logStreamErrors.attributes["error.type"].values;
const shellErrorTypes = scotty.metrics.shellSessionErrors.attributes["error.type"].values;
const sentTypes = scotty.metrics.websocketMessagesSent.attributes["message.type"].values;
const receivedTypes = scotty.metrics.websocketMessagesReceived.attributes["message.type"].values;
const authReasons = scotty.metrics.websocketAuthFailures.attributes.reason.values;
const taskStatuses = scotty.metrics.tasks.attributes["task.status"].values;

const pick = <T>(values: readonly T[], i: number): T => values[i % values.length]!;

interface Open {
  endsAtTick: number;
  end: () => void;
}
const open: Open[] = [];
const recordings = new Map<string, number>();
const count = (key: string) => recordings.set(key, (recordings.get(key) ?? 0) + 1);
let spans = 0;

function logStream(i: number): void {
  m.logStreams.add(1);
  count("logStreams");
  const op = m.track("logStreamsActive", { duration: "logStreamDuration" });
  count("logStreamsActive");
  open.push({
    endsAtTick: i + 1 + (i % 7),
    end: () => {
      op.end();
      count("logStreamDuration");
      const lines = 1 + (i % 40);
      m.logLinesReceived.add(lines);
      m.logStreamBytes.add(lines * 120);
      count("logLinesReceived");
      count("logStreamBytes");
      m.websocketMessagesSent.add(lines, { "message.type": "log_line" });
    },
  });
}

function shellSession(i: number): void {
  m.shellSessions.add(1);
  count("shellSessions");
  const op = m.track("shellSessionsActive", { duration: "shellSessionDuration" });
  count("shellSessionsActive");
  open.push({
    endsAtTick: i + 2 + (i % 5),
    end: () => {
      op.end();
      count("shellSessionDuration");
      if (i % 3 === 0) {
        m.shellSessionTimeouts.add(1);
        count("shellSessionTimeouts");
      }
    },
  });
}

function task(i: number, status: (typeof taskStatuses)[number]): void {
  const parent: Span = tracer.startSpan("scotty.task", { attributes: { "task.id": `task-${i}` } });
  spans++;
  const op = m.track("tasksActive", { duration: "taskDuration" });
  count("tasksActive");
  open.push({
    endsAtTick: i + 1 + (i % 4),
    end: () => {
      const step = tracer.startSpan("scotty.task.step", {}, trace.setSpan(context.active(), parent));
      spans++;
      const lines = 5 + (i % 20);
      m.taskOutputLines.add(lines);
      m.websocketMessagesSent.add(lines, { "message.type": "task_output" });
      count("taskOutputLines");
      step.end();
      op.end({ "task.status": status });
      m.tasks.add(1, { "task.status": status });
      count("taskDuration");
      count("tasks");
      parent.setAttribute("task.status", status);
      parent.end();
    },
  });
}

function tick(i: number): void {
  // Every attribute value at least once: the first ticks walk each list; later ticks cycle through it.
  m.logStreamErrors.add(1, { "error.type": pick(errorTypes, i) });
  m.shellSessionErrors.add(1, { "error.type": pick(shellErrorTypes, i) });
  m.websocketMessagesSent.add(1 + (i % 3), { "message.type": pick(sentTypes, i) });
  m.websocketMessagesReceived.add(1, { "message.type": pick(receivedTypes, i) });
  m.websocketAuthFailures.add(1, { reason: pick(authReasons, i) });
  for (const key of ["logStreamErrors", "shellSessionErrors", "websocketMessagesSent"]) count(key);
  for (const key of ["websocketMessagesReceived", "websocketAuthFailures"]) count(key);

  m.websocketConnections.add(1);
  m.websocketConnectionsActive.add(i % 4 === 3 ? -1 : 1);
  m.taskOutputBuffer.record(1024 * (1 + (i % 64)));
  m.logCacheHitRatio.record(profile.logCacheHitRatio);
  for (const key of ["websocketConnections", "websocketConnectionsActive", "taskOutputBuffer"]) count(key);
  count("logCacheHitRatio");

  logStream(i);
  if (i % 2 === 0) shellSession(i);
  task(i, pick(taskStatuses, i));

  for (let k = open.length - 1; k >= 0; k--) {
    if (open[k]!.endsAtTick <= i) open.splice(k, 1)[0]!.end();
  }
}

async function main(): Promise<void> {
  // The worker pool holds its size for the whole run.
  m.taskWorkers.add(profile.workers.busy, { "worker.state": "busy" });
  m.taskWorkers.add(profile.workers.idle, { "worker.state": "idle" });
  count("taskWorkers");
  console.log(
    `scotty example: recording for ${durationMs} ms, exporting every ${exportIntervalMs} ms to ${endpoint}` +
      ` (service.instance.id ${instanceId}, profile ${profileName})`,
  );
  const longestList = Math.max(
    ...[errorTypes, shellErrorTypes, sentTypes, receivedTypes, authReasons, taskStatuses].map(
      (v) => v.length,
    ),
  );
  const started = Date.now();
  let i = 0;
  // At least one full walk of every value list, however short the duration.
  while (i < longestList || Date.now() - started < durationMs) {
    tick(i++);
    await new Promise((r) => setTimeout(r, tickMs));
  }
  for (const o of open.splice(0)) o.end();
  // Neither rejects the app: metrics report export failures through diag; the trace exporter's last
  // failure is logged the same way.
  await Promise.all([
    m.shutdown(),
    tracerProvider.shutdown().catch((e: unknown) => diag.error("trace export failed at shutdown", e)),
  ]);

  const ledgerFile = process.env.EXAMPLE_LEDGER;
  if (ledgerFile) ledger.write(ledgerFile, process.env.OTEL_SERVICE_NAME ?? "scotty", instanceId);

  const observed = scotty.list.filter((x) => !recordings.has(x.key)).map((x) => x.key);
  console.log(`scotty example: ${i} ticks in ${Date.now() - started} ms; ${spans} spans sent`);
  for (const x of scotty.list) {
    console.log(`  ${x.key} (${x.name}): ${recordings.get(x.key) ?? "observed by the module"}`);
  }
  console.log(`scotty example: observed automatically: ${observed.join(", ")}; shut down cleanly`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
