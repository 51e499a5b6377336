// `npm run render -- [--definitions <module>] [--out <dir>]` in this repository: the package's
// `observability-stack render` (cli/render.ts), run from the TypeScript sources so no build is needed.
import { runRender } from "../cli/render";

process.exitCode = runRender(process.argv.slice(2), {
  prog: "npm run render",
  argsPrefix: "--",
  // npm runs scripts in the package root; INIT_CWD is the folder it was called from.
  baseDir: process.env.INIT_CWD ?? process.cwd(),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
});
