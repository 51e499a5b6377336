// `npm run test:preview`: the real `pulumi preview` of Pulumi.yaml + index.ts, as a user runs it, on a
// copy of the project (run through scripts/engine.sh, which provides the tools, plugins and dockerd).
import * as fs from "node:fs";
import * as path from "node:path";
import {
  CHANGED_CATALOGUE,
  Checks,
  checkDefinitionsDiff,
  copyProject,
  engineTmp,
  log,
  previewSteps,
  pulumiOk,
  tail,
  typeAndName,
} from "./harness";
import { checkPackagePreview } from "./package";

/** The dev stack's plan: every resource `pulumi preview` must create, by type and name. */
export const DEV_PLAN: readonly string[] = [
  "docker:index/container:Container::observability-collector",
  "docker:index/container:Container::observability-collector-config",
  "docker:index/container:Container::observability-grafana",
  "docker:index/container:Container::observability-grafana-files",
  "docker:index/container:Container::observability-grafana-secrets",
  "docker:index/container:Container::observability-jaeger",
  "docker:index/container:Container::observability-victoriametrics",
  "docker:index/container:Container::observability-victoriametrics-config",
  "docker:index/container:Container::observability-victoriametrics-data-owner",
  "docker:index/container:Container::observability-victoriametrics-secrets",
  "docker:index/network:Network::observability-network",
  "docker:index/remoteImage:RemoteImage::observability-collector",
  "docker:index/remoteImage:RemoteImage::observability-grafana",
  "docker:index/remoteImage:RemoteImage::observability-jaeger",
  "docker:index/remoteImage:RemoteImage::observability-victoriametrics",
  "docker:index/volume:Volume::observability-collector-config-otelcol",
  "docker:index/volume:Volume::observability-grafana-data",
  "docker:index/volume:Volume::observability-grafana-files-catalogue",
  "docker:index/volume:Volume::observability-grafana-files-dashboards",
  "docker:index/volume:Volume::observability-grafana-files-provisioning",
  "docker:index/volume:Volume::observability-grafana-secrets-volume",
  "docker:index/volume:Volume::observability-victoriametrics-config-config",
  "docker:index/volume:Volume::observability-victoriametrics-data",
  "docker:index/volume:Volume::observability-victoriametrics-secrets-volume",
  "observability-stack:stack:Collector::observability-collector",
  "observability-stack:stack:ConfigFiles::observability-collector-config",
  "observability-stack:stack:ConfigFiles::observability-grafana-files",
  "observability-stack:stack:ConfigFiles::observability-victoriametrics-config",
  "observability-stack:stack:Grafana::observability-grafana",
  "observability-stack:stack:Jaeger::observability-jaeger",
  "observability-stack:stack:Network::observability-network",
  "observability-stack:stack:ObservabilityStack::observability",
  "observability-stack:stack:SecretFiles::observability-grafana-secrets",
  "observability-stack:stack:SecretFiles::observability-victoriametrics-secrets",
  "observability-stack:stack:VictoriaMetrics::observability-victoriametrics",
  "observability-stack:stack:VolumeOwner::observability-victoriametrics-data-owner",
  "pulumi:pulumi:Stack::observability-stack-dev",
  "random:index/randomPassword:RandomPassword::grafana-admin-password",
  "random:index/randomPassword:RandomPassword::victoriametrics-admin-key",
];

/** A password the test sets, so that it can look for it in every output. */
export const KNOWN_PASSWORD = "preview-test-Pw-7d41c0e9b2";

function main(): void {
  const c = new Checks("preview");
  const tmp = engineTmp();
  const project = copyProject(path.join(tmp, "preview-project"));
  const tracked = fs.readFileSync(path.join(project, "Pulumi.dev.yaml"), "utf8");
  pulumiOk(project, ["stack", "init", "dev"]);

  // 1. The plan of the dev stack as it is committed.
  const plan = pulumiOk(project, ["preview", "--json"]);
  log(`[preview] pulumi preview --json: ${plan.seconds.toFixed(1)}s`);
  const steps = previewSteps(plan.stdout);
  const planned = steps.map((s) => `${s.op} ${typeAndName(s.urn)}`).sort((a, b) => a.localeCompare(b));
  log(`[preview] plan (${planned.length} steps):\n  ${planned.join("\n  ")}`);
  c.ok(
    steps.every((s) => s.op === "create"),
    "a fresh dev stack only creates",
  );
  const names = steps.map((s) => typeAndName(s.urn)).sort((a, b) => a.localeCompare(b));
  c.ok(
    JSON.stringify(names) === JSON.stringify([...DEV_PLAN].sort((a, b) => a.localeCompare(b))),
    "the plan is exactly the dev stack's resources",
    `  missing: ${DEV_PLAN.filter((n) => !names.includes(n)).join(", ") || "-"}\n  unexpected: ${names.filter((n) => !DEV_PLAN.includes(n)).join(", ") || "-"}`,
  );

  // 2. A definitions change, with a password the test knows, on the fresh stack.
  fs.writeFileSync(path.join(project, CHANGED_CATALOGUE.file), CHANGED_CATALOGUE.source);
  pulumiOk(project, ["config", "set", "definitions", `./${CHANGED_CATALOGUE.file}`]);
  pulumiOk(project, ["config", "set", "--secret", "grafanaAdminPassword"], { input: KNOWN_PASSWORD });
  const diff = pulumiOk(project, ["preview", "--diff", "--show-full-output"]);
  fs.writeFileSync(path.join(tmp, "preview-diff.txt"), diff.stdout);
  checkDefinitionsDiff(c, "fresh stack", diff.stdout + diff.stderr, KNOWN_PASSWORD);
  const json = pulumiOk(project, ["preview", "--json"]);
  c.ok(!json.stdout.includes(KNOWN_PASSWORD), "the password appears nowhere in preview --json");
  const config = fs.readFileSync(path.join(project, "Pulumi.dev.yaml"), "utf8");
  c.ok(!config.includes(KNOWN_PASSWORD), "the password is stored encrypted in the stack's config");
  c.ok(
    config.includes("encryptionsalt:"),
    "stack init and config set wrote to the copy, not to the repository",
  );
  c.ok(
    fs.readFileSync(path.join(__dirname, "../../Pulumi.dev.yaml"), "utf8") === tracked,
    "the repository's Pulumi.dev.yaml is unchanged",
  );
  if (!diff.stdout.includes(CHANGED_CATALOGUE.newMetricPromName)) log(tail(diff.stdout, 80));

  // 3. A user's own project, from the packed tarball, outside the repository (issue 14).
  try {
    checkPackagePreview(c);
  } catch (e) {
    c.ok(false, "user's project: packed, installed and previewed", String(e));
  }
  c.finish();
}

main();
