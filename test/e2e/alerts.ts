// `npm run test:alerts`: the catalogue's alerting against the REAL peers, all on 127.0.0.1:185xx:
// VictoriaMetrics, vmalert (from the VictoriaMetrics module) and Alertmanager (from its module), a
// collector, and a webhook receiver in this process. A driver records scotty's tasks through the
// instrumentation module: healthy (no alert may fire), then one objective's error ratio far above
// its budget (its burn-rate alerts must fire and reach Alertmanager and the webhook in the time the
// scaled windows allow), then healthy again (the pages must resolve). The rules and the
// Alertmanager config are exactly render's vmalert/rules.yaml and alertmanager/alertmanager.yml at
// the one render option alerting.windowScale. Also: the rules pass `vmalert -dryRun`, load, write
// their results back to VictoriaMetrics, reach Grafana's datasource through VictoriaMetrics'
// -vmalert.proxyURL, stay firing across a vmalert restart; every SLO dashboard query
// (dashboards/slo.ts) returns data from VictoriaMetrics.
// Binaries from scripts/peers.sh (OTELCOL_BIN, VM_BIN, VMALERT_BIN, ALERTMANAGER_BIN).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import {
  ALERTS_SERIES,
  BUDGET_REMAINING_RECORD,
  BURN_ALERT_NAME,
  OBJECTIVE_RECORD,
  SLI_ERROR_RECORD,
} from "../../alerts";
import { dashboardQueries, sloDashboards, sloDashboardUid, substituteVariables } from "../../dashboards";
import { durationSeconds, scottyAlerting } from "../../definitions";
import { RENDERED_PATHS, renderFiles } from "../../render";
import { alertmanagerFlags } from "../../stack/alertmanager";
import { DEFAULT_ALERTING_MEMORY_MB } from "../../stack/alerting-settings";
import { goMemLimit } from "../../stack/container-defaults";
import { DEFAULT_MEMORY_MB } from "../../stack/settings";
import { vmalertFlags } from "../../stack/vmalert";
import { AlertsDriver } from "./alerts-driver";
import {
  alertmanagerAlerts,
  ruleEngineAlerts,
  ruleGroups,
  WebhookReceiver,
  type RuleEngineAlert,
} from "./alerts-receiver";
import { expectedAlerts, parseRuleFile, type ExpectedAlert } from "./alerts-rules";
import { parsePromQL } from "../../alerts/test/parse";
import { assertPortsFree, Peer, sleep, stopAll } from "./peers";
import { collectorPeer, victoriaMetricsPeer, writeRendered } from "./stack-peers";
import { VictoriaMetricsClient } from "./vm";

function requiredEnv(name: string): string {
  const v = process.env[name];
  if (!v || !fs.existsSync(v))
    throw new Error(
      `${name} is not set to a built binary: run via scripts/e2e-alerts.sh (npm run test:alerts)`,
    );
  return v;
}
const OTELCOL_BIN = requiredEnv("OTELCOL_BIN");
const VM_BIN = requiredEnv("VM_BIN");
const VMALERT_BIN = requiredEnv("VMALERT_BIN");
const ALERTMANAGER_BIN = requiredEnv("ALERTMANAGER_BIN");

// Loopback ports, off the stack's defaults and off the main e2e's (184xx/14xxx/2xxxx).
const P = {
  vm: 18528,
  vmalert: 18580,
  alertmanager: 18593,
  webhook: 18599,
  otlpGrpc: 18517,
  otlpHttp: 18518,
  jaegerOtlp: 18519,
  collectorHealth: 18533,
  collectorMetrics: 18588,
};

/**
 * render's alerting.windowScale: one scale for every window, `for`, interval and Alertmanager timer.
 * 1/30 makes the 5-minute window 10 s, the 1-hour window 2 minutes, the 6-hour window 12 minutes,
 * the 1-minute evaluation interval 2 s.
 */
const SCALE = 1 / 30;
/** The bad phase's error ratio: 100x the 0.5% budget of tasksAvailability. */
const BAD_RATIO = 0.5;
const HEALTHY_SECONDS = 45;
/** Export, batch, VictoriaMetrics' latency offset, one evaluation, Alertmanager's group_wait. */
const PIPELINE_SLACK_S = 15;

let passed = 0;
let failed = 0;
function check(ok: boolean, what: string): boolean {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  return ok;
}

const key = (labels: Readonly<Record<string, string>>) =>
  `${labels.alertname ?? "?"}{objective=${labels.objective ?? ""},burn_rate=${labels.burn_rate ?? ""},job=${labels.job ?? ""}}`;
const expectedKey = (e: ExpectedAlert, job: string) =>
  `${e.alertname}{objective=${e.objective},burn_rate=${e.burnRate},job=${job}}`;

function durationOf(d: unknown, what: string): number {
  const s = typeof d === "string" ? durationSeconds(d) : undefined;
  if (s === undefined) throw new Error(`${what} ${JSON.stringify(d)} is not a duration`);
  return s;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "obs-e2e-alerts-"));
  const logs = path.join(tmp, "logs");
  fs.mkdirSync(logs);
  console.log(`alerts: work dir ${tmp}`);
  await assertPortsFree(Object.values(P));

  const objective = scottyAlerting.alerting.objectives.find((o) => o.key === "tasksAvailability");
  if (objective === undefined) throw new Error("scottyAlerting has no tasksAvailability objective");
  const webhook = new WebhookReceiver();
  await webhook.start(P.webhook);

  // 1. The files: the collector's (as the main e2e renders them) and the alerting ones.
  const files = renderFiles(scottyAlerting, {
    collector: {
      otlpGrpcEndpoint: `127.0.0.1:${P.otlpGrpc}`,
      otlpHttpEndpoint: `127.0.0.1:${P.otlpHttp}`,
      jaegerEndpoint: `127.0.0.1:${P.jaegerOtlp}`,
      remoteWriteUrl: `http://127.0.0.1:${P.vm}/api/v1/write`,
      healthCheckEndpoint: `127.0.0.1:${P.collectorHealth}`,
      telemetryHost: "127.0.0.1",
      telemetryPort: P.collectorMetrics,
      hostmetrics: false,
      memoryLimitMib: DEFAULT_MEMORY_MB.collector,
      batchTimeout: "1s",
    },
    scrape: { collectorTarget: `127.0.0.1:${P.collectorMetrics}`, scrapeInterval: "5s" },
    // The one documented option for tests: every rule window, `for`, interval and Alertmanager timer.
    alerting: { windowScale: SCALE, alertmanager: { webhookUrl: webhook.url } },
  });
  writeRendered(tmp, files);
  const rendered = (p: string): string => {
    const f = files.find((x) => x.path === p);
    if (f === undefined) throw new Error(`render wrote no ${p} for scottyAlerting`);
    return f.content;
  };
  // Exactly render's files, as written: vmalert and Alertmanager load these paths.
  const rulesFile = path.join(tmp, RENDERED_PATHS.vmalertRules);
  const amConfig = path.join(tmp, RENDERED_PATHS.alertmanagerConfig);
  const groupsWanted = parseRuleFile(rendered(RENDERED_PATHS.vmalertRules));
  const rulesWanted = groupsWanted.reduce((n, g) => n + g.rules.length, 0);
  const intervals = [...new Set(groupsWanted.map((g) => durationOf(g.interval, `group ${g.name} interval`)))];
  if (intervals.length !== 1)
    throw new Error(`rule groups with different intervals: ${intervals.join(", ")}`);
  const evaluationIntervalS = intervals[0] as number;
  const route = (parse(rendered(RENDERED_PATHS.alertmanagerConfig)) as { route: Record<string, unknown> })
    .route;
  const groupWaitSeconds = durationOf(route.group_wait, "alertmanager group_wait");
  const groupIntervalSeconds = durationOf(route.group_interval, "alertmanager group_interval");
  const sloBoards = sloDashboards(scottyAlerting, { windowScale: SCALE });
  console.log(
    `alerts: windowScale ${SCALE.toFixed(4)}: ${groupsWanted.length} groups, ${rulesWanted} rules, interval ${evaluationIntervalS} s; ` +
      `Alertmanager group_wait ${groupWaitSeconds} s, group_interval ${groupIntervalSeconds} s; ${sloBoards.length} SLO dashboards`,
  );

  // 2. vmalert -dryRun accepts the rules, and (the check can fail) refuses a broken copy.
  try {
    execFileSync(VMALERT_BIN, ["-dryRun", `-rule=${rulesFile}`], { stdio: "pipe" });
    check(
      true,
      `vmalert -dryRun accepts the rendered rules (${groupsWanted.length} groups, ${rulesWanted} rules)`,
    );
  } catch (e) {
    check(
      false,
      `vmalert -dryRun rejects the rendered rules: ${(e as { stderr?: Buffer }).stderr?.toString() ?? e}`,
    );
  }
  const broken = path.join(tmp, "broken.yaml");
  fs.writeFileSync(broken, rendered(RENDERED_PATHS.vmalertRules).replace(/rate\(/, "rate(("));
  let brokenRefused = false;
  try {
    execFileSync(VMALERT_BIN, ["-dryRun", `-rule=${broken}`], { stdio: "pipe" });
  } catch {
    brokenRefused = true;
  }
  check(brokenRefused, "vmalert -dryRun refuses the same rules with one parenthesis too many");

  // 3. The peers.
  const vm = victoriaMetricsPeer(
    {
      bin: VM_BIN,
      dataPath: path.join(tmp, "vm-data"),
      scrapeConfigPath: path.join(tmp, "victoriametrics/scrape.yaml"),
      port: P.vm,
      extraArgs: [
        // What the stack gives Grafana's datasource: vmalert's rules and alerts through VictoriaMetrics.
        `-vmalert.proxyURL=http://127.0.0.1:${P.vmalert}`,
        // VictoriaMetrics' own vm_* metrics, which the built-in VictoriaMetrics* rules read.
        "-selfScrapeInterval=5s",
      ],
    },
    logs,
  );
  const collector = collectorPeer(
    { bin: OTELCOL_BIN, configPath: path.join(tmp, "collector/config.yaml"), healthPort: P.collectorHealth },
    logs,
  );
  const alertmanager = new Peer(
    {
      name: "alertmanager",
      bin: ALERTMANAGER_BIN,
      args: alertmanagerFlags({
        configFile: amConfig,
        storagePath: path.join(tmp, "alertmanager-data"),
        listen: `127.0.0.1:${P.alertmanager}`,
        externalUrl: `http://127.0.0.1:${P.alertmanager}`,
      }),
      env: { GOMEMLIMIT: goMemLimit(DEFAULT_ALERTING_MEMORY_MB.alertmanager) },
      healthUrl: `http://127.0.0.1:${P.alertmanager}/-/ready`,
    },
    logs,
  );
  const vmalert = new Peer(
    {
      name: "vmalert",
      bin: VMALERT_BIN,
      args: vmalertFlags({
        rules: rulesFile,
        victoriaMetricsUrl: `http://127.0.0.1:${P.vm}`,
        alertmanagerUrl: `http://127.0.0.1:${P.alertmanager}`,
        listen: `127.0.0.1:${P.vmalert}`,
        evaluationInterval: `${evaluationIntervalS}s`,
        externalUrl: `http://127.0.0.1:${P.vmalert}`,
      }).concat(
        // Test-only, like VictoriaMetrics' -search.latencyOffset=1s above: vmalert evaluates at
        // now - evalDelay (default 30 s, matching VictoriaMetrics' default latency offset).
        "-rule.evalDelay=1s",
      ),
      env: { GOMEMLIMIT: goMemLimit(DEFAULT_ALERTING_MEMORY_MB.vmalert) },
      healthUrl: `http://127.0.0.1:${P.vmalert}/health`,
    },
    logs,
  );
  const peers = [vm, collector, alertmanager, vmalert];
  const sampler = setInterval(() => peers.forEach((p) => p.sampleMemory()), 500);
  const client = new VictoriaMetricsClient(`http://127.0.0.1:${P.vm}`);
  const vmalertApi = `http://127.0.0.1:${P.vmalert}`;
  const amApi = `http://127.0.0.1:${P.alertmanager}`;
  const job = "scotty-alerts";
  const driver = new AlertsDriver({
    endpoint: `http://127.0.0.1:${P.otlpGrpc}`,
    serviceName: job,
    objective,
    tasksPerSecond: 20,
    exportIntervalMillis: 1000,
  });

  // Every alert vmalert reports firing, polled every second for the whole run, and when first seen.
  const firingSeen = new Map<string, number>();
  let phase: "healthy" | "bad" | "recovery" = "healthy";
  const firingInHealthy = new Set<string>();
  let polling = true;
  let pollErrors = 0;
  const poll = (async () => {
    while (polling) {
      try {
        for (const a of await ruleEngineAlerts(vmalertApi)) {
          if (a.state !== "firing") continue;
          const k = key(a.labels);
          if (!firingSeen.has(k)) firingSeen.set(k, Date.now());
          if (phase === "healthy") firingInHealthy.add(k);
        }
      } catch {
        pollErrors++; // vmalert is down during its restart
      }
      await sleep(1000);
    }
  })();

  const waitFor = async (
    what: string,
    seconds: number,
    probe: () => Promise<boolean>,
  ): Promise<number | undefined> => {
    const start = Date.now();
    while (Date.now() - start < seconds * 1000) {
      if (await probe()) return (Date.now() - start) / 1000;
      await sleep(1000);
    }
    console.log(`     (gave up waiting for ${what} after ${seconds} s)`);
    return undefined;
  };

  let expected: ExpectedAlert[] = [];
  let resolvedAfter: number | undefined;
  try {
    await vm.start();
    await collector.start();
    await alertmanager.start();
    await vmalert.start();
    check(true, "VictoriaMetrics, the collector, Alertmanager and vmalert started and report healthy");

    // 4. The rules loaded: every group and rule, in vmalert and through VictoriaMetrics' proxy.
    const loaded = await ruleGroups(vmalertApi);
    const loadedRules = loaded.reduce((n, g) => n + g.rules.length, 0);
    check(
      loaded.length === groupsWanted.length && loadedRules === rulesWanted,
      `vmalert loaded ${loaded.length}/${groupsWanted.length} groups, ${loadedRules}/${rulesWanted} rules`,
    );
    const proxied = await ruleGroups(`http://127.0.0.1:${P.vm}`);
    check(
      proxied.reduce((n, g) => n + g.rules.length, 0) === rulesWanted,
      `VictoriaMetrics' /api/v1/rules (-vmalert.proxyURL, Grafana's datasource) lists the ${rulesWanted} rules`,
    );

    // 5. Healthy: tasks succeed; no alert may fire.
    driver.errorRatio = 0;
    driver.start();
    await sleep(HEALTHY_SECONDS * 1000);
    const unhealthyRules = (await ruleGroups(vmalertApi)).flatMap((g) =>
      g.rules.filter((r) => r.health !== "ok" || r.lastError !== "").map((r) => `${r.name}: ${r.lastError}`),
    );
    check(
      unhealthyRules.length === 0,
      `every rule evaluates without error (${unhealthyRules.join("; ") || "none failed"})`,
    );
    check(
      firingInHealthy.size === 0 && webhook.alerts().length === 0,
      `${HEALTHY_SECONDS} s healthy: no alert fired (${[...firingInHealthy].join(", ") || "none"}), no notification`,
    );
    // Which rules ran on real series here, and which had nothing to read (those cannot fire).
    await client.forceFlush();
    const present = new Map<string, boolean>();
    const withoutData: string[] = [];
    for (const g of groupsWanted) {
      for (const r of g.rules) {
        const names = parsePromQL(r.expr).metrics.filter((n) => !n.startsWith("slo:"));
        for (const n of names)
          if (!present.has(n)) present.set(n, (await client.query(`count(${n})`)).length > 0);
        if (names.some((n) => present.get(n) !== true)) withoutData.push(r.alert ?? r.record ?? "?");
      }
    }
    console.log(
      `     rules on real series: ${rulesWanted - withoutData.length}/${rulesWanted}; nothing to read here: ${withoutData.join(", ") || "none"}`,
    );
    const vmRules = groupsWanted
      .flatMap((g) => g.rules)
      .filter((r) => r.alert !== undefined && r.alert.startsWith("VictoriaMetrics"));
    check(
      vmRules.length > 0 && vmRules.every((r) => !withoutData.includes(r.alert as string)),
      `the built-in VictoriaMetrics rules read real series (self-scrape): ${vmRules.map((r) => r.alert).join(", ")}`,
    );

    // 6. Bad: the error ratio far above the budget; the burn-rate alerts fire and reach Alertmanager.
    expected = expectedAlerts(groupsWanted, objective, BAD_RATIO);
    const pages = expected.filter((e) => e.severity === "page");
    const fireDeadline =
      Math.max(...expected.map((e) => e.fireSeconds)) + groupWaitSeconds + PIPELINE_SLACK_S;
    console.log(
      `alerts: error ratio ${BAD_RATIO} (budget ${objective.errorBudget}); expecting ${expected.map((e) => `${e.alertname} x${e.burnRate} within ${e.fireSeconds.toFixed(0)} s`).join(", ")}; deadline ${fireDeadline.toFixed(0)} s`,
    );
    phase = "bad";
    const badStart = Date.now();
    driver.errorRatio = BAD_RATIO;
    const firedAll = await waitFor("expected alerts firing", fireDeadline, async () =>
      expected.every((e) => firingSeen.has(expectedKey(e, job))),
    );
    for (const e of expected) {
      const at = firingSeen.get(expectedKey(e, job));
      check(
        at !== undefined && (at - badStart) / 1000 <= e.fireSeconds + PIPELINE_SLACK_S,
        `${e.alertname} x${e.burnRate} fired ${at === undefined ? "never" : `after ${((at - badStart) / 1000).toFixed(0)} s`} (allowed ${(e.fireSeconds + PIPELINE_SLACK_S).toFixed(0)} s)`,
      );
    }
    // Alertmanager holds them; the pages are notified, the ticket is inhibited by them.
    const inAm = await waitFor(
      "pages in Alertmanager and at the webhook",
      groupWaitSeconds + 10,
      async () => {
        const am = await alertmanagerAlerts(amApi);
        const hooked = new Set(
          webhook
            .alerts()
            .filter((x) => x.alert.status === "firing")
            .map((x) => key(x.alert.labels)),
        );
        return (
          expected.every((e) => am.some((a) => key(a.labels) === expectedKey(e, job))) &&
          pages.every((e) => hooked.has(expectedKey(e, job)))
        );
      },
    );
    const am = await alertmanagerAlerts(amApi);
    check(
      inAm !== undefined,
      `Alertmanager's /api/v2/alerts holds every expected alert (${am.map((a) => `${key(a.labels)} ${a.status.state}`).join(", ")}) and the webhook got every page`,
    );
    const tickets = am.filter((a) => a.labels.severity === "ticket" && a.labels.objective === objective.key);
    check(
      tickets.length > 0 &&
        tickets.every((a) => a.status.state === "suppressed" && a.status.inhibitedBy.length > 0),
      `the ticket is inhibited by the page for the same objective (${tickets.map((a) => a.status.state).join(", ") || "no ticket"})`,
    );
    check(
      !webhook.alerts().some((x) => x.alert.labels.severity === "ticket"),
      "no ticket was notified while its page fired",
    );
    check(firedAll !== undefined, `every expected alert fired within ${fireDeadline.toFixed(0)} s`);
    // Grafana's VictoriaMetrics datasource reads the alerts through VictoriaMetrics' proxy too.
    const viaVm = (await ruleEngineAlerts(`http://127.0.0.1:${P.vm}`)).filter((x) => x.state === "firing");
    check(
      expected.every((e) => viaVm.some((x) => key(x.labels) === expectedKey(e, job))),
      `VictoriaMetrics' /api/v1/alerts (-vmalert.proxyURL) lists the ${viaVm.length} firing alerts`,
    );

    // 7. Recording rules wrote their results to VictoriaMetrics (-remoteWrite.url).
    await client.forceFlush();
    for (const name of [SLI_ERROR_RECORD, OBJECTIVE_RECORD, BUDGET_REMAINING_RECORD]) {
      const rows = await client.query(
        `count(${name}{catalogue="${scottyAlerting.name}",objective="${objective.key}"})`,
      );
      check(
        Number(rows[0]?.value?.[1] ?? 0) > 0,
        `recording rule ${name} is written back to VictoriaMetrics (${rows[0]?.value?.[1] ?? 0} series)`,
      );
    }

    // 8. Every SLO dashboard query returns data: the records, and the firing alerts (vmalert's
    // ALERTS series) of the driven objective; the other objective's firing-alerts panel stays empty.
    const sloEmpty: string[] = [];
    let sloQueries = 0;
    for (const d of sloBoards) {
      const driven = d.uid === sloDashboardUid(scottyAlerting.name, objective.key);
      for (const expr of dashboardQueries(d)) {
        sloQueries++;
        const rows = await client.query(substituteVariables(expr, { job }));
        const values = rows.map((r) => Number(r.value?.[1]));
        if (expr.startsWith(ALERTS_SERIES)) {
          const rates = new Set(rows.map((r) => r.metric.burn_rate));
          const ok = driven
            ? expected.every((e) => rates.has(e.burnRate)) &&
              rows.every((r) => r.metric.alertname === BURN_ALERT_NAME)
            : rows.length === 0;
          if (!ok) sloEmpty.push(`${d.uid}: ${expr} → ${[...rates].join(",") || "none"}`);
        } else if (rows.length === 0 || !values.every(Number.isFinite)) {
          sloEmpty.push(`${d.uid}: ${expr} → ${rows.length} series`);
        }
      }
    }
    check(
      sloQueries > 0 && sloEmpty.length === 0,
      `${sloQueries} SLO dashboard queries (${sloBoards.length} dashboards) return data from VictoriaMetrics, ` +
        `the firing alerts exactly the expected ones (${sloEmpty.join("; ") || "all"})`,
    );

    // 9. A vmalert restart: every firing alert fires again with the same labels, nothing is
    // notified as resolved. vmalert restores (-remoteRead.url) the activeAt of rules with a `for`
    // only; the burn-rate alerts have none, so they fire again at their first evaluation.
    const forOf = new Map<string, number>();
    for (const r of groupsWanted.flatMap((g) => g.rules))
      if (r.alert !== undefined) forOf.set(r.alert, r.for === undefined ? 0 : durationOf(r.for, "for"));
    const before = (await ruleEngineAlerts(vmalertApi)).filter((a) => a.state === "firing");
    const notifiedBefore = webhook.alerts().length;
    await vmalert.stop();
    await vmalert.start();
    let after: RuleEngineAlert[] = [];
    await waitFor("alerts firing again", 3 * evaluationIntervalS + 5, async () => {
      after = (await ruleEngineAlerts(vmalertApi)).filter((a) => a.state === "firing");
      return before.every((b) => after.some((a) => key(a.labels) === key(b.labels)));
    });
    const kept = before.filter((b) =>
      after.some(
        (a) =>
          key(a.labels) === key(b.labels) &&
          ((forOf.get(b.labels.alertname ?? "") ?? 0) === 0 ||
            (a.activeAt === b.activeAt && (a as { restored?: boolean }).restored === true)),
      ),
    );
    // Long enough for Alertmanager to send a resolved notification, were the alerts lost.
    await sleep((groupIntervalSeconds + 2) * 1000);
    const flapped = webhook
      .alerts()
      .slice(notifiedBefore)
      .filter((x) => x.alert.status === "resolved");
    check(
      before.length > 0 && kept.length === before.length && flapped.length === 0,
      `after a vmalert restart ${kept.length}/${before.length} firing alerts fire again (activeAt kept for rules with a 'for'), ` +
        `${flapped.length} resolved notifications`,
    );

    // 10. Recovery: healthy again; the pages resolve (the webhook gets status=resolved).
    phase = "recovery";
    driver.errorRatio = 0;
    const recoveryStart = Date.now();
    const resolveDeadline =
      Math.max(...pages.map((e) => e.resolveSeconds)) + groupIntervalSeconds + PIPELINE_SLACK_S;
    const resolved = await waitFor("pages resolved at the webhook", resolveDeadline, async () => {
      const r = new Set(
        webhook
          .alerts()
          .filter((x) => x.alert.status === "resolved")
          .map((x) => key(x.alert.labels)),
      );
      return pages.every((e) => r.has(expectedKey(e, job)));
    });
    resolvedAfter = resolved === undefined ? undefined : (Date.now() - recoveryStart) / 1000;
    for (const x of webhook.alerts())
      console.log(
        `     webhook: ${x.alert.status} ${key(x.alert.labels)} at +${((x.at - recoveryStart) / 1000).toFixed(0)} s from recovery`,
      );
    check(
      resolved !== undefined,
      `every page resolved at the webhook ${resolvedAfter === undefined ? "never" : `after ${resolvedAfter.toFixed(0)} s`} (allowed ${resolveDeadline.toFixed(0)} s)`,
    );
  } finally {
    polling = false;
    await poll;
    await driver.stop();
    clearInterval(sampler);
    peers.forEach((p) => p.sampleMemory());
    await stopAll();
    await webhook.stop();
  }

  // Counted honestly: every alert that fired (in vmalert, or notified) that the run did not expect.
  const wanted = new Set(expected.map((e) => expectedKey(e, job)));
  const notified = new Set(webhook.alerts().map((x) => key(x.alert.labels)));
  const fired = expected.filter((e) => firingSeen.has(expectedKey(e, job))).length;
  const falseAlerts = [...new Set([...firingSeen.keys(), ...notified])].filter((k) => !wanted.has(k));
  check(
    falseAlerts.length === 0,
    `no alert fired that was not expected (${falseAlerts.join(", ") || "none"})`,
  );
  console.log(
    "alerts: peak memory " +
      peers
        .map(
          (p) =>
            `${p.spec.name} ${(p.peakKb / 1024).toFixed(1)} MiB RSS (${(p.peakAnonKb / 1024).toFixed(1)} MiB anonymous)`,
        )
        .join(", "),
  );
  for (const [peer, limitMb] of [
    [vmalert, DEFAULT_ALERTING_MEMORY_MB.vmalert],
    [alertmanager, DEFAULT_ALERTING_MEMORY_MB.alertmanager],
  ] as const) {
    const usedMb = peer.peakAnonKb / 1024;
    check(
      usedMb > 0 && usedMb < limitMb * 0.85,
      `${peer.spec.name} peak anonymous memory ${usedMb.toFixed(1)} MiB fits the stack's ${limitMb} MiB limit with 15% headroom`,
    );
  }
  if (pollErrors > 10) console.log(`     (${pollErrors} polls of vmalert failed, its restart included)`);
  console.log(`alerts: logs in ${logs}; ran ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  console.log(
    `alerts: ${fired}/${expected.length} fired, ${falseAlerts.length} false, resolved after ${resolvedAfter === undefined ? "never" : `${resolvedAfter.toFixed(0)}s`}`,
  );
  console.log(`alerts e2e: ${passed} passed, ${failed} failed`);
  if (failed > 0) process.exitCode = 1;
  else fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch(async (e: unknown) => {
  console.error(e);
  await stopAll();
  console.log(`alerts e2e: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
