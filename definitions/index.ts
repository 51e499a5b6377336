// Public entry point of `observability-stack/definitions`. Must never import @pulumi/*.
export { defineMetrics, isCatalogue } from "./define";
export {
  labelName,
  nameTokens,
  PER_UNIT_WORDS,
  prometheusName,
  seriesNames,
  UNIT_WORDS,
  unitSuffixes,
} from "./naming";
export { hostmetrics } from "./hostmetrics";
export { otelcol } from "./otelcol";
export { scotty } from "./scotty";
export {
  DEFAULT_CARDINALITY_LIMIT,
  DEFAULT_SERIES_BUDGET,
  DefinitionError,
  validateCatalogue,
} from "./validate";
export { METRIC_KINDS } from "./types";
export type {
  AttributeSpec,
  AttributesOf,
  Catalogue,
  CatalogueSpec,
  GroupSpec,
  MetricKind,
  MetricSpec,
  NamingMode,
  ResolvedAttribute,
  ResolvedGroup,
  ResolvedMetric,
} from "./types";
