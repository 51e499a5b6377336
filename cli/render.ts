// `observability-stack render [--definitions <module>] [--out <dir>]` (also `npm run render -- …` in
// this repository): writes every generated file of the stack (collector config, VictoriaMetrics scrape
// config, Grafana provisioning and dashboards, metrics.json, METRICS.md) for a catalogue. All or
// nothing: files go to a temp folder next to the target, which then replaces the target in one rename.
// It never deletes or overwrites a file it did not write: the target must be new, empty, or hold only
// the unchanged files its manifest lists.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderFiles, renderStats } from "../render";
import { loadCatalogue } from "../render/load";

/** The list of the files a render wrote into its output folder, with their hashes. */
const MANIFEST = ".observability-stack-render.json";
/** Inside a temp folder while it is being written: proves which render made it, and whether it still runs. */
const TEMP_MARKER = ".observability-stack-render-tmp";
const TOOL = "observability-stack render";
const MANIFEST_VERSION = 1;

/** How the command is invoked, for messages: the bin and the repository's npm script name it apart. */
export interface RenderContext {
  /** The command as the user typed it: "observability-stack render" or "npm run render". */
  readonly prog: string;
  /** What comes between the command and its flags ("--" for an npm script). */
  readonly argsPrefix: string;
  /** Where relative paths start. */
  readonly baseDir: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

function usage(ctx: RenderContext): string {
  return `usage: ${ctx.prog}${ctx.argsPrefix === "" ? "" : ` ${ctx.argsPrefix}`} [--definitions <module>] [--out <dir>]
  --definitions <module>  a .ts or .js module (path from the current folder) whose default export, or
                          export named "catalogue", is a catalogue from defineMetrics(); default: the
                          built-in "scotty" catalogue
  --out <dir>             output folder; default: out/. A render replaces only its own earlier
                          output (listed in ${MANIFEST}); it refuses a folder holding anything
                          else, the current folder, a folder that holds it and a project root
  --help, -h              this text
exit codes: 0 written, 1 nothing written (the message says why and the fix), 2 usage error`;
}

class UsageError extends Error {}

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

interface Manifest {
  readonly about: string;
  readonly files: Readonly<Record<string, string>>;
  readonly tool: string;
  readonly version: number;
}

function sha256(content: string | Buffer): string {
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}

/** Sorted keys and a final newline: the manifest is byte-stable for the same files. */
function manifestJson(files: readonly { path: string; content: string }[], prog: string): string {
  const hashes: Record<string, string> = {};
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hashes[f.path] = sha256(f.content);
  }
  const m: Manifest = {
    about: `Written by \`${prog}\` (observability-stack): the files it wrote here. A later render replaces only these. Do not edit.`,
    files: hashes,
    tool: TOOL,
    version: MANIFEST_VERSION,
  };
  return `${JSON.stringify(m, null, 2)}\n`;
}

/** The manifest in `dir`, undefined when there is none; a RenderError when it is not one of ours. */
function readManifest(dir: string, prog: string): Manifest | undefined {
  const file = path.join(dir, MANIFEST);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = st.isFile() ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined;
  } catch {
    parsed = undefined;
  }
  const m = parsed as Partial<Manifest> | undefined;
  const ok =
    m !== undefined &&
    m !== null &&
    m.tool === TOOL &&
    m.version === MANIFEST_VERSION &&
    typeof m.files === "object" &&
    m.files !== null &&
    Object.entries(m.files).every(([k, v]) => typeof k === "string" && typeof v === "string");
  if (!ok) {
    throw new RenderError(
      `${file} is not a manifest written by ${prog} (unreadable, edited or of another version), so ` +
        `nothing in ${dir} can be proven to be a render's. Fix: choose another --out, or empty ${dir} yourself.`,
    );
  }
  return m as Manifest;
}

/** True when `file` is a temp marker of a render (our tool's content), whatever its pid. */
function readMarker(file: string): { pid: number; host: string } | undefined {
  try {
    if (!fs.lstatSync(file).isFile()) return undefined;
    const m = JSON.parse(fs.readFileSync(file, "utf8")) as { tool?: unknown; pid?: unknown; host?: unknown };
    if (m.tool !== TOOL || typeof m.pid !== "number" || typeof m.host !== "string") return undefined;
    return { pid: m.pid, host: m.host };
  } catch {
    return undefined;
  }
}

/** Every entry under `dir` (POSIX paths relative to it), folders marked with a trailing "/". */
function walk(dir: string, rel = ""): { path: string; kind: "file" | "dir" | "other" }[] {
  const out: { path: string; kind: "file" | "dir" | "other" }[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      out.push({ path: `${p}/`, kind: "dir" });
      out.push(...walk(dir, p));
    } else out.push({ path: p, kind: e.isFile() ? "file" : "other" });
  }
  return out;
}

/**
 * Why replacing `dir` could delete something render did not write, or undefined when it only holds
 * the files of its manifest, unchanged (files the manifest lists may be missing). `label` names the
 * folder in messages.
 */
function foreignContent(dir: string, prog: string): string | undefined {
  const entries = walk(dir);
  if (entries.length === 0) return undefined;
  const manifest = readManifest(dir, prog);
  if (manifest === undefined) {
    const first = entries.find((e) => e.kind !== "dir") ?? entries[0]!;
    return (
      `${dir} is not empty and does not hold an earlier render: it holds ${first.path}, which ${prog} ` +
      `did not write (there is no ${MANIFEST} in it). Fix: choose an empty or new folder for --out, ` +
      `or move ${first.path} away.`
    );
  }
  const listed = new Map(Object.entries(manifest.files));
  const parents = new Set<string>();
  for (const f of listed.keys()) {
    const parts = f.split("/");
    for (let i = 1; i < parts.length; i++) parents.add(`${parts.slice(0, i).join("/")}/`);
  }
  for (const e of entries) {
    if (e.path === MANIFEST) continue;
    // Left by a render killed between its last two steps: its own marker, nothing else.
    if (e.path === TEMP_MARKER && readMarker(path.join(dir, e.path)) !== undefined) continue;
    const ok = e.kind === "dir" ? parents.has(e.path) : e.kind === "file" && listed.has(e.path);
    if (!ok) {
      return (
        `${dir} holds ${e.path}, which the earlier render there did not write (it is not in its ${MANIFEST}). ` +
        `Fix: move ${e.path} out of ${dir}, or choose another --out.`
      );
    }
    if (e.kind === "file" && sha256(fs.readFileSync(path.join(dir, e.path))) !== listed.get(e.path)) {
      return (
        `${path.join(dir, e.path)} changed since the earlier render wrote it; replacing ${dir} would lose ` +
        `that change. Fix: move your version out of ${dir} (or delete it yourself), then render again.`
      );
    }
  }
  return undefined;
}

/** `a` is `b` or one of its ancestors. */
function holds(a: string, b: string): boolean {
  const rel = path.relative(a, b);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** Refuses an output folder whose replacement could delete what render did not write. */
function checkTarget(outDir: string, ctx: RenderContext): void {
  const here = [ctx.baseDir, process.cwd()].flatMap((d) => [path.resolve(d), realOrSelf(d)]);
  const candidates = [outDir, realOrSelf(outDir)];
  if (candidates.some((o) => here.some((d) => holds(o, d)))) {
    throw new RenderError(
      `--out ${outDir} is the current folder or one that holds it; a render replaces its output folder ` +
        `as a whole. Fix: choose a new folder for --out, such as ${path.join(ctx.baseDir, "out")}.`,
    );
  }
  let st: fs.Stats;
  try {
    st = fs.lstatSync(outDir);
  } catch {
    return; // does not exist yet
  }
  if (st.isSymbolicLink()) {
    throw new RenderError(
      `${outDir} is a symbolic link; render replaces its output folder by renaming. ` +
        `Fix: pass the folder it points to, or another --out.`,
    );
  }
  if (!st.isDirectory()) {
    throw new RenderError(`${outDir} exists and is not a folder. Fix: choose another --out.`);
  }
  const root = ["package.json", ".git"].find((f) => fs.existsSync(path.join(outDir, f)));
  if (root !== undefined) {
    throw new RenderError(
      `${outDir} is a project root (it holds ${root}); a render replaces its output folder as a whole. ` +
        `Fix: choose a new folder for --out, such as ${path.join(outDir, "out")}.`,
    );
  }
  const foreign = foreignContent(outDir, ctx.prog);
  if (foreign !== undefined) throw new RenderError(foreign);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the temp folders that renders into `base` left when they were killed, and only those it can
 * prove: the name render gives them, and either its marker from a process on this host that is gone,
 * or (`.old`, the earlier output moved aside) a manifest its content matches. Returns their names.
 */
function removeStaleTemps(parent: string, base: string, prog: string): string[] {
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^\\.${escaped}\\.render-[A-Za-z0-9]{6}(\\.old)?$`);
  const removed: string[] = [];
  const stale = (dir: string): boolean => {
    const marker = readMarker(path.join(dir, TEMP_MARKER));
    return marker !== undefined && marker.host === os.hostname() && !alive(marker.pid);
  };
  for (const e of fs.readdirSync(parent, { withFileTypes: true })) {
    if (!e.isDirectory() || !pattern.test(e.name)) continue;
    const dir = path.join(parent, e.name);
    let provable: boolean;
    if (e.name.endsWith(".old")) {
      const sibling = dir.slice(0, -".old".length);
      // While its render runs, the sibling temp folder exists with a live marker: leave both alone.
      const running = fs.existsSync(sibling) && !stale(sibling);
      try {
        provable =
          !running && readManifest(dir, prog) !== undefined && foreignContent(dir, prog) === undefined;
      } catch {
        provable = false;
      }
    } else provable = stale(dir);
    if (provable) {
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(e.name);
    }
  }
  return removed;
}

/**
 * Writes `files` and their manifest under `outDir`, replacing it only once every file is written
 * (checkTarget has proven that it holds only an earlier render's files).
 */
function writeAtomically(
  outDir: string,
  files: readonly { path: string; content: string }[],
  prog: string,
): string[] {
  const parent = path.dirname(outDir);
  const base = path.basename(outDir);
  for (const f of files) {
    if (f.path === MANIFEST || f.path === TEMP_MARKER) {
      throw new RenderError(`a generated file is named ${f.path}, which render keeps for itself.`);
    }
  }
  fs.mkdirSync(parent, { recursive: true });
  const removed = removeStaleTemps(parent, base, prog);
  const tmp = fs.mkdtempSync(path.join(parent, `.${base}.render-`));
  let old: string | undefined;
  try {
    fs.writeFileSync(
      path.join(tmp, TEMP_MARKER),
      `${JSON.stringify({ host: os.hostname(), pid: process.pid, tool: TOOL })}\n`,
    );
    for (const f of files) {
      const target = path.join(tmp, ...f.path.split("/"));
      if (!target.startsWith(tmp + path.sep))
        throw new RenderError(`refusing to write outside ${outDir}: ${f.path}`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, f.content);
    }
    fs.writeFileSync(path.join(tmp, MANIFEST), manifestJson(files, prog));
    if (fs.existsSync(outDir)) {
      // Checked again right before the swap: a file added while rendering is not deleted either.
      const foreign = foreignContent(outDir, prog);
      if (foreign !== undefined) throw new RenderError(foreign);
      const aside = `${tmp}.old`;
      // rename() onto an existing empty folder would silently replace it: that folder is not ours.
      if (fs.existsSync(aside)) throw new RenderError(`${aside} exists already. Fix: move it away.`);
      old = aside;
      fs.renameSync(outDir, old);
    }
    try {
      fs.renameSync(tmp, outDir);
    } catch (e) {
      if (old !== undefined) fs.renameSync(old, outDir);
      old = undefined;
      throw e;
    }
    fs.rmSync(path.join(outDir, TEMP_MARKER), { force: true });
  } finally {
    // Both hold only what this render wrote, or an earlier render's files checked against its manifest.
    if (fs.existsSync(tmp)) fs.rmSync(tmp, { recursive: true, force: true });
    if (old !== undefined) fs.rmSync(old, { recursive: true, force: true });
  }
  return removed;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * Runs a render with `argv` (the flags after the command) and returns its exit code: 0 written,
 * 1 nothing written (the reason and the fix on stderr), 2 usage error. Never throws for bad input.
 */
export function runRender(argv: readonly string[], ctx: RenderContext): number {
  let args: Args | "help";
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.stderr(`render: ${e.message}\n${usage(ctx)}\n`);
      return 2;
    }
    throw e;
  }
  if (args === "help") {
    ctx.stdout(`${usage(ctx)}\n`);
    return 0;
  }
  try {
    const outDir = path.resolve(ctx.baseDir, args.out);
    checkTarget(outDir, ctx);
    const { catalogue } = loadCatalogue(args.definitions, ctx.baseDir);
    const files = renderFiles(catalogue);
    const removed = writeAtomically(outDir, files, ctx.prog);
    for (const r of removed) {
      ctx.stdout(`render: removed ${path.join(path.dirname(outDir), r)}, left by a render that was killed\n`);
    }
    const s = renderStats(files);
    const rel = path.relative(ctx.baseDir, outDir);
    const shown = rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? outDir : rel;
    ctx.stdout(
      `render: ${count(s.files, "file")} in ${shown}/ ` +
        `(${count(s.metrics, "metric")}, ${count(s.dashboards, "dashboard")}, ${count(s.panels, "panel")})\n`,
    );
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    ctx.stderr(`render: ${message}\nNothing was written.\n`);
    return 1;
  }
}
