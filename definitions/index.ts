// Public entry point of `observability-stack/definitions`. Must never import @pulumi/*.
export { defineMetrics, isCatalogue } from "./define";
export {
  ALERT_SEVERITIES,
  DEFAULT_ALERT_WINDOW,
  DEFAULT_OBJECTIVE_WINDOW,
  defineAlerting,
  durationSeconds,
  FASTEST_BURN_RATE,
  formatDuration,
  goFloatString,
  hasAlerting,
  MIN_OBJECTIVE_WINDOW_SECONDS,
} from "./alerting";
export type {
  AlertDuration,
  AlertingCatalogue,
  AlertingSpec,
  AlertMeasure,
  AlertSeverity,
  AlertSpec,
  AlertThreshold,
  AttributeFilter,
  AttributeKeyOf,
  AvailabilityObjectiveSpec,
  LabelMatch,
  LatencyObjectiveSpec,
  ObjectiveSpec,
  ResolvedAlert,
  ResolvedAlerting,
  ResolvedAvailabilitySli,
  ResolvedLatencySli,
  ResolvedObjective,
} from "./alerting";
export {
  labelName,
  nameTokens,
  PER_UNIT_WORDS,
  prometheusName,
  seriesNames,
  UNIT_WORDS,
  unitSuffixes,
} from "./naming";
export { countSeries, kindFacts, kindPhrases, KINDS, kindSeries, kindsWhere } from "./kinds";
export type { KindFacts } from "./kinds";
export { hostmetrics } from "./hostmetrics";
export { otelcol } from "./otelcol";
export { scotty } from "./scotty";
export { scottyAlerting } from "./scotty-alerting";
export {
  DEFAULT_CARDINALITY_LIMIT,
  DEFAULT_SERIES_BUDGET,
  DefinitionError,
  observedByProblem,
  validateCatalogue,
} from "./validate";
export { METRIC_KINDS, PROCESS_MEMORY_TYPES, SYSTEM_SOURCES } from "./types";
export type {
  AttributeSpec,
  AttributesOf,
  AttributesOfMetric,
  Catalogue,
  CatalogueSpec,
  GroupSpec,
  MetricKind,
  MetricSpec,
  NamingMode,
  NoAttributesDeclaredBy,
  ProcessMemoryType,
  RequiresAttributes,
  ResolvedAttribute,
  ResolvedGroup,
  ResolvedMetric,
  SystemSource,
} from "./types";
