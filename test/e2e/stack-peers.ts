// The stack's peers as the e2e runs them on loopback: the stack's own flags and environment (so the
// tests measure what the containers run), then the test-only flags that make fresh samples visible at
// once. Shared by the main, alerting and check e2e runs.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RenderedFile } from "../../render";
import { goMemLimit } from "../../stack/container-defaults";
import { DEFAULT_MEMORY_MB } from "../../stack/settings";
import { victoriaMetricsFlags } from "../../stack/victoriametrics";
import { Peer } from "./peers";

/** Writes rendered files under `dir`, as `npm run render` lays them out. */
export function writeRendered(dir: string, files: readonly RenderedFile[]): void {
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, f.path), f.content);
  }
}

export function victoriaMetricsPeer(
  o: {
    bin: string;
    dataPath: string;
    scrapeConfigPath: string;
    port: number;
    /** More flags, after the stack's. @default none */
    extraArgs?: readonly string[];
  },
  logs: string,
): Peer {
  return new Peer(
    {
      name: "victoria-metrics",
      bin: o.bin,
      args: [
        ...victoriaMetricsFlags({
          retention: "30d",
          memoryMb: DEFAULT_MEMORY_MB.victoriametrics,
          dataPath: o.dataPath,
          scrapeConfigPath: o.scrapeConfigPath,
          listen: `127.0.0.1:${o.port}`,
        }),
        ...(o.extraArgs ?? []),
        "-search.latencyOffset=1s",
        "-search.disableCache",
      ],
      env: { GOMEMLIMIT: goMemLimit(DEFAULT_MEMORY_MB.victoriametrics) },
      healthUrl: `http://127.0.0.1:${o.port}/health`,
    },
    logs,
  );
}

export function collectorPeer(
  o: {
    /** @default "otelcol" */
    name?: string;
    bin: string;
    configPath: string;
    healthPort: number;
  },
  logs: string,
): Peer {
  return new Peer(
    {
      name: o.name ?? "otelcol",
      bin: o.bin,
      args: [`--config=${o.configPath}`],
      // The host pipeline names the host from HOSTNAME (Docker sets it in containers).
      env: { HOSTNAME: os.hostname() },
      healthUrl: `http://127.0.0.1:${o.healthPort}/`,
    },
    logs,
  );
}
