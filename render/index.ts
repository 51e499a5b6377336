// Public entry point of render/: every generated artifact of the stack, as typed data
// (renderArtifacts) and as files (renderFiles). Pure: no I/O. Loading a user's catalogue module
// (render/load.ts) does I/O and is imported by path by the CLI and the stack, not from here.
export { renderArtifacts } from "./artifacts";
export type { DashboardArtifact, RenderOptions, StackArtifacts } from "./artifacts";
export { catalogueDocument, metricsJson, metricsMarkdown } from "./documents";
export type { CatalogueDocument, MetricDocument } from "./documents";
export { artifactFiles, RENDERED_PATHS, renderFiles, renderStats } from "./files";
export type { RenderedFile, RenderStats } from "./files";
