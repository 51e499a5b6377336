import type { Catalogue } from "../definitions";
import { loadCatalogue } from "../render/load";

/**
 * The catalogue named by config: "scotty" (built in) or a module path, resolved from `cwd` (the
 * Pulumi project folder), whose default export (or `catalogue` export) is made by defineMetrics.
 */
export function loadConfiguredCatalogue(spec: string, cwd: string = process.cwd()): Catalogue {
  try {
    return loadCatalogue(spec, cwd).catalogue;
  } catch (e) {
    throw new Error(`Config observability-stack:definitions: ${(e as Error).message}`);
  }
}
