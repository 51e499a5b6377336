// `npm run test:up`: a real `pulumi up` of the dev stack on the local dockerd, then checks against the
// containers themselves, no drift, a replacement that keeps data, and `pulumi destroy` (run through
// scripts/engine.sh, which provides the tools, plugins, dockerd, peers and local images).
//
// No Grafana image can exist here (it is not served, and pulls fail), so the Grafana image and what
// depends on it (the Grafana container and its password carrier) are left out with
// `--exclude <urn> --exclude-dependents`; their inputs are checked by the preview and the mock tests.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { renderFiles } from "../../render";
import versions from "../../versions.json";
import { scotty } from "../../definitions";
import { dashboardQueries, substituteVariables } from "../../dashboards";
import { runExampleApp } from "../e2e/app";
import { VictoriaMetricsClient } from "../e2e/vm";
import {
  CHANGED_CATALOGUE,
  Checks,
  checkDefinitionsDiff,
  copyProject,
  engineTmp,
  log,
  previewSteps,
  pulumi,
  pulumiOk,
  tail,
  typeAndName,
} from "./harness";

const c = new Checks("up");
const HEALTH_TIMEOUT_S = 90;
/** Major page faults per second over which a container counts as thrashing. */
const PAGING_MAX_PER_S = 20;
// Its own name prefix, so that the test never touches (or deletes) a user's stack on this engine.
const PREFIX = "obs-enginetest";
const CONTAINERS = {
  collector: `${PREFIX}-otel-collector`,
  jaeger: `${PREFIX}-jaeger`,
  victoriametrics: `${PREFIX}-victoriametrics`,
  vmSecrets: `${PREFIX}-victoriametrics-secrets`,
  vmConfig: `${PREFIX}-victoriametrics-config`,
  vmDataOwner: `${PREFIX}-victoriametrics-data-owner`,
  collectorConfig: `${PREFIX}-otel-collector-config`,
};
/** What stack/ sets on each service container (README, "Security"). */
const HARDENED: Record<string, { uid: number; gid: number; groups: number[]; nanoCpus: number }> = {
  [CONTAINERS.collector]: { uid: 10001, gid: 10001, groups: [], nanoCpus: 1e9 },
  [CONTAINERS.jaeger]: { uid: 10002, gid: 10002, groups: [], nanoCpus: 5e8 },
  [CONTAINERS.victoriametrics]: { uid: 10003, gid: 10003, groups: [0], nanoCpus: 1e9 },
};
const VM_IMAGE = `victoriametrics/victoria-metrics:${versions.victoriametrics}`;
const VOLUMES = [`${PREFIX}-victoriametrics-data`, `${PREFIX}-grafana-data`];
const NETWORK = `${PREFIX}-observability`;
const VM = "http://127.0.0.1:8428";

function docker(args: readonly string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("docker", args, { encoding: "utf8" });
  return { status: r.status ?? -1, stdout: (r.stdout ?? "").trim(), stderr: (r.stderr ?? "").trim() };
}

function inspect(name: string, format: string): string | undefined {
  const r = docker(["inspect", "--format", format, name]);
  return r.status === 0 ? r.stdout : undefined;
}

/** The last lines a container wrote, to show why it is not healthy. */
function containerLogs(name: string): string {
  const r = docker(["logs", "--tail", "40", name]);
  return `docker logs --tail 40 ${name}:\n${r.stdout}${r.stderr}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function httpOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3000) })).ok;
  } catch {
    return false;
  }
}

async function waitFor(
  timeoutS: number,
  probe: () => Promise<boolean> | boolean,
): Promise<number | undefined> {
  const start = Date.now();
  while (Date.now() - start < timeoutS * 1000) {
    if (await probe()) return (Date.now() - start) / 1000;
    await sleep(1000);
  }
  return undefined;
}

/** The example app, sending OTLP to the stack's published gRPC port. */
async function runApp(
  serviceName: string,
  durationMs: number,
  profile: "a" | "b",
): Promise<{ code: number; output: string }> {
  const app = runExampleApp({ endpoint: "http://127.0.0.1:4317", serviceName, durationMs, profile });
  return { code: await app.code, output: app.output() };
}

/** URNs of the Grafana image (no such image here); --exclude-dependents takes what needs it. */
function grafanaExcludes(project: string): string[] {
  const steps = previewSteps(pulumiOk(project, ["preview", "--json"]).stdout);
  const image = steps.find(
    (s) => typeAndName(s.urn) === "docker:index/remoteImage:RemoteImage::observability-grafana",
  );
  if (image === undefined) throw new Error("the preview has no Grafana image to exclude");
  return ["--exclude", image.urn, "--exclude-dependents"];
}

interface HostConfigView {
  ReadonlyRootfs: boolean;
  CapDrop: string[] | null;
  CapAdd: string[] | null;
  SecurityOpt: string[] | null;
  NanoCpus: number;
  CpuShares: number;
  PidsLimit: number | null;
  Ulimits: { Name: string; Soft: number; Hard: number }[] | null;
  Tmpfs: Record<string, string> | null;
  Privileged: boolean;
}

/** The status lines of a process of the container, read from the host's /proc. */
function procStatus(pid: number): Record<string, string> {
  const text = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Object.fromEntries(
    text
      .split("\n")
      .filter((l) => l.includes(":"))
      .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]),
  );
}

/**
 * The hardening as Docker applied it (docker inspect) and as the kernel sees the running process
 * (/proc/<pid>/status: its uids, effective capabilities, no_new_privs, thread count).
 */
function checkHardening(when: string): void {
  for (const [name, want] of Object.entries(HARDENED)) {
    const hc = JSON.parse(inspect(name, "{{json .HostConfig}}") ?? "{}") as HostConfigView;
    const user = inspect(name, "{{.Config.User}}");
    const pid = Number(inspect(name, "{{.State.Pid}}") ?? "0");
    c.ok(
      hc.ReadonlyRootfs === true &&
        JSON.stringify(hc.CapDrop) === '["ALL"]' &&
        (hc.CapAdd ?? []).length === 0 &&
        (hc.SecurityOpt ?? []).includes("no-new-privileges:true") &&
        hc.Privileged === false &&
        hc.NanoCpus === want.nanoCpus &&
        user === `${want.uid}:${want.gid}` &&
        (hc.Ulimits ?? []).length === 1 &&
        hc.Ulimits?.[0]?.Name === "nproc" &&
        hc.Ulimits[0].Soft === 512 &&
        hc.Ulimits[0].Hard === 512 &&
        Object.keys(hc.Tmpfs ?? {}).join() === "/tmp",
      `${when}: ${name} HostConfig: read-only root, CapDrop ALL, no CapAdd, no-new-privileges, NanoCpus ${want.nanoCpus}, ` +
        `User ${want.uid}:${want.gid}, nproc 512, tmpfs /tmp (PidsLimit ${JSON.stringify(hc.PidsLimit)}: no provider option)`,
      JSON.stringify({ user, ...hc }),
    );
    if (!c.ok(pid > 0, `${when}: ${name} is running (pid ${pid})`)) continue;
    const st = procStatus(pid);
    const uids = (st.Uid ?? "").split(/\s+/).map(Number);
    const gids = (st.Gid ?? "").split(/\s+/).map(Number);
    const groups = (st.Groups ?? "")
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
      // Supplementary groups only (the runtime may list the primary gid there too).
      .filter((g) => g !== want.gid)
      .sort((a, b) => a - b);
    c.ok(
      uids.every((u) => u === want.uid) &&
        gids.every((g) => g === want.gid) &&
        JSON.stringify(groups) === JSON.stringify(want.groups) &&
        /^0+$/.test(st.CapEff ?? "x") &&
        /^0+$/.test(st.CapPrm ?? "x") &&
        /^0+$/.test(st.CapBnd ?? "x") &&
        st.NoNewPrivs === "1",
      `${when}: ${name}'s process runs as ${want.uid}:${want.gid} (supplementary groups: ${want.groups.join(",") || "none"}) with no capabilities and no_new_privs ` +
        `(threads: ${st.Threads}, under the nproc limit 512)`,
      `Uid ${st.Uid}, Gid ${st.Gid}, Groups ${st.Groups}, CapEff ${st.CapEff}, CapPrm ${st.CapPrm}, CapBnd ${st.CapBnd}, NoNewPrivs ${st.NoNewPrivs}`,
    );
    // The root really is read-only for the process (the healthcheck images have a shell; the collector's has none).
    if (name !== CONTAINERS.collector) {
      const w = docker(["exec", name, "sh", "-c", "touch /probe 2>&1; touch /tmp/probe && echo tmp-ok"]);
      c.ok(
        /Read-only file system/.test(w.stdout) && /tmp-ok/.test(w.stdout),
        `${when}: ${name} cannot write its root, can write its /tmp`,
        w.stdout + w.stderr,
      );
    }
  }
  // The carriers and the one-shot owner: never started / exited, no network, no capabilities.
  for (const name of [CONTAINERS.vmSecrets, CONTAINERS.vmConfig, CONTAINERS.collectorConfig]) {
    const hc = JSON.parse(inspect(name, "{{json .HostConfig}}") ?? "{}") as HostConfigView & {
      NetworkMode: string;
    };
    c.ok(
      inspect(name, "{{.State.Status}}") === "created" &&
        hc.NetworkMode === "none" &&
        JSON.stringify(hc.CapDrop) === '["ALL"]' &&
        inspect(name, "{{.Config.User}}") === "65534:65534",
      `${when}: carrier ${name} was never started, has no network, no capabilities, user 65534`,
    );
  }
  const owner = JSON.parse(inspect(CONTAINERS.vmDataOwner, "{{json .HostConfig}}") ?? "{}") as HostConfigView;
  c.ok(
    inspect(CONTAINERS.vmDataOwner, "{{.State.Status}} {{.State.ExitCode}}") === "exited 0" &&
      owner.ReadonlyRootfs === true &&
      JSON.stringify(owner.CapAdd) === '["CAP_CHOWN","CAP_DAC_READ_SEARCH"]',
    `${when}: ${CONTAINERS.vmDataOwner} ran chown and exited 0, read-only, with CAP_CHOWN and CAP_DAC_READ_SEARCH only`,
    JSON.stringify(owner),
  );
}

/** Owners (uid) of every file in a volume, read on the host (the test runs as root beside dockerd). */
function volumeOwners(volume: string): Map<string, number> {
  const mp = docker(["volume", "inspect", "--format", "{{.Mountpoint}}", volume]).stdout;
  const out = new Map<string, number>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      out.set(path.relative(mp, p), fs.lstatSync(p).uid);
      if (e.isDirectory()) walk(p);
    }
  };
  out.set(".", fs.statSync(mp).uid);
  walk(mp);
  return out;
}

async function checkHealth(): Promise<void> {
  for (const name of [CONTAINERS.jaeger, CONTAINERS.victoriametrics]) {
    const s = await waitFor(HEALTH_TIMEOUT_S, () => inspect(name, "{{.State.Health.Status}}") === "healthy");
    c.ok(
      s !== undefined,
      `${name} reports healthy (docker inspect) ${s !== undefined ? `after ${s.toFixed(0)}s` : `not within ${HEALTH_TIMEOUT_S}s`}`,
      s === undefined ? containerLogs(name) : "",
    );
  }
  // The collector image is FROM scratch: no shell, no probe binary, so Docker cannot run a healthcheck
  // in it. Its health_check extension, published on 127.0.0.1:13133, is probed from the host instead.
  const s = await waitFor(
    HEALTH_TIMEOUT_S,
    async () =>
      inspect(CONTAINERS.collector, "{{.State.Running}}") === "true" &&
      (await httpOk("http://127.0.0.1:13133/")),
  );
  c.ok(
    s !== undefined,
    `${CONTAINERS.collector} is running and its health_check answers 200 ${s !== undefined ? `after ${s.toFixed(0)}s` : `not within ${HEALTH_TIMEOUT_S}s`}`,
    s === undefined ? containerLogs(CONTAINERS.collector) : "",
  );
}

/** A running container's cgroup memory.stat (cgroup v1 or v2), found from its process's /proc entry. */
function memoryStat(name: string): Record<string, number> | undefined {
  const pid = Number(inspect(name, "{{.State.Pid}}"));
  const id = inspect(name, "{{.Id}}") ?? "";
  if (!(pid > 0)) return undefined;
  const rel = fs
    .readFileSync(`/proc/${pid}/cgroup`, "utf8")
    .split("\n")
    .map((l) => l.split(":"))
    .find(([, controllers]) => controllers === "memory" || controllers === "")?.[2];
  const candidates = [
    rel !== undefined ? `/sys/fs/cgroup/memory${rel}` : "",
    rel !== undefined ? `/sys/fs/cgroup${rel}` : "",
    `/sys/fs/cgroup/memory/docker/${id}`,
    `/sys/fs/cgroup/system.slice/docker-${id}.scope`,
    `/sys/fs/cgroup/docker/${id}`,
  ];
  const dir = candidates.find((d) => d !== "" && fs.existsSync(path.join(d, "memory.stat")));
  if (dir === undefined) return undefined;
  return Object.fromEntries(
    fs
      .readFileSync(path.join(dir, "memory.stat"), "utf8")
      .split("\n")
      .filter((l) => l.includes(" "))
      .map((l) => [l.split(" ")[0], Number(l.split(" ")[1])]),
  );
}

/**
 * No service pages its own binary in and out: the cgroup's limit counts page cache, and a limit that
 * fits the heap but not the binary's working set thrashes (the collector at 56 MiB: ~200 major faults
 * a second, health never green). Major faults are counted over 10 s once the stack is up.
 */
async function checkPaging(): Promise<void> {
  const names = [CONTAINERS.collector, CONTAINERS.jaeger, CONTAINERS.victoriametrics];
  const before = names.map(memoryStat);
  await sleep(10_000);
  const after = names.map(memoryStat);
  names.forEach((name, i) => {
    const [b, a] = [before[i], after[i]];
    if (b === undefined || a === undefined || a.pgmajfault === undefined) {
      c.ok(false, `${name}: its cgroup memory.stat is readable`, "no memory.stat under /sys/fs/cgroup");
      return;
    }
    const rate = ((a.pgmajfault ?? 0) - (b.pgmajfault ?? 0)) / 10;
    const mib = (v: number | undefined): string => ((v ?? 0) / 1048576).toFixed(1);
    c.ok(
      rate < PAGING_MAX_PER_S,
      `${name} does not thrash: ${rate.toFixed(1)} major page faults/s (under ${PAGING_MAX_PER_S}); ` +
        `anonymous ${mib(a.rss ?? a.anon)} MiB, page cache ${mib(a.cache ?? a.file)} MiB`,
    );
  });
}

async function checkData(client: VictoriaMetricsClient): Promise<void> {
  // No failures are provoked here (the e2e does that, with a short collector retry): a failure
  // counter the collector has not created yet is answered by its fallback, `(failed or sent * 0)`,
  // which keeps the real labels.
  // Two instances (their known levels differ), then one more run 20 s later. The app sends its traces
  // in one burst at start, so the collector's sent-spans counter moves once per run; a loss ratio over
  // a counter that moved once in the scrape window (15 s) has no rate to divide by. Two bursts more
  // than one scrape apart give it one.
  const apps = await Promise.all([runApp("scotty", 25_000, "a"), runApp("scotty", 25_000, "b")]);
  await sleep(20_000);
  apps.push(await runApp("scotty", 10_000, "a"));
  for (const app of apps) {
    if (!c.ok(app.code === 0, `an example app instance exited ${app.code}`)) log(tail(app.output));
  }

  const want = [
    ...scotty.list.flatMap((m) => m.seriesNames),
    "otelcol_receiver_accepted_metric_points",
    "otelcol_exporter_sent_metric_points",
    "system_cpu_time_seconds_total",
  ];
  let samples = new Map<string, number>();
  await waitFor(120, async () => {
    await client.forceFlush();
    samples = await client.samplesPerName(want);
    return want.every((s) => (samples.get(s) ?? 0) >= 3);
  });
  const short = want.filter((s) => (samples.get(s) ?? 0) < 3);
  c.ok(
    short.length === 0,
    `the VictoriaMetrics container holds every series (${want.length} names, >= 3 samples each)`,
    short.join(", "),
  );

  const files = renderFiles(scotty);
  let total = 0;
  const empty: string[] = [];
  for (const f of files.filter((x) => x.path.startsWith("grafana/dashboards/"))) {
    for (const q of dashboardQueries({ model: JSON.parse(f.content) as Record<string, unknown> })) {
      total++;
      const expr = substituteVariables(q, { __rate_interval: "1m" });
      if ((await client.queryRange(expr, 180, 5)).length === 0) {
        empty.push(`${f.path}: ${q}`);
        // What each series of the empty query holds, to tell a missing series from a NaN result.
        for (const name of new Set(
          expr.match(/\botelcol_[a-z_]+|\bsystem_[a-z_]+|\bscotty_[a-z_]+/g) ?? [],
        )) {
          const n = (await client.queryRange(name, 180, 5)).length;
          log(`    ${name}: ${n} series`);
        }
      }
    }
  }
  log(`up: ${total - empty.length}/${total} dashboard queries answered by the stack's containers`);
  for (const e of empty) log(`  no data: ${e}`);
  c.ok(total > 0 && empty.length === 0, "every dashboard query is answered by the VictoriaMetrics container");

  const services = await waitFor(30, async () => {
    try {
      const body = (await (await fetch("http://127.0.0.1:16686/api/services")).json()) as { data?: string[] };
      return (body.data ?? []).includes("scotty");
    } catch {
      return false;
    }
  });
  c.ok(
    services !== undefined,
    "the Jaeger container holds the app's traces (service scotty in /api/services)",
  );
}

async function main(): Promise<void> {
  const tmp = engineTmp();
  const project = copyProject(path.join(tmp, "up-project"));
  pulumiOk(project, ["stack", "init", "dev"]);
  pulumiOk(project, ["config", "set", "namePrefix", PREFIX]);
  const stale = VOLUMES.filter((v) => docker(["volume", "inspect", v]).status === 0);
  if (stale.length > 0)
    throw new Error(
      `volume(s) ${stale.join(", ")} exist already (an earlier run?); remove them: docker volume rm ${stale.join(" ")}`,
    );
  // A data volume as an earlier version of the stack left it: written by VictoriaMetrics running as
  // root. The stack now runs it as 10003; its VolumeOwner must hand the old files over.
  const legacy = docker([
    "run",
    "--rm",
    "--network",
    "none",
    "-v",
    `${VOLUMES[0]}:/d`,
    "--entrypoint",
    "/bin/sh",
    VM_IMAGE,
    "-c",
    "mkdir -p /d/legacy/sub && chmod 700 /d/legacy && echo old > /d/legacy/sub/part",
  ]);
  if (legacy.status !== 0) throw new Error(`could not seed the legacy data volume: ${legacy.stderr}`);
  const excludes = grafanaExcludes(project);
  const client = new VictoriaMetricsClient(VM);
  let destroyed = false;
  try {
    // 1. up
    const up = pulumi(project, ["up", "--yes", "--skip-preview", ...excludes]);
    log(`[up] pulumi up: exit ${up.status} in ${up.seconds.toFixed(0)}s`);
    if (!c.ok(up.status === 0, "pulumi up of the dev stack (without the Grafana image and its dependents)")) {
      log(tail(up.stdout, 60));
      log(tail(up.stderr, 30));
      return;
    }
    log(tail(up.stdout, 12));
    await checkHealth();
    await checkPaging();
    checkHardening("after up");
    const owners = volumeOwners(VOLUMES[0] as string);
    const notVm = [...owners].filter(([, uid]) => uid !== 10003).map(([p, uid]) => `${p} (${uid})`);
    c.ok(
      owners.get("legacy/sub/part") === 10003 && owners.size > 3 && notVm.length === 0,
      `every file of the VictoriaMetrics data volume (${owners.size}, with the root-owned ones of a legacy volume) belongs to 10003`,
      notVm.slice(0, 20).join(", "),
    );

    // 2. The generated secrets: in state (encrypted) and in the secret files only.
    const key = pulumiOk(project, [
      "stack",
      "output",
      "victoriaMetricsAdminKey",
      "--show-secrets",
    ]).stdout.trim();
    const password = pulumiOk(project, [
      "stack",
      "output",
      "grafanaAdminPassword",
      "--show-secrets",
    ]).stdout.trim();
    c.ok(key.length >= 32 && password.length >= 24, "the admin key and the Grafana password were generated");
    const sources: Record<string, string> = {
      "stack outputs": pulumiOk(project, ["stack", "output", "--json"]).stdout,
      "stack state (pulumi stack export)": pulumiOk(project, ["stack", "export"]).stdout,
      "every pulumi command's output": fs.readFileSync(path.join(tmp, "pulumi-commands.log"), "utf8"),
      "docker inspect of the containers": Object.values(CONTAINERS)
        .map((n) => docker(["inspect", n]).stdout)
        .join("\n"),
    };
    const leaks = Object.entries(sources)
      .filter(([, text]) => text.includes(key) || text.includes(password))
      .map(([where]) => where);
    c.ok(
      leaks.length === 0,
      "neither secret is in outputs, state, command output or docker inspect",
      leaks.join(", "),
    );
    c.ok(
      (await fetch(`${VM}/api/v1/admin/tsdb/delete_series?match[]={__name__=~".+"}`, { method: "POST" }))
        .status === 401,
      "VictoriaMetrics refuses delete_series without the admin key",
    );
    c.ok(
      (await fetch(`${VM}/debug/pprof/`)).status === 401 && (await fetch(`${VM}/flags`)).status === 401,
      "VictoriaMetrics refuses pprof and flags without the admin key",
    );
    c.ok(
      (await fetch(`${VM}/flags?authKey=${encodeURIComponent(key)}`)).ok,
      "the admin key from the secret file opens /flags",
    );

    // 3. Data through the containers: the app's OTLP, the collector config, the network aliases, the scrape.
    await checkData(client);

    // 4. No drift right after up.
    const again = pulumi(project, ["preview", "--expect-no-changes", "--diff", ...excludes]);
    c.ok(
      again.status === 0,
      `pulumi preview --expect-no-changes right after up passes (${again.seconds.toFixed(0)}s)`,
      tail(again.stdout, 60),
    );

    // 5. The definitions change on this up-ed stack shows readably.
    fs.writeFileSync(path.join(project, CHANGED_CATALOGUE.file), CHANGED_CATALOGUE.source);
    pulumiOk(project, ["config", "set", "definitions", `./${CHANGED_CATALOGUE.file}`]);
    const diff = pulumiOk(project, ["preview", "--diff", "--show-full-output"]);
    fs.writeFileSync(path.join(tmp, "up-definitions-diff.txt"), diff.stdout);
    checkDefinitionsDiff(c, "up-ed stack", diff.stdout, password);
    const changedOthers = previewSteps(pulumiOk(project, ["preview", "--json"]).stdout)
      .filter((s) => s.op !== "same" && !s.urn.includes("Grafana"))
      .map((s) => `${s.op} ${typeAndName(s.urn)}`);
    c.ok(
      changedOthers.length === 0,
      "the definitions change touches nothing but Grafana",
      changedOthers.join("\n"),
    );
    pulumiOk(project, ["config", "rm", "definitions"]);

    // 6. A retention change replaces the VictoriaMetrics container and keeps the data.
    const marker = `engine_test_marker_${Date.now()}`;
    // Timestamped a minute ago: queries do not see the last 30 s (-search.latencyOffset).
    await fetch(`${VM}/api/v1/import/prometheus`, {
      method: "POST",
      body: `${marker} 42 ${Date.now() - 60_000}\n`,
    });
    await client.forceFlush();
    // A range query: instant queries hide the last 30 s (-search.latencyOffset).
    const before = (await client.queryRange(marker, 300, 15)).length;
    pulumiOk(project, ["config", "set", "retention", "31d"]);
    const replace = pulumi(project, ["up", "--yes", "--skip-preview", ...excludes]);
    c.ok(
      replace.status === 0 && /replaced/.test(replace.stdout),
      `a retention change replaced the VictoriaMetrics container (${replace.seconds.toFixed(0)}s)`,
      tail(replace.stdout, 30),
    );
    await waitFor(
      HEALTH_TIMEOUT_S,
      () => inspect(CONTAINERS.victoriametrics, "{{.State.Health.Status}}") === "healthy",
    );
    checkHardening("after the replacement");
    const cmd = inspect(CONTAINERS.victoriametrics, "{{json .Args}}") ?? "";
    c.ok(cmd.includes("-retentionPeriod=31d"), "the new container runs with -retentionPeriod=31d");
    const after = await client.queryRange(marker, 600, 15);
    const values = new Set((after[0]?.values ?? []).map(([, v]) => v));
    c.ok(
      before === 1 && after.length === 1 && values.has("42"),
      "the data written before the replacement is still there",
      `before: ${before} series, after: ${JSON.stringify(after).slice(0, 300)}`,
    );

    // 7. destroy: containers and network go, the data volume stays (README: "What survives what").
    const destroy = pulumi(project, ["destroy", "--yes", "--skip-preview"]);
    destroyed = destroy.status === 0;
    c.ok(destroyed, `pulumi destroy (${destroy.seconds.toFixed(0)}s)`, tail(destroy.stdout, 30));
    const left = Object.values(CONTAINERS).filter((n) => docker(["inspect", n]).status === 0);
    c.ok(left.length === 0, "destroy removed every container", left.join(", "));
    c.ok(docker(["network", "inspect", NETWORK]).status !== 0, "destroy removed the network");
    const kept = VOLUMES.filter((v) => docker(["volume", "inspect", v]).status === 0);
    c.ok(kept.length === VOLUMES.length, `destroy kept the data volume(s): ${kept.join(", ")}`);
    const secretsVolume = docker(["volume", "inspect", `${PREFIX}-victoriametrics-secrets`]).status === 0;
    c.ok(!secretsVolume, "destroy removed the secrets volume (it holds no user data)");
    const others = docker(["volume", "ls", "-q", "--filter", `name=${PREFIX}-`])
      .stdout.split("\n")
      .filter((v) => v !== "" && !VOLUMES.includes(v));
    c.ok(
      others.length === 0,
      "destroy removed the config volumes (they hold only generated files)",
      others.join(", "),
    );
    log(
      `[up] after destroy: containers ${left.length}, network ${docker(["network", "inspect", NETWORK]).status === 0 ? "left" : "gone"}, volumes kept: ${kept.join(", ") || "none"}`,
    );
  } finally {
    if (!destroyed) pulumi(project, ["destroy", "--yes", "--skip-preview"]);
    // The test's own data volume: it wrote it, so it removes it.
    for (const v of VOLUMES) docker(["volume", "rm", "-f", v]);
    c.finish();
  }
}

// A promise that never settles with nothing else pending would end the process silently, with exit
// code 0 (seen once while probing a container): keep the loop alive until main settles, and fail if
// it ever ends without it.
let settled = false;
const keepAlive = setInterval(() => undefined, 1000);
setTimeout(() => {
  log("[up] FAIL: the test did not finish within 20 minutes");
  process.exit(1);
}, 20 * 60_000).unref();
process.on("beforeExit", () => {
  if (!settled) {
    log("[up] FAIL: the test ended before it finished (a pending operation was dropped)");
    process.exitCode = 1;
  }
});
main()
  .finally(() => {
    settled = true;
    clearInterval(keepAlive);
  })
  .catch((e: unknown) => {
    log(`[up] ERROR: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  });
