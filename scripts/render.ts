// `npm run render -- [--definitions <module>] [--out <dir>]`: writes every generated file of the stack
// (collector config, VictoriaMetrics scrape config, Grafana provisioning and dashboards, metrics.json,
// METRICS.md) for a catalogue. All or nothing: files go to a temp folder next to the target, which
// then replaces the target in one rename.
import * as fs from "node:fs";
import * as path from "node:path";
import { renderFiles, renderStats } from "../render";
import { loadCatalogue } from "../render/load";

const USAGE = `usage: npm run render -- [--definitions <module>] [--out <dir>]
  --definitions <module>  a .ts or .js module (path from the current folder) whose default export, or
                          export named "catalogue", is a catalogue from defineMetrics(); default: the
                          built-in "scotty" catalogue
  --out <dir>             output folder, replaced as a whole; default: out/`;

class UsageError extends Error {}

/** Where relative paths start: npm runs scripts in the package root, INIT_CWD is where it was called. */
const BASE_DIR = process.env.INIT_CWD ?? process.cwd();
class RenderError extends Error {}

interface Args {
  definitions?: string;
  out: string;
}

function parseArgs(argv: readonly string[]): Args | "help" {
  const args: Args = { out: "out" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") return "help";
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    if (flag !== "--definitions" && flag !== "--out") {
      throw new UsageError(`unknown argument "${arg}"`);
    }
    const value = eq > 0 && flag !== arg ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === "" || value.startsWith("--")) {
      throw new UsageError(`${flag} needs a value`);
    }
    if (flag === "--definitions") args.definitions = value;
    else args.out = value;
  }
  return args;
}

const RENDER_MARKERS = ["metrics.json", "METRICS.md"];

/** Writes `files` under `outDir`, replacing it only once every file is written. */
function writeAtomically(outDir: string, files: readonly { path: string; content: string }[]): void {
  const parent = path.dirname(outDir);
  const base = path.basename(outDir);
  if (fs.existsSync(outDir)) {
    if (!fs.statSync(outDir).isDirectory()) {
      throw new RenderError(`${outDir} exists and is not a folder. Fix: choose another --out.`);
    }
    const entries = fs.readdirSync(outDir);
    // Replacing the folder deletes what is in it: only do that to an earlier render's output.
    if (entries.length > 0 && !RENDER_MARKERS.some((m) => entries.includes(m))) {
      throw new RenderError(
        `${outDir} is not empty and does not hold an earlier render (no ${RENDER_MARKERS.join(" or ")}); ` +
          `it would be replaced as a whole. Fix: choose an empty or new folder for --out.`,
      );
    }
  }
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${base}.render-`));
  let old: string | undefined;
  try {
    for (const f of files) {
      const target = path.join(tmp, ...f.path.split("/"));
      if (!target.startsWith(tmp + path.sep))
        throw new RenderError(`refusing to write outside ${outDir}: ${f.path}`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, f.content);
    }
    if (fs.existsSync(outDir)) {
      old = `${tmp}.old`;
      fs.renameSync(outDir, old);
    }
    try {
      fs.renameSync(tmp, outDir);
    } catch (e) {
      if (old !== undefined) fs.renameSync(old, outDir);
      old = undefined;
      throw e;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (old !== undefined) fs.rmSync(old, { recursive: true, force: true });
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function main(argv: readonly string[]): number {
  let args: Args | "help";
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`render: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (args === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const { catalogue } = loadCatalogue(args.definitions, BASE_DIR);
    const files = renderFiles(catalogue);
    const outDir = path.resolve(BASE_DIR, args.out);
    writeAtomically(outDir, files);
    const s = renderStats(files);
    const rel = path.relative(BASE_DIR, outDir);
    const shown = rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? outDir : rel;
    process.stdout.write(
      `render: ${count(s.files, "file")} in ${shown}/ ` +
        `(${count(s.metrics, "metric")}, ${count(s.dashboards, "dashboard")}, ${count(s.panels, "panel")})\n`,
    );
    return 0;
  } catch (e) {
    const message = (e as Error).message;
    process.stderr.write(`render: ${message}\nNothing was written.\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
