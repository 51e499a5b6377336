// Loads a user's catalogue module by path: shared by `npm run render -- --definitions` and the Pulumi
// program's `definitions` config. The one place outside scripts/ and stack/ that does I/O on purpose.
import { createRequire } from "node:module";
import * as path from "node:path";
import { isCatalogue, scotty } from "../definitions";
import type { Catalogue } from "../definitions";

/** A definitions module that cannot be used; the message names it and the fix. */
export class CatalogueModuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CatalogueModuleError";
  }
}

/**
 * "scotty" (or nothing) is the built-in catalogue; anything else is a .ts or .js module, resolved from
 * `baseDir`, whose default export (or export named `catalogue`) is made by defineMetrics.
 */
export function loadCatalogue(
  spec: string | undefined,
  baseDir: string,
): { catalogue: Catalogue; source: string } {
  if (spec === undefined || spec === "scotty") return { catalogue: scotty, source: "built-in scotty" };
  const abs = path.resolve(baseDir, spec);
  const req = createRequire(path.join(baseDir, "noop.js"));
  let resolved: string;
  try {
    resolved = req.resolve(abs);
  } catch {
    throw new CatalogueModuleError(
      `cannot find the definitions module "${spec}" (looked for ${abs}, with .ts and .js). ` +
        `Fix: pass the path of a .ts or .js file, relative to ${baseDir}.`,
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = req(resolved) as Record<string, unknown>;
  } catch (e) {
    const err = e as Error;
    if (err.name === "DefinitionError") {
      throw new CatalogueModuleError(`the catalogue in "${spec}" is invalid. ${err.message}`);
    }
    throw new CatalogueModuleError(
      `loading the definitions module "${spec}" failed: ${err.name}: ${err.message.split("\n")[0]}. ` +
        `Fix: make the module load on its own (node -r ts-node/register ${spec}).`,
    );
  }
  const candidates: [string, unknown][] = [
    ["default export", mod.default],
    ['export "catalogue"', mod.catalogue],
  ];
  const found = candidates.find(([, v]) => isCatalogue(v));
  if (found === undefined) {
    const exports = Object.keys(mod).filter((k) => k !== "__esModule");
    throw new CatalogueModuleError(
      `the module "${spec}" has no catalogue as its default export or as an export named "catalogue" ` +
        `(its exports: ${exports.length > 0 ? exports.join(", ") : "none"}). ` +
        `Fix: \`export default defineMetrics({ … })\` or \`export const catalogue = defineMetrics({ … })\`.`,
    );
  }
  return { catalogue: found[1] as Catalogue, source: `${spec} (${found[0]})` };
}
