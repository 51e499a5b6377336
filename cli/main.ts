#!/usr/bin/env node
// The package's bin: `observability-stack <command>`. Runs as compiled JavaScript in the user's project;
// catalogue modules (.ts or .js) are loaded without a build step (render/load.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import { runCheck } from "../check";
import { runRender } from "./render";

const PROG = "observability-stack";

const HELP = `usage: ${PROG} <command> [options]
commands:
  render    write the collector config, dashboards and provisioning files of a catalogue
            (${PROG} render --help for its options)
  check     compare a catalogue with what a running VictoriaMetrics or Prometheus holds
            (${PROG} check --help for its options)
options:
  --help, -h      this text
  --version, -v   the package version
exit codes: render: 0 success, 1 failure (nothing written; the message says why and the fix), 2 usage error;
  check: 0 clean, 1 drift found, 2 could not check`;

/** The installed package's version: its package.json is two folders up from dist/cli/, one from cli/. */
function version(): string {
  for (const up of ["..", "../.."]) {
    const file = path.join(__dirname, up, "package.json");
    try {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "observability-stack" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // not this folder
    }
  }
  return "unknown";
}

/**
 * Returns the exit code (a promise of it for `check`, which asks a server); relative paths start at
 * the current folder (as npx leaves it).
 */
export function main(argv: readonly string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  const out = (t: string): void => void process.stdout.write(t);
  const err = (t: string): void => void process.stderr.write(t);
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    (command === undefined ? err : out)(`${HELP}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === "--version" || command === "-v") {
    out(`${version()}\n`);
    return 0;
  }
  if (command === "render") {
    return runRender(rest, {
      prog: `${PROG} render`,
      argsPrefix: "",
      baseDir: process.cwd(),
      stdout: out,
      stderr: err,
    });
  }
  if (command === "check") {
    return runCheck(rest, {
      prog: `${PROG} check`,
      argsPrefix: "",
      baseDir: process.cwd(),
      stdout: out,
      stderr: err,
    });
  }
  err(`${PROG}: unknown command "${command}"\n${HELP}\n`);
  return 2;
}

if (require.main === module) {
  void Promise.resolve(main(process.argv.slice(2))).then((code) => {
    process.exitCode = code;
  });
}
