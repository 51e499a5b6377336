// `npm run check -- [--definitions <module>] [--url <url>] [--job <job>] …` in this repository: the
// package's `observability-stack check` (check/command.ts), run from the TypeScript sources.
import { runCheck } from "../check";

void runCheck(process.argv.slice(2), {
  prog: "npm run check",
  argsPrefix: "--",
  // npm runs scripts in the package root; INIT_CWD is the folder it was called from.
  baseDir: process.env.INIT_CWD ?? process.cwd(),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}).then((code) => {
  process.exitCode = code;
});
