// Public entry point of `observability-stack/dashboards`: Grafana dashboards and provisioning files
// generated from metric catalogues. Pure functions; writing files is the caller's job.
export { buildDashboards, DASHBOARD_TAG, dashboardUid, DEFAULT_DASHBOARD_OPTIONS } from "./build";
export type { DashboardOptions, GeneratedDashboard } from "./build";
export { dashboardQueries, DEFAULT_VARIABLE_VALUES, substituteVariables, templateVariables } from "./inspect";
export type { TemplateVariable } from "./inspect";
export {
  dashboardProviderYaml,
  datasources,
  datasourcesYaml,
  DEFAULT_GRAFANA_PROVISIONING,
  JAEGER_DATASOURCE_UID,
  VICTORIAMETRICS_DATASOURCE_UID,
} from "./provisioning";
export type { DatasourceDefinition, GrafanaProvisioningOptions } from "./provisioning";
export { canonicalJson, serializeDashboard } from "./serialize";
export { withoutZeroFallbacks, ZERO_FALLBACK } from "./queries";
export type { Measure, MeasureFilter } from "./measure";
export type { PlacedPanel } from "./layout";
export { rateUnit, valueUnit } from "./units";
export { BURN_RATE_UNIT, DEFAULT_SLO_DASHBOARD_OPTIONS, sloDashboards, sloDashboardUid } from "./slo";
export type { SloDashboardOptions } from "./slo";
