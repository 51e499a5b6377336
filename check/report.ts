// The report of a check, as JSON (model.ts: CheckReport) and as text for people. Pure.
import type { CheckFailure, CheckReport, Finding } from "./model";

export interface ReportInput {
  readonly catalogue: string;
  readonly url: string;
  readonly jobs: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly since: string;
  readonly strict: boolean;
  readonly metrics: number;
  readonly series: number;
  /** Dashboard panel targets run, over all jobs; of those, the ones with no data or refused. */
  readonly queries: number;
  readonly queriesEmpty: number;
  readonly findings: readonly Finding[];
}

/** 1 (drift) when there is an error, or a warning under `strict`; else 0. */
export function exitCodeOf(findings: readonly Finding[], strict: boolean): 0 | 1 {
  return findings.some((f) => f.severity === "error" || strict) ? 1 : 0;
}

export function buildReport(i: ReportInput): CheckReport {
  const exitCode = exitCodeOf(i.findings, i.strict);
  return {
    version: 1,
    status: exitCode === 0 ? "clean" : "drift",
    exitCode,
    strict: i.strict,
    catalogue: i.catalogue,
    url: i.url,
    jobs: i.jobs,
    window: {
      start: new Date(i.start * 1000).toISOString(),
      end: new Date(i.end * 1000).toISOString(),
      since: i.since,
    },
    summary: {
      errors: i.findings.filter((f) => f.severity === "error").length,
      warnings: i.findings.filter((f) => f.severity === "warning").length,
      metrics: i.metrics,
      series: i.series,
      queries: i.queries,
      queriesEmpty: i.queriesEmpty,
    },
    findings: i.findings,
  };
}

export function failureReport(message: string): CheckFailure {
  return { version: 1, status: "error", exitCode: 2, error: message };
}

function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** Dashboard queries listed per finding in the text report; the JSON has all. */
const QUERIES_SHOWN = 3;

export function textReport(r: CheckReport): string {
  const lines: string[] = [
    `check: catalogue ${r.catalogue} against ${r.url}, ${r.jobs.length === 1 ? "job" : "jobs"} ${r.jobs.join(", ")}, ` +
      `${r.window.start} to ${r.window.end} (--since ${r.window.since})`,
    `check: ${plural(r.summary.series, "series", "series")} read, ${plural(r.summary.metrics, "metric")} checked, ` +
      `${plural(r.summary.queries, "dashboard query", "dashboard queries")} run (${r.summary.queriesEmpty} with no data)`,
  ];
  for (const f of r.findings) {
    const where = [f.job, f.metric, f.label].filter((x) => x !== undefined).join(" ");
    lines.push(`${f.severity === "error" ? "ERROR  " : "WARNING"} ${f.kind} [${where}] ${f.message}`);
    const qs = f.queries ?? [];
    if (qs.length > 0 && f.kind !== "query-failed") {
      const shown = qs.slice(0, QUERIES_SHOWN).map((q) => `${q.dashboard} "${q.panel}"`);
      const more = qs.length > QUERIES_SHOWN ? ` and ${qs.length - QUERIES_SHOWN} more` : "";
      lines.push(
        `        no data in ${plural(qs.length, "panel query", "panel queries")}: ${shown.join(", ")}${more}`,
      );
    }
  }
  const counts = `${plural(r.summary.errors, "error")}, ${plural(r.summary.warnings, "warning")}`;
  if (r.status === "clean") {
    const hint = r.summary.warnings > 0 ? "; --strict would count the warnings as drift" : "";
    lines.push(`check: clean (${counts}${hint}); exit 0`);
  } else {
    lines.push(`check: drift found (${counts}${r.strict ? ", --strict" : ""}); exit 1`);
  }
  return `${lines.join("\n")}\n`;
}
