// The e2e phase of `observability-stack check` (issue 16), for test/e2e/run.ts (after the example app
// has run) and test/e2e/check-standalone.ts: check against the e2e's VictoriaMetrics for job scotty
// (clean), then a deliberately drifting emitter, written with the PLAIN @opentelemetry/sdk-metrics SDK
// (as a hand-instrumented service would be, not this project's module), under job "scotty-drift":
// every catalogue metric recorded as METRICS.md says, except three drifts:
// - scotty.task.duration sent with unit "ms" (and millisecond values) instead of "s";
// - scotty.tasks with task.status "exploded", not a declared value;
// - scotty.cache.evictions, a metric the catalogue does not define.
// check for that job must report exactly those three findings and exit 1.
import { runCheck } from "../../check";
import type { CheckReport, Finding } from "../../check";
import type { Catalogue } from "../../definitions";
import { attributeSets, emitPlain } from "./check-emitter";

export interface CheckPhaseOptions {
  /** VictoriaMetrics' base URL (`http://127.0.0.1:18428`). */
  readonly vmUrl: string;
  /** The collector's OTLP gRPC endpoint (`http://127.0.0.1:14317`). */
  readonly otlpEndpoint: string;
  /** The catalogue the example app recorded (scotty). */
  readonly catalogue: Catalogue;
  /** The example app's job. @default the catalogue's name */
  readonly cleanJob?: string;
  /** The drifting emitter's job. @default "<catalogue>-drift" */
  readonly driftJob?: string;
  /** How long the drifting emitter records. @default 12000 */
  readonly emitMs?: number;
}

export interface CheckPhaseResult {
  /** One line per expectation, for ok/FAIL output. */
  readonly checks: readonly { readonly ok: boolean; readonly what: string }[];
  /** The text reports of both runs, to print on failure. */
  readonly output: string;
  readonly clean?: CheckReport;
  readonly drift?: CheckReport;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The drifting service: plain sdk-metrics instruments made from the catalogue, three of them wrong. */
async function emitDrift(o: CheckPhaseOptions, job: string): Promise<void> {
  const tasks = o.catalogue.byKey.tasks;
  if (tasks === undefined) throw new Error("checkPhase: the catalogue has no metric tasks");
  await emitPlain({
    endpoint: o.otlpEndpoint,
    job,
    catalogue: o.catalogue,
    drift: {
      taskDuration: { unit: "ms", scale: 1000 },
      tasks: { extraSets: [{ ...attributeSets(tasks)[0], "task.status": "exploded" }] },
    },
    unknownCounters: [{ name: "scotty.cache.evictions", unit: "{eviction}" }],
    ...(o.emitMs !== undefined && { durationMs: o.emitMs }),
  });
}

async function check(args: string[]): Promise<{ code: number; report?: CheckReport; text: string }> {
  let out = "";
  let err = "";
  const ctx = { prog: "check", argsPrefix: "", baseDir: process.cwd() };
  const code = await runCheck([...args, "--json"], {
    ...ctx,
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  let text = "";
  await runCheck(args, { ...ctx, stdout: (t) => (text += t), stderr: (t) => (text += t) });
  let report: CheckReport | undefined;
  try {
    report = code === 2 ? undefined : (JSON.parse(out) as CheckReport);
  } catch {
    report = undefined;
  }
  return { code, ...(report !== undefined && { report }), text: `${text}${err}` };
}

const describe = (f: Finding) =>
  `${f.kind} ${f.metric ?? ""} ${f.label ?? ""} ${(f.values ?? f.series ?? []).join(",")}`.replace(
    / +/g,
    " ",
  );

/** Runs both checks; never throws for a failed expectation (each is a line of `checks`). */
export async function checkPhase(o: CheckPhaseOptions): Promise<CheckPhaseResult> {
  const checks: { ok: boolean; what: string }[] = [];
  const expect = (ok: boolean, what: string) => checks.push({ ok, what });
  const cleanJob = o.cleanJob ?? o.catalogue.name;
  const driftJob = o.driftJob ?? `${o.catalogue.name}-drift`;
  // The catalogue itself is given in-process; check loads a module only by path, so the built-in
  // scotty is the one that name selects.
  if (o.catalogue.name !== "scotty")
    throw new Error("checkPhase: only the built-in scotty catalogue is supported");
  const base = ["--url", o.vmUrl, "--since", "30m"];

  await fetch(`${o.vmUrl}/internal/force_flush`).catch(() => undefined);
  const clean = await check([...base, "--job", cleanJob]);
  const cleanErrors = clean.report?.findings.filter((f) => f.severity === "error") ?? [];
  expect(
    clean.code === 0 && clean.report !== undefined,
    `check: job ${cleanJob} is clean (exit ${clean.code}; ${clean.report?.summary.series ?? 0} series, ` +
      `${clean.report?.summary.queries ?? 0} dashboard queries, ${clean.report?.summary.warnings ?? 0} warnings` +
      `${cleanErrors.length > 0 ? `; errors: ${cleanErrors.map(describe).join("; ")}` : ""})`,
  );

  await emitDrift(o, driftJob);
  // Wait until the drifting series are stored (remote write batches, then VictoriaMetrics' flush).
  const want = ["scotty_task_duration_milliseconds_count", "scotty_cache_evictions_total"];
  for (let i = 0; i < 30; i++) {
    await fetch(`${o.vmUrl}/internal/force_flush`).catch(() => undefined);
    const res = await fetch(
      `${o.vmUrl}/api/v1/label/__name__/values?match[]=${encodeURIComponent(`{job="${driftJob}"}`)}`,
    );
    const names = ((await res.json()) as { data?: string[] }).data ?? [];
    if (want.every((n) => names.includes(n))) break;
    await sleep(1000);
  }
  const drift = await check([...base, "--job", driftJob]);
  const found = (drift.report?.findings ?? []).map(describe);
  const expected = [
    "name-mismatch scotty.task.duration scotty_task_duration_milliseconds_bucket,scotty_task_duration_milliseconds_count,scotty_task_duration_milliseconds_sum",
    "label-value-undeclared scotty.tasks task_status exploded",
    "unknown-series scotty_cache_evictions_total",
  ];
  expect(drift.code === 1, `check: job ${driftJob} exits 1 (drift found): exit ${drift.code}`);
  expect(
    JSON.stringify(found) === JSON.stringify(expected),
    `check: job ${driftJob} reports exactly the wrong unit, the undeclared label value and the unknown metric` +
      ` (found: ${found.length > 0 ? found.join("; ") : "none"})`,
  );
  return {
    checks,
    output: `${clean.text}\n${drift.text}`,
    ...(clean.report !== undefined && { clean: clean.report }),
    ...(drift.report !== undefined && { drift: drift.report }),
  };
}
