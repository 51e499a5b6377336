// `observability-stack check`: a catalogue against what a running metrics store holds.
export { analyze, MAX_VALUES_SHOWN, PIPELINE_LABEL_PREFIX, PIPELINE_LABELS, sortFindings } from "./analyze";
export { alternativeNames, closestMetric } from "./closest";
export type { Closest } from "./closest";
export { DEFAULT_CHECK_URL, DEFAULT_SINCE, runCheck } from "./command";
export type { CheckContext } from "./command";
export { gather } from "./gather";
export type { GatherOptions, JobSnapshot, QueryAnswer, Snapshot } from "./gather";
export { FINDING_KINDS } from "./model";
export type { CheckFailure, CheckReport, Finding, FindingKind, QueryRef, Severity } from "./model";
export {
  catalogueQueries,
  CHECK_RATE_INTERVAL,
  promRegexLiteral,
  queryForJob,
  referencedSeries,
  valueFilters,
} from "./queries";
export { buildReport, exitCodeOf, failureReport, textReport } from "./report";
export type { ReportInput } from "./report";
export { PrometheusApi, QueryError, StoreError } from "./store";
export type { FetchLike, Labels, StoreOptions } from "./store";
