import * as path from "node:path";
import { isCatalogue, scotty } from "../definitions";
import type { Catalogue } from "../definitions";

/**
 * Loads the catalogue named by config: "scotty" (built in) or a module path, resolved from `cwd`,
 * whose default export (or `catalogue` export) is made by defineMetrics.
 */
export function loadCatalogue(spec: string, cwd: string = process.cwd()): Catalogue {
  if (spec === "scotty") return scotty;
  const file = path.resolve(cwd, spec);
  let mod: Record<string, unknown>;
  try {
    mod = require(file) as Record<string, unknown>; // eslint-disable-line @typescript-eslint/no-require-imports
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "MODULE_NOT_FOUND" && String(err.message).includes(file)) {
      throw new Error(
        `Config observability-stack:definitions: no module at ${file}. Fix: give "scotty" or the path of your definitions module.`,
      );
    }
    throw new Error(`Config observability-stack:definitions: loading ${file} failed: ${err.message}`);
  }
  const candidate = mod.default ?? mod.catalogue;
  if (!isCatalogue(candidate)) {
    throw new Error(
      `Config observability-stack:definitions: ${file} has no catalogue as its default export. ` +
        "Fix: `export default defineMetrics({...})`.",
    );
  }
  return candidate;
}
