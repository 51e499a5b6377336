// `observability-stack check` (and `npm run check -- …` here): the catalogue against what a running
// VictoriaMetrics or Prometheus holds. Exit 0 clean, 1 drift found, 2 could not check.
import { loadCatalogue } from "../render/load";
import { analyze } from "./analyze";
import { gather } from "./gather";
import { catalogueQueries } from "./queries";
import { buildReport, failureReport, textReport } from "./report";
import { PrometheusApi, type FetchLike } from "./store";

/** The stack's VictoriaMetrics on this machine. */
export const DEFAULT_CHECK_URL = "http://127.0.0.1:8428";
export const DEFAULT_SINCE = "1h";

export interface CheckContext {
  /** The command as the user typed it: "observability-stack check" or "npm run check". */
  readonly prog: string;
  /** What comes between the command and its flags ("--" for an npm script). */
  readonly argsPrefix: string;
  /** Where a relative --definitions path starts. */
  readonly baseDir: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
}

function usage(ctx: CheckContext): string {
  return `usage: ${ctx.prog}${ctx.argsPrefix === "" ? "" : ` ${ctx.argsPrefix}`} [--definitions <module>] [--url <url>] [--job <job>]... [--since <duration>] [--json] [--strict]
  --definitions <module>  a .ts or .js module whose default export (or export "catalogue") is a
                          catalogue from defineMetrics(); default: the built-in "scotty" catalogue
  --url <url>             base URL of VictoriaMetrics or any Prometheus-API store; default: ${DEFAULT_CHECK_URL}
  --job <job>             the job label (the app's service.name) to check; repeat for more;
                          default: the catalogue's name
  --since <duration>      how far back series and dashboard queries are read: 30m, 6h, 2d; default: ${DEFAULT_SINCE}
  --json                  print the report as JSON (stable field names, sorted findings)
  --strict                count warnings (a counter never incremented, …) as drift
  --help, -h              this text
exit codes: 0 clean, 1 drift found, 2 could not check (bad arguments or catalogue, store unreachable,
no series for a job)`;
}

class UsageError extends Error {}

interface Args {
  definitions?: string;
  url: string;
  jobs: string[];
  since: string;
  sinceSec: number;
  json: boolean;
  strict: boolean;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

function durationSeconds(v: string): number {
  const m = /^(\d+)([smhdw])$/.exec(v);
  if (m === null || Number(m[1]) === 0) {
    throw new UsageError(`--since "${v}" is not a duration. Fix: a number and a unit, such as 30m, 6h or 2d`);
  }
  return Number(m[1]) * (UNIT_SECONDS[m[2] as string] as number);
}

const VALUE_FLAGS = new Set(["--definitions", "--url", "--job", "--since"]);

function parseArgs(argv: readonly string[]): Args | "help" {
  const args: Args = {
    url: DEFAULT_CHECK_URL,
    jobs: [],
    since: DEFAULT_SINCE,
    sinceSec: 3600,
    json: false,
    strict: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--json") {
      args.json = true;
      continue;
    }
    if (arg === "--strict") {
      args.strict = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_FLAGS.has(flag)) throw new UsageError(`unknown argument "${arg}"`);
    const value = eq > 0 && flag !== arg ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === "" || value.startsWith("--"))
      throw new UsageError(`${flag} needs a value`);
    if (flag === "--definitions") args.definitions = value;
    else if (flag === "--url") args.url = value;
    else if (flag === "--job") args.jobs.push(value);
    else {
      args.since = value;
      args.sinceSec = durationSeconds(value);
    }
  }
  return args;
}

/**
 * Runs a check with `argv` (the flags after the command) and resolves to its exit code: 0 clean,
 * 1 drift found, 2 could not check (the reason and the fix on stderr; with --json also as JSON on
 * stdout). Never rejects for bad input or an unreachable store.
 */
export async function runCheck(argv: readonly string[], ctx: CheckContext): Promise<number> {
  let args: Args | "help";
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.stderr(`check: ${e.message}\n${usage(ctx)}\n`);
      if (argv.includes("--json")) ctx.stdout(`${JSON.stringify(failureReport(e.message), null, 2)}\n`);
      return 2;
    }
    throw e;
  }
  if (args === "help") {
    ctx.stdout(`${usage(ctx)}\n`);
    return 0;
  }
  try {
    const { catalogue } = loadCatalogue(args.definitions, ctx.baseDir);
    const jobs = args.jobs.length > 0 ? [...new Set(args.jobs)] : [catalogue.name];
    const api = new PrometheusApi({ url: args.url, ...(ctx.fetch !== undefined && { fetch: ctx.fetch }) });
    const end = Math.floor((ctx.now ?? Date.now)() / 1000);
    const start = end - args.sinceSec;
    const queries = catalogueQueries(catalogue);
    // About 200 points per query whatever the window; never finer than 15 s (a typical scrape/export interval).
    const stepSec = Math.max(15, Math.ceil(args.sinceSec / 200));
    const snapshot = await gather(api, { jobs, queries, start, end, stepSec });
    const findings = analyze(catalogue, snapshot, `the last ${args.since}`);
    const report = buildReport({
      catalogue: catalogue.name,
      url: args.url,
      jobs,
      start,
      end,
      since: args.since,
      strict: args.strict,
      metrics: catalogue.list.length * jobs.length,
      series: snapshot.jobs.reduce((n, j) => n + j.series.length, 0),
      queries: queries.length * jobs.length,
      queriesEmpty: snapshot.jobs
        .flatMap((j) => j.queries)
        .filter((q) => q.error !== undefined || q.series === 0)
        .reduce((n, q) => n + q.refs.length, 0),
      findings,
    });
    ctx.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : textReport(report));
    return report.exitCode;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    ctx.stderr(`check: could not check: ${message}\n`);
    if (args.json) ctx.stdout(`${JSON.stringify(failureReport(message), null, 2)}\n`);
    return 2;
  }
}
