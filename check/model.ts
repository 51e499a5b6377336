// The findings of `observability-stack check` and the report it prints as JSON. Field names and the
// order of findings are stable: CI scripts read them (README, "observability-stack check").

/** How bad a finding is: errors are drift; warnings are drift only under `--strict`. */
export type Severity = "error" | "warning";

/**
 * What a finding is about. Stable strings, part of the JSON output:
 * - `metric-absent`: a catalogue metric has no series for the job;
 * - `series-absent`: some of a histogram's `_bucket`/`_sum`/`_count` series are there, others not;
 * - `name-mismatch`: a catalogue metric is absent and the job writes a series that looks like it
 *   under another unit, kind or suffix (`_milliseconds` for `_seconds`, no `_total`);
 * - `unknown-series`: the job writes a series the catalogue does not define;
 * - `label-undeclared`: a series of a catalogue metric carries a label the metric does not declare;
 * - `label-value-undeclared`: a value of a closed attribute (one with `values`) is not declared;
 * - `label-values-over-limit`: an open attribute (`maxValues`) takes more values than its bound;
 * - `attribute-absent`: a declared attribute appears on no series of its metric;
 * - `query-empty`: a dashboard query returns nothing (reported on its own only when no finding
 *   about the metric it needs explains it; otherwise it is listed under that finding's `queries`);
 * - `query-failed`: the store refused a dashboard query.
 */
export type FindingKind =
  | "metric-absent"
  | "series-absent"
  | "name-mismatch"
  | "unknown-series"
  | "label-undeclared"
  | "label-value-undeclared"
  | "label-values-over-limit"
  | "attribute-absent"
  | "query-empty"
  | "query-failed";

/** Sort rank of the kinds within one metric (a metric's absence before its labels). */
export const FINDING_KINDS: readonly FindingKind[] = [
  "metric-absent",
  "series-absent",
  "name-mismatch",
  "unknown-series",
  "label-undeclared",
  "label-value-undeclared",
  "label-values-over-limit",
  "attribute-absent",
  "query-empty",
  "query-failed",
];

/** A dashboard query, by where it is shown. */
export interface QueryRef {
  /** Dashboard uid (`scotty-tasks`). */
  readonly dashboard: string;
  /** Panel title. */
  readonly panel: string;
  /** The query as the dashboard holds it (with `$job`, `$__rate_interval`). */
  readonly expr: string;
}

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: Severity;
  /** The `job` label (the OTel `service.name`) the finding is about. */
  readonly job: string;
  /** The catalogue metric's OTel name, when the finding is about one. */
  readonly metric?: string;
  /** Series names in the store this finding is about (the unknown or mis-named ones), sorted. */
  readonly series?: readonly string[];
  /** Series names the catalogue expects, when they are missing, sorted. */
  readonly expected?: readonly string[];
  /** The label (Prometheus name) for label findings. */
  readonly label?: string;
  /** Label values, sorted: the undeclared ones, or all seen for `label-values-over-limit`. */
  readonly values?: readonly string[];
  /** For `unknown-series` / `name-mismatch`: the catalogue metric it most likely is, and why. */
  readonly closest?: {
    readonly metric: string;
    readonly expected: readonly string[];
    readonly reason: string;
  };
  /** Dashboard queries that return nothing because of this finding (or, for `query-*`, the query). */
  readonly queries?: readonly QueryRef[];
  /** One sentence for people: what is wrong and, where there is one, the fix. */
  readonly message: string;
}

/** The JSON document `check --json` prints (exit 0 or 1). */
export interface CheckReport {
  /** Version of this shape; bumped on an incompatible change. */
  readonly version: 1;
  readonly status: "clean" | "drift";
  readonly exitCode: 0 | 1;
  readonly strict: boolean;
  /** Catalogue name. */
  readonly catalogue: string;
  readonly url: string;
  readonly jobs: readonly string[];
  /** The window series and queries were read over (ISO 8601, UTC), and its length as given. */
  readonly window: { readonly start: string; readonly end: string; readonly since: string };
  readonly summary: {
    readonly errors: number;
    readonly warnings: number;
    /** Catalogue metrics × jobs. */
    readonly metrics: number;
    /** Distinct series (label sets) read for the jobs. */
    readonly series: number;
    /** Dashboard queries run (× jobs). */
    readonly queries: number;
    /** Of those, the ones that returned nothing or failed. */
    readonly queriesEmpty: number;
  };
  readonly findings: readonly Finding[];
}

/** The JSON document `check --json` prints when it could not check (exit 2). */
export interface CheckFailure {
  readonly version: 1;
  readonly status: "error";
  readonly exitCode: 2;
  readonly error: string;
}
