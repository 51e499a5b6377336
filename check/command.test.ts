// `check` against a fake Prometheus-API server answering in VictoriaMetrics' shapes: each finding,
// each exit code, text and JSON.
import { scotty } from "../definitions";
import type { ResolvedMetric } from "../definitions";
import { runCheck } from "./command";
import { startFakeStore, type FakeStore } from "./fake-store";
import type { CheckFailure, CheckReport } from "./model";
import type { Labels } from "./store";

/** The series an app on this package writes for `m`: every declared value of every attribute appears. */
function seriesOf(m: ResolvedMetric, job: string, names = m.seriesNames): Labels[] {
  const base: Record<string, string> = {
    job,
    instance: "i-1",
    otel_scope_name: "scotty",
    otel_scope_version: "",
  };
  const first: Record<string, string> = {};
  for (const a of m.attributes) first[a.label] = a.values?.[0] ?? "v1";
  const sets: Record<string, string>[] = [{ ...first }];
  for (const a of m.attributes) for (const v of a.values ?? []) sets.push({ ...first, [a.label]: v });
  return names.flatMap((name) =>
    sets.flatMap((attrs) => {
      const s = { __name__: name, ...base, ...attrs };
      return name.endsWith("_bucket")
        ? [
            { ...s, le: "1" },
            { ...s, le: "+Inf" },
          ]
        : [s];
    }),
  );
}

function cleanSeries(job: string, skip: (m: ResolvedMetric) => boolean = () => false): Labels[] {
  return [
    { __name__: "target_info", job, instance: "i-1", telemetry_sdk_language: "nodejs" },
    ...scotty.list.filter((m) => !skip(m)).flatMap((m) => seriesOf(m, job)),
  ];
}

const taskDuration = scotty.byKey.taskDuration;
const tasks = scotty.byKey.tasks;

/** The drifting emitter of the issue: a unit suffix, a label value and a metric the catalogue lacks. */
function driftSeries(job: string): Labels[] {
  const ms = taskDuration.seriesNames.map((n) => n.replace("_seconds_", "_milliseconds_"));
  return [
    ...cleanSeries(job, (m) => m === taskDuration),
    ...seriesOf(taskDuration, job, ms),
    { __name__: tasks.prometheusName, job, instance: "i-1", task_status: "exploded" },
    { __name__: "scotty_cache_evictions_total", job, instance: "i-1" },
  ];
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function check(args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runCheck(args, {
    prog: "observability-stack check",
    argsPrefix: "",
    baseDir: __dirname,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    now: () => Date.UTC(2026, 11, 2, 9, 0, 0),
  });
  return { code, stdout, stderr };
}

async function json(store: FakeStore, args: string[]): Promise<{ run: Run; report: CheckReport }> {
  const run = await check(["--url", store.url, "--json", ...args]);
  return { run, report: JSON.parse(run.stdout) as CheckReport };
}

let store: FakeStore;
beforeAll(async () => {
  store = await startFakeStore({
    series: {
      scotty: cleanSeries("scotty"),
      "scotty-drift": driftSeries("scotty-drift"),
      // A counter never incremented: no series at all (the SDK exports a counter after its first add).
      "scotty-quiet": cleanSeries("scotty-quiet", (m) => m === scotty.byKey.websocketAuthFailures),
      "scotty-labels": [
        ...cleanSeries("scotty-labels", (m) => m === scotty.byKey.tasks),
        // tasks without its task.status, with a label nobody declared.
        { __name__: tasks.prometheusName, job: "scotty-labels", instance: "i-1", region: "eu" },
      ],
      "scotty-partial": cleanSeries("scotty-partial", (m) => m === taskDuration).concat(
        seriesOf(taskDuration, "scotty-partial", [`${taskDuration.prometheusName}_count`]),
      ),
    },
    answers: [{ match: "scotty_cpu_usage_percent", error: "unsupported function" }],
  });
});
afterAll(() => store.close());

describe("observability-stack check", () => {
  it("is clean (exit 0) when the job writes exactly the catalogue, and uses only the Prometheus API", async () => {
    store.requests.length = 0;
    const { run, report } = await json(store, ["--job", "scotty"]);
    // The fake refuses the cpu panel's queries: take those out, they are tested below.
    const rest = report.findings.filter((f) => f.kind !== "query-failed");
    expect(rest).toEqual([]);
    expect(report.summary.series).toBe(cleanSeries("scotty").length);
    expect(report.summary.metrics).toBe(scotty.list.length);
    expect(report.summary.queries).toBeGreaterThan(100);
    expect(run.stderr).toBe("");
    expect(new Set(store.requests)).toEqual(new Set(["/api/v1/series", "/api/v1/query"]));
  });

  it("reports a refused dashboard query as query-failed (drift, exit 1), with its panels", async () => {
    const { run, report } = await json(store, ["--job", "scotty"]);
    expect(run.code).toBe(1);
    const failed = report.findings.filter((f) => f.kind === "query-failed");
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) {
      expect(f.severity).toBe("error");
      expect(f.message).toContain("unsupported function");
      expect(f.series).toEqual(["scotty_cpu_usage_percent"]);
      expect(f.queries?.every((q) => q.dashboard.startsWith("scotty-"))).toBe(true);
    }
  });

  it("reports exactly the three drifts of the issue's drifting emitter, and exits 1", async () => {
    const { run, report } = await json(store, ["--job", "scotty-drift"]);
    expect(run.code).toBe(1);
    const rest = report.findings.filter((f) => f.kind !== "query-failed");
    expect(rest.map((f) => [f.kind, f.metric, f.label, f.series])).toEqual([
      [
        "name-mismatch",
        "scotty.task.duration",
        undefined,
        [
          "scotty_task_duration_milliseconds_bucket",
          "scotty_task_duration_milliseconds_count",
          "scotty_task_duration_milliseconds_sum",
        ],
      ],
      ["label-value-undeclared", "scotty.tasks", "task_status", undefined],
      ["unknown-series", undefined, undefined, ["scotty_cache_evictions_total"]],
    ]);
    const [mismatch, value, unknown] = rest;
    expect(mismatch?.closest?.reason).toMatch(
      /unit "ms" \(_milliseconds\) instead of the catalogue's "s" \(_seconds\)/,
    );
    expect(mismatch?.expected).toEqual([
      "scotty_task_duration_seconds_bucket",
      "scotty_task_duration_seconds_count",
      "scotty_task_duration_seconds_sum",
    ]);
    // The duration panels that show nothing are listed under the mismatch, not as findings of their own.
    expect(mismatch?.queries?.length).toBeGreaterThan(3);
    expect(mismatch?.queries?.every((q) => q.expr.includes("scotty_task_duration_seconds"))).toBe(true);
    expect(value?.values).toEqual(["exploded"]);
    expect(value?.message).toContain('"succeeded", "failed", "cancelled"');
    expect(unknown?.closest).toBeUndefined();
    expect(unknown?.severity).toBe("error");
  });

  it("prints the same findings as text, one line each, and the verdict", async () => {
    const run = await check(["--url", store.url, "--job", "scotty-drift"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ERROR {3}name-mismatch \[scotty-drift scotty\.task\.duration\] /m);
    expect(run.stdout).toMatch(
      /^ERROR {3}label-value-undeclared \[scotty-drift scotty\.tasks task_status\] /m,
    );
    expect(run.stdout).toMatch(
      /^ERROR {3}unknown-series \[scotty-drift\] job scotty-drift writes scotty_cache_evictions_total/m,
    );
    expect(run.stdout).toMatch(/^ {8}no data in \d+ panel queries: scotty-/m);
    expect(run.stdout).toMatch(/^check: drift found \(\d+ errors, 0 warnings\); exit 1$/m);
  });

  it("warns (exit 0) for a counter never incremented, and --strict makes that drift (exit 1)", async () => {
    const refuseNone = ["--job", "scotty-quiet"];
    const quiet = await startFakeStore({
      series: {
        "scotty-quiet": cleanSeries("scotty-quiet", (m) => m === scotty.byKey.websocketAuthFailures),
      },
    });
    try {
      const { run, report } = await json(quiet, refuseNone);
      const absent = report.findings.filter((f) => f.kind === "metric-absent");
      expect(absent.map((f) => [f.metric, f.severity])).toEqual([
        ["scotty.websocket_auth.failures", "warning"],
      ]);
      expect(absent[0]?.message).toContain("a counter that was never incremented has none");
      expect(report.findings.every((f) => f.severity === "warning")).toBe(true);
      expect(run.code).toBe(0);
      expect(report.status).toBe("clean");
      const strict = await json(quiet, [...refuseNone, "--strict"]);
      expect(strict.run.code).toBe(1);
      expect(strict.report.status).toBe("drift");
      expect((await check(["--url", quiet.url, ...refuseNone])).stdout).toContain(
        "--strict would count the warnings as drift",
      );
    } finally {
      await quiet.close();
    }
  });

  it("reports an undeclared label and a required attribute that never appears", async () => {
    const { report } = await json(store, ["--job", "scotty-labels"]);
    const of = report.findings.filter((f) => f.metric === "scotty.tasks");
    expect(of.map((f) => [f.kind, f.severity, f.label, f.values])).toEqual([
      ["label-undeclared", "error", "region", ["eu"]],
      ["attribute-absent", "error", "task_status", undefined],
    ]);
  });

  it("reports a histogram with some of its three series missing (series-absent)", async () => {
    const { report } = await json(store, ["--job", "scotty-partial"]);
    const f = report.findings.find((x) => x.kind === "series-absent");
    expect(f).toMatchObject({
      metric: "scotty.task.duration",
      series: ["scotty_task_duration_seconds_count"],
      expected: ["scotty_task_duration_seconds_bucket", "scotty_task_duration_seconds_sum"],
    });
    expect(f?.queries?.some((q) => q.expr.includes("_bucket"))).toBe(true);
  });

  it("gives the same JSON, byte for byte, whatever order the store answers in", async () => {
    const shuffled = await startFakeStore({
      series: { "scotty-drift": [...driftSeries("scotty-drift")].reverse() },
      answers: [{ match: "scotty_cpu_usage_percent", error: "unsupported function" }],
    });
    try {
      const a = (await json(store, ["--job", "scotty-drift"])).run.stdout;
      const b = (await json(shuffled, ["--job", "scotty-drift"])).run.stdout;
      expect(b.replace(shuffled.url, "URL")).toBe(a.replace(store.url, "URL"));
    } finally {
      await shuffled.close();
    }
  });

  describe("exit 2: could not check", () => {
    it("when the store is unreachable, with the fix, and as JSON with --json", async () => {
      const run = await check(["--url", "http://127.0.0.1:9", "--json"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9 .*Fix: start the store/);
      const failure = JSON.parse(run.stdout) as CheckFailure;
      expect(failure).toMatchObject({ version: 1, status: "error", exitCode: 2 });
      expect(failure.error).toContain("cannot reach");
    });

    it("when the job has no series, naming the jobs the store has", async () => {
      const run = await check(["--url", store.url, "--job", "nope"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('no series of job "nope"');
      expect(run.stderr).toContain("scotty, scotty-drift, scotty-labels");
    });

    it("when the URL is not a Prometheus API", async () => {
      const run = await check(["--url", `${store.url}/elsewhere`]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("without a Prometheus API body");
    });

    it("when the catalogue module does not load", async () => {
      const run = await check(["--url", store.url, "--definitions", "./no-such-catalogue.ts"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('cannot find the definitions module "./no-such-catalogue.ts"');
    });

    it("for bad arguments, with the usage", async () => {
      for (const args of [["--since", "5x"], ["--bogus"], ["--job"]]) {
        const run = await check(args);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("usage: observability-stack check");
      }
    });
  });

  it("--help prints the usage with the exit codes (exit 0)", async () => {
    const run = await check(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("exit codes: 0 clean, 1 drift found, 2 could not check");
  });
});
