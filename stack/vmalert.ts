import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerPort, DOCKER_TOPOLOGY, httpUrl, localUrl } from "../topology";
import { containerBasics, goMemLimit, pinnedImage, publish } from "./container-defaults";

/** One rule file (Prometheus rule-file format) as vmalert reads it. */
export interface RuleFile {
  /** File name, without folders (it goes to {@link VMALERT_RULES_DIR}). */
  readonly name: string;
  readonly content: string;
}

export interface VmalertArgs {
  readonly image: string;
  readonly containerName: string;
  readonly networkName: pulumi.Input<string>;
  readonly bindAddress: string;
  /** Host port of vmalert's HTTP API and UI (container port 8880). */
  readonly port: number;
  readonly memoryMb: number;
  /** The generated rule files (recording and alerting rules). */
  readonly ruleFiles: readonly RuleFile[];
  /**
   * VictoriaMetrics as vmalert reaches it: queried by the rules, written to by the recording rules and
   * the alerts' state, read back at start-up to restore that state.
   * @default "http://victoriametrics:8428"
   */
  readonly victoriaMetricsUrl?: string;
  /**
   * Alertmanager as vmalert reaches it.
   * @default "http://alertmanager:9093"
   */
  readonly alertmanagerUrl?: string;
  /**
   * How often every rule group is evaluated (a group's own `interval` wins).
   * @default "30s"
   */
  readonly evaluationInterval?: string;
  /**
   * vmalert as a browser reaches it: the source link of the alerts it sends.
   * @default `http://${bindAddress}:${port}`
   */
  readonly externalUrl?: string;
}

export const VMALERT_RULES_DIR = "/etc/vmalert/rules";
const VMALERT_PORT = containerPort("vmalert", "http");
export const DEFAULT_EVALUATION_INTERVAL = "30s";

/**
 * The flags the stack runs vmalert with (the alerting e2e runs the real binary with them).
 * Recording-rule results and the alerts' `for` state go to VictoriaMetrics (-remoteWrite.url); at
 * start-up vmalert reads that state back (-remoteRead.url), so a restart does not reset a pending or
 * firing alert's clock.
 */
export function vmalertFlags(a: {
  /** A glob of the rule files. */
  rules: string;
  victoriaMetricsUrl: string;
  alertmanagerUrl: string;
  listen: string;
  evaluationInterval: string;
  externalUrl: string;
}): string[] {
  return [
    `-rule=${a.rules}`,
    `-datasource.url=${a.victoriaMetricsUrl}`,
    `-remoteWrite.url=${a.victoriaMetricsUrl}`,
    `-remoteRead.url=${a.victoriaMetricsUrl}`,
    `-notifier.url=${a.alertmanagerUrl}`,
    `-evaluationInterval=${a.evaluationInterval}`,
    `-external.url=${a.externalUrl}`,
    `-httpListenAddr=${a.listen}`,
  ];
}

/** Checks the rule-file names before any resource exists: each becomes a path in the container. */
function checkRuleFiles(files: readonly RuleFile[]): void {
  if (files.length === 0)
    throw new Error("Vmalert: no rule files. Fix: render the catalogue's rules (vmalert/*.yaml).");
  const seen = new Set<string>();
  for (const f of files) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/.test(f.name))
      throw new Error(
        `Vmalert: rule file name ${JSON.stringify(f.name)} is not a plain *.yaml file name. Fix: no folders, letters, digits, . _ -.`,
      );
    if (seen.has(f.name)) throw new Error(`Vmalert: rule file ${f.name} is given twice.`);
    seen.add(f.name);
  }
}

/** vmalert, VictoriaMetrics' rule engine: evaluates the catalogue's rules and sends alerts to Alertmanager. */
export class Vmalert extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly image: docker.RemoteImage;

  constructor(name: string, args: VmalertArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability-stack:stack:Vmalert", name, {}, opts);
    checkRuleFiles(args.ruleFiles);
    this.image = pinnedImage(name, args.image, this);
    const uploads = [...args.ruleFiles]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((f) => ({ file: `${VMALERT_RULES_DIR}/${f.name}`, content: f.content }));
    this.container = new docker.Container(
      name,
      {
        name: args.containerName,
        image: this.image.imageId,
        command: vmalertFlags({
          rules: `${VMALERT_RULES_DIR}/*.yaml`,
          victoriaMetricsUrl: args.victoriaMetricsUrl ?? httpUrl(DOCKER_TOPOLOGY, "victoriametrics", "http"),
          alertmanagerUrl: args.alertmanagerUrl ?? httpUrl(DOCKER_TOPOLOGY, "alertmanager", "http"),
          listen: `:${VMALERT_PORT}`,
          evaluationInterval: args.evaluationInterval ?? DEFAULT_EVALUATION_INTERVAL,
          externalUrl: args.externalUrl ?? `http://${args.bindAddress}:${args.port}`,
        }),
        envs: [`GOMEMLIMIT=${goMemLimit(args.memoryMb)}`],
        // A rule change replaces the container; vmalert restores the alerts' state from VictoriaMetrics.
        uploads,
        networksAdvanced: [{ name: args.networkName, aliases: [DOCKER_TOPOLOGY.hosts.vmalert] }],
        ports: [publish(VMALERT_PORT, args.port, args.bindAddress)],
        // The image is Alpine-based (busybox wget).
        healthcheck: {
          tests: ["CMD", "wget", "-q", "-O", "/dev/null", localUrl("vmalert", "http", "/health")],
          interval: "10s",
          timeout: "3s",
          retries: 3,
          startPeriod: "10s",
        },
        ...containerBasics(args.memoryMb),
      },
      { parent: this, deleteBeforeReplace: true },
    );
    this.registerOutputs({ containerName: this.container.name });
  }
}
