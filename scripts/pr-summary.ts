// `npm run pr-summary -- <base render folder> <head render folder>`: prints the Markdown summary of
// what a change does (metrics, dashboards, panels, collector config), for the PR preview comment.
// The folders are outputs of `npm run render` for the PR's base and head.
import * as fs from "node:fs";
import * as path from "node:path";
import { summarizeChange, summaryMarkdown } from "../render/summary";
import type { RenderedFile } from "../render";

function readRender(dir: string): RenderedFile[] {
  if (!fs.existsSync(path.join(dir, "metrics.json"))) {
    throw new Error(`${dir} holds no render (no metrics.json). Fix: npm run render -- --out ${dir}`);
  }
  const out: RenderedFile[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push({ path: r, content: fs.readFileSync(path.join(dir, r), "utf8") });
    }
  };
  walk("");
  return out;
}

const [base, head] = process.argv.slice(2);
if (base === undefined || head === undefined) {
  process.stderr.write("usage: npm run pr-summary -- <base render folder> <head render folder>\n");
  process.exitCode = 2;
} else {
  try {
    const cwd = process.env.INIT_CWD ?? process.cwd();
    process.stdout.write(
      summaryMarkdown(
        summarizeChange(readRender(path.resolve(cwd, base)), readRender(path.resolve(cwd, head))),
      ),
    );
  } catch (e) {
    process.stderr.write(`pr-summary: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
