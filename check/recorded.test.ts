// `check` on answers recorded from a real VictoriaMetrics (check/__fixtures__/recorded, written by
// test/e2e/check-record.ts from the real collector fed by the example app and by plain-SDK emitters
// that drift on purpose): each finding the issue lists, each exit code, --strict.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPLAY_ORIGIN, replayFetch, type Recording } from "./__fixtures__/recording";
import { runCheck } from "./command";
import type { CheckReport, Finding } from "./model";

const FIXTURES = path.join(__dirname, "__fixtures__");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  misses: string[];
}

function load(name: string): Recording {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, "recorded", `${name}.json`), "utf8")) as Recording;
}

async function replay(name: string, extra: string[] = []): Promise<Run> {
  const rec = load(name);
  const { fetch, misses } = replayFetch(rec);
  let stdout = "";
  let stderr = "";
  const code = await runCheck(["--url", `${REPLAY_ORIGIN}${rec.urlPath}`, ...rec.args, ...extra], {
    prog: "observability-stack check",
    argsPrefix: "",
    baseDir: FIXTURES,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    fetch,
    now: () => rec.now,
  });
  return { code, stdout, stderr, misses };
}

/** The JSON report of a replay; every request must have been recorded (else: re-record). */
async function report(name: string, extra: string[] = []): Promise<{ run: Run; report: CheckReport }> {
  const run = await replay(name, ["--json", ...extra]);
  expect(run.misses).toEqual([]);
  return { run, report: JSON.parse(run.stdout) as CheckReport };
}

const brief = (f: Finding) => [f.kind, f.severity, f.metric, f.label, f.values ?? f.series];

describe("check on recorded VictoriaMetrics answers", () => {
  it("were recorded from a real VictoriaMetrics, for every request check makes", () => {
    for (const name of fs.readdirSync(path.join(FIXTURES, "recorded"))) {
      const rec = load(name.replace(/\.json$/, ""));
      expect(rec.store).toMatch(/victoria-metrics.*v1\.\d+\.\d+/);
      expect(rec.exchanges.length).toBeGreaterThan(0);
    }
  });

  describe("exit 0: clean", () => {
    it("for the example app on this package's module (scotty, every dashboard query answered)", async () => {
      const { run, report: r } = await report("scotty-clean");
      expect(r.findings).toEqual([]);
      expect(run.code).toBe(0);
      expect(r).toMatchObject({ status: "clean", exitCode: 0, jobs: ["scotty"], catalogue: "scotty" });
      expect(r.summary.queries).toBeGreaterThan(100);
      expect(r.summary.queriesEmpty).toBe(0);
      expect(r.summary.series).toBeGreaterThan(100);
    });

    it("for a plain-SDK service that records a user's catalogue as METRICS.md says", async () => {
      const { run, report: r } = await report("shop-clean");
      expect(r.findings).toEqual([]);
      expect(run.code).toBe(0);
      expect(r.catalogue).toBe("shop");
    });
  });

  describe("missing series", () => {
    it("a counter never incremented is a warning that says so (exit 0); --strict makes it drift (exit 1)", async () => {
      const { run, report: r } = await report("shop-quiet");
      expect(r.findings.map(brief)).toEqual([
        ["metric-absent", "warning", "shop.refunds", undefined, undefined],
      ]);
      const [absent] = r.findings;
      expect(absent?.expected).toEqual(["shop_refunds_total"]);
      expect(absent?.message).toContain(
        "a counter that was never incremented has none (the SDK exports it after its first add)",
      );
      // Its panels show nothing, and are listed under the finding rather than as findings of their own.
      expect(absent?.queries?.map((q) => q.panel)).toEqual(["Refunds /s", "Refunds /s by instance"]);
      expect(run.code).toBe(0);
      expect(r.status).toBe("clean");

      const strict = await report("shop-quiet", ["--strict"]);
      expect(strict.run.code).toBe(1);
      expect(strict.report).toMatchObject({ status: "drift", exitCode: 1, strict: true });
      expect(strict.report.findings).toEqual(r.findings);

      const text = await replay("shop-quiet");
      expect(text.stdout).toMatch(/^WARNING metric-absent \[shop-quiet shop\.refunds\] .*never incremented/m);
      expect(text.stdout).toMatch(
        /^check: clean \(0 errors, 1 warning; --strict would count the warnings as drift\); exit 0$/m,
      );
    });

    it("any other metric missing is an error", async () => {
      const { report: r } = await report("shop-drift");
      const absent = r.findings.find((f) => f.kind === "metric-absent");
      expect(absent).toMatchObject({
        severity: "error",
        metric: "shop.cart.items",
        expected: ["shop_cart_items"],
      });
      expect(absent?.message).toContain("Fix: record it in the app");
    });
  });

  describe("series the catalogue does not define", () => {
    it("the issue's drifting emitter: exactly a wrong unit, an undeclared label value and an unknown metric (exit 1)", async () => {
      const { run, report: r } = await report("scotty-drift");
      expect(r.findings.map(brief)).toEqual([
        [
          "name-mismatch",
          "error",
          "scotty.task.duration",
          undefined,
          [
            "scotty_task_duration_milliseconds_bucket",
            "scotty_task_duration_milliseconds_count",
            "scotty_task_duration_milliseconds_sum",
          ],
        ],
        ["label-value-undeclared", "error", "scotty.tasks", "task_status", ["exploded"]],
        ["unknown-series", "error", undefined, undefined, ["scotty_cache_evictions_total"]],
      ]);
      expect(run.code).toBe(1);
      expect(r.status).toBe("drift");
      const [mismatch, , unknown] = r.findings;
      expect(mismatch?.closest).toEqual({
        metric: "scotty.task.duration",
        expected: [
          "scotty_task_duration_seconds_bucket",
          "scotty_task_duration_seconds_count",
          "scotty_task_duration_seconds_sum",
        ],
        reason: expect.stringContaining(
          `sent with unit "ms" (_milliseconds) instead of the catalogue's "s" (_seconds)`,
        ),
      });
      // The duration panels that show nothing are listed under the mismatch.
      expect(mismatch?.queries?.length).toBeGreaterThan(3);
      expect(mismatch?.queries?.every((q) => q.expr.includes("scotty_task_duration_seconds"))).toBe(true);
      expect(unknown?.closest).toBeUndefined();
      expect(unknown?.message).toContain("no catalogue metric resembles");
    });

    it("names the closest catalogue metric for _milliseconds vs _seconds and for a missing _total", async () => {
      const { run, report: r } = await report("shop-drift");
      const of = (kind: string) => r.findings.filter((f) => f.kind === kind);
      expect(of("name-mismatch").map((f) => [f.metric, f.series, f.closest?.reason])).toEqual([
        [
          "shop.checkout.duration",
          [
            "shop_checkout_duration_milliseconds_bucket",
            "shop_checkout_duration_milliseconds_count",
            "shop_checkout_duration_milliseconds_sum",
          ],
          `sent with unit "ms" (_milliseconds) instead of the catalogue's "s" (_seconds)`,
        ],
        [
          "shop.orders",
          ["shop_orders"],
          "sent as an up-down counter instead of a counter; a counter's series ends in _total",
        ],
      ]);
      expect(of("unknown-series").map((f) => [f.series, f.closest])).toEqual([
        [["shop_coupons_redeemed_total"], undefined],
      ]);
      // The error-ratio panels read shop_orders_total: empty because of the mismatch, listed under it.
      const orders = of("name-mismatch")[1];
      expect(orders?.queries?.some((q) => q.panel === "Error ratio")).toBe(true);
      expect(of("query-empty")).toEqual([]);
      expect(run.code).toBe(1);
    });
  });

  describe("labels", () => {
    it("undeclared label names and values, an open attribute over maxValues, a declared attribute never seen", async () => {
      const { run, report: r } = await report("shop-labels");
      const labels = r.findings.filter((f) => f.kind !== "query-empty");
      expect(labels.map(brief)).toEqual([
        ["attribute-absent", "error", "shop.checkout.duration", "payment_method", undefined],
        ["label-undeclared", "error", "shop.orders", "channel", ["mobile"]],
        ["label-value-undeclared", "error", "shop.orders", "payment_method", ["crypto"]],
        ["label-values-over-limit", "error", "shop.orders", "region", ["asia", "eu", "us"]],
      ]);
      const msg = (kind: string) => labels.find((f) => f.kind === kind)?.message ?? "";
      expect(msg("label-value-undeclared")).toContain(
        'not among the declared values "card", "invoice" of payment.method',
      );
      expect(msg("label-values-over-limit")).toContain(
        "3 values of region for job shop-labels, more than the maxValues 2",
      );
      expect(msg("label-undeclared")).toContain('Fix: declare the attribute "channel" on shop.orders');
      expect(msg("attribute-absent")).toContain("never carries its attribute payment.method");
      expect(run.code).toBe(1);
    });
  });

  describe("dashboard queries that return nothing", () => {
    it("a filter on a value no series has is a warning naming the filter and the metric", async () => {
      const { report: r } = await report("shop-labels");
      const empty = r.findings.filter((f) => f.kind === "query-empty");
      expect(
        empty.map((f) => [f.severity, f.series, f.queries?.map((q) => `${q.dashboard} ${q.panel}`)]),
      ).toEqual([
        ["warning", ["shop_orders_total"], ["shop-orders Error ratio", "shop-overview Error ratio"]],
        ["warning", ["shop_orders_total"], ["shop-orders Error ratio by instance"]],
      ]);
      for (const f of empty)
        expect(f.message).toContain(
          'a dashboard query of shop.orders returns nothing for job shop-labels: no series has outcome=~"declined"',
        );
      expect(r.summary.queriesEmpty).toBe(3);
    });
  });

  describe("exit 2: could not check", () => {
    it("when the store has no series of the job, naming the jobs it has", async () => {
      const run = await replay("no-such-job");
      expect(run.misses).toEqual([]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /no series of job "shop-nobody" between .* \(its jobs then: .*shop, shop-drift, shop-labels, shop-quiet/,
      );
      expect(run.stdout).toBe("");
      const json = await replay("no-such-job", ["--json"]);
      expect(JSON.parse(json.stdout)).toMatchObject({ version: 1, status: "error", exitCode: 2 });
    });

    it("when --url is not the store's API root", async () => {
      const run = await replay("not-the-api");
      expect(run.misses).toEqual([]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("Fix: --url must be the base URL of VictoriaMetrics or Prometheus");
    });
  });

  it("prints the findings as text, one line each, with the verdict", async () => {
    const run = await replay("scotty-drift");
    expect(run.misses).toEqual([]);
    expect(run.code).toBe(1);
    const findings = run.stdout.split("\n").filter((l) => /^(ERROR|WARNING)/.test(l));
    expect(findings.map((l) => l.slice(0, l.indexOf("]") + 1))).toEqual([
      "ERROR   name-mismatch [scotty-drift scotty.task.duration]",
      "ERROR   label-value-undeclared [scotty-drift scotty.tasks task_status]",
      "ERROR   unknown-series [scotty-drift]",
    ]);
    expect(run.stdout).toMatch(/^check: drift found \(3 errors, 0 warnings\); exit 1$/m);
  });
});
