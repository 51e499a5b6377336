// The example app as a child process (it records every metric of the scotty catalogue and sends
// traces), for the e2e and the real-engine tests.
import { spawn } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

export interface AppRun {
  code: Promise<number>;
  pid: number | undefined;
  output: () => string;
}

export function runExampleApp(o: {
  /** OTLP gRPC endpoint, e.g. http://127.0.0.1:4317 */
  endpoint: string;
  serviceName: string;
  durationMs: number;
  /** The instance's known gauge levels (examples/profiles.ts). @default "a" */
  profile?: "a" | "b";
  /** A file for the app's ledger of every recording (examples/ledger.ts). @default none */
  ledger?: string;
}): AppRun {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(ROOT, "examples/scotty-app.ts")],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: o.endpoint,
        OTEL_SERVICE_NAME: o.serviceName,
        EXAMPLE_DURATION_MS: String(o.durationMs),
        EXAMPLE_EXPORT_INTERVAL_MS: "2000",
        EXAMPLE_PROFILE: o.profile ?? "a",
        ...(o.ledger !== undefined && { EXAMPLE_LEDGER: o.ledger }),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  return {
    code: new Promise((resolve) => child.on("exit", (c) => resolve(c ?? -1))),
    pid: child.pid,
    output: () => out,
  };
}
