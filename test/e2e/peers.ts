// Process handling for the end-to-end run: start real peers on loopback, wait for health, track peak
// memory, and stop everything on exit.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

export interface PeerSpec {
  readonly name: string;
  readonly bin: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** URL that answers 200 once the peer is ready. */
  readonly healthUrl: string;
}

const running = new Set<Peer>();

/** Peak resident set (VmHWM) and current anonymous RSS of a live process, in KiB; 0 if it is gone. */
function memoryKb(pid: number | undefined): { hwm: number; anon: number } {
  if (pid === undefined) return { hwm: 0, anon: 0 };
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { hwm: field("VmHWM"), anon: field("RssAnon") };
  } catch {
    return { hwm: 0, anon: 0 };
  }
}

export class Peer {
  private child?: ChildProcess;
  private starts = 0;
  /** Highest VmHWM (all resident pages, the mapped binary included) over every run of this peer. */
  peakKb = 0;
  /**
   * Highest anonymous RSS sampled: what a container memory limit must hold (file pages such as the
   * binary's text are reclaimable page cache).
   */
  peakAnonKb = 0;

  constructor(
    readonly spec: PeerSpec,
    private readonly logDir: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    this.starts++;
    const log = fs.openSync(path.join(this.logDir, `${this.spec.name}.${this.starts}.log`), "w");
    const child = spawn(this.spec.bin, [...this.spec.args], {
      env: { ...process.env, ...this.spec.env },
      stdio: ["ignore", log, log],
    });
    fs.closeSync(log);
    this.child = child;
    running.add(this);
    let exited: string | undefined;
    child.on("exit", (code, signal) => {
      exited = `exited with ${code ?? signal}`;
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exited !== undefined) throw new Error(`${this.spec.name} ${exited}; see ${this.logPath()}`);
      if (await httpOk(this.spec.healthUrl)) return;
      await sleep(250);
    }
    throw new Error(
      `${this.spec.name} not healthy at ${this.spec.healthUrl} after ${timeoutMs} ms; see ${this.logPath()}`,
    );
  }

  logPath(): string {
    return path.join(this.logDir, `${this.spec.name}.${this.starts}.log`);
  }

  sampleMemory(): void {
    const m = memoryKb(this.child?.pid);
    this.peakKb = Math.max(this.peakKb, m.hwm);
    this.peakAnonKb = Math.max(this.peakAnonKb, m.anon);
  }

  /** Stops the peer (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    this.sampleMemory();
    const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await done;
    clearTimeout(timer);
    running.delete(this);
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** Fails early, naming the port, when something already listens on a port the test needs. */
export async function assertPortsFree(ports: readonly number[]): Promise<void> {
  for (const port of ports) {
    await new Promise<void>((resolve, reject) => {
      const srv = net.createServer();
      srv.once("error", () =>
        reject(new Error(`port 127.0.0.1:${port} is in use; stop what listens there (a running stack?)`)),
      );
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve()));
    });
  }
}
