// Loads a user's catalogue module by path: shared by the render CLI (`observability-stack render`,
// `npm run render`) and the Pulumi program's `definitions` config. The one place outside cli/, scripts/
// and stack/ that does I/O on purpose.
//
// Modules are evaluated through jiti, so a .ts (or ESM-syntax .js/.mjs) catalogue loads in a plain
// Node process without a build step or a registered ts-node: the bin runs as compiled JavaScript in
// the user's project. jiti strips types only (no type check: that is the user's tsc's job), loads
// node_modules natively (so `observability-stack/definitions` is the installed package itself), and
// has no dependencies and no native binary. Its synchronous API is used because the Pulumi program
// builds its resources synchronously.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { createJiti } from "jiti";
import { isCatalogue, scotty } from "../definitions";
import type { Catalogue } from "../definitions";

/** A definitions module that cannot be used; the message names it and the fix. */
export class CatalogueModuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CatalogueModuleError";
  }
}

/** Extensions tried, in order, for a path given without one (`--definitions ./metrics`). */
const EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"];

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The file `abs` names: itself, with one of EXTENSIONS, or its index; else Node's own resolution. */
function resolveModule(abs: string, baseDir: string): string | undefined {
  const candidates = [
    abs,
    ...EXTENSIONS.map((e) => abs + e),
    ...EXTENSIONS.map((e) => path.join(abs, `index${e}`)),
  ];
  const found = candidates.find(isFile);
  if (found !== undefined) return found;
  try {
    // A folder with a package.json "main", for instance.
    return createRequire(path.join(baseDir, "noop.js")).resolve(abs);
  } catch {
    return undefined;
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
  const resolved = resolveModule(abs, baseDir);
  if (resolved === undefined) {
    throw new CatalogueModuleError(
      `cannot find the definitions module "${spec}" (looked for ${abs}, with .ts and .js). ` +
        `Fix: pass the path of a .ts or .js file, relative to ${baseDir}.`,
    );
  }
  let mod: Record<string, unknown>;
  try {
    // fsCache off: never write a transpile cache into the user's project; a catalogue is small.
    // interopDefault off: the module as written, so "default" and "catalogue" are told apart.
    const jiti = createJiti(path.join(baseDir, "noop.js"), { fsCache: false, interopDefault: false });
    const loaded: unknown = jiti(resolved);
    // module.exports = null (or a number) has no exports to look at.
    mod = loaded !== null && typeof loaded === "object" ? (loaded as Record<string, unknown>) : {};
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    if (err.name === "DefinitionError") {
      throw new CatalogueModuleError(`the catalogue in "${spec}" is invalid. ${err.message}`);
    }
    throw new CatalogueModuleError(
      `loading the definitions module "${spec}" failed: ${err.name}: ${err.message.split("\n")[0]}. ` +
        `Fix: make the module load on its own (npx jiti ${spec}).`,
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
