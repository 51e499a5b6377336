// Public entry point of render/: assembles every generated file. Pure; writing is scripts/render.ts'.
export { catalogueDocument, metricsJson, metricsMarkdown } from "./documents";
export type { CatalogueDocument, MetricDocument } from "./documents";
export { RENDERED_PATHS, renderFiles, renderStats } from "./files";
export type { RenderedFile, RenderOptions, RenderStats } from "./files";
