// Keeps the one-model-of-the-stack layout (issue 10) from eroding: the deployment target's service
// names and container ports live in topology/ only, and decisions on a metric kind by its name in
// definitions/kinds.ts only. The scan parses each source file (comments and type-level unions are
// not code, so they pass) and reports every offending literal as file:line.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";
import { METRIC_KINDS } from "../definitions/kinds";
import { DOCKER_TOPOLOGY, SERVICE_IDS, SERVICE_PORTS } from "../topology";

const ROOT = join(__dirname, "..");
/** Folders that hold no product source: fixtures, goldens, test helpers. */
const SKIPPED_DIRS = new Set(["__golden__", "__fixtures__", "test", "node_modules", "dist"]);

/** The non-test TypeScript sources under `dir` (repository-relative, `/`-separated). */
function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name);
      if (statSync(p).isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) walk(p);
      } else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts")) {
        out.push(relative(ROOT, p).split("\\").join("/"));
      }
    }
  };
  walk(join(ROOT, dir));
  return out;
}

interface Hit {
  readonly line: number;
  readonly text: string;
}

/** Every node of `source` (a file's text) that `offends`, with its line. */
function scan(source: string, offends: (node: ts.Node) => boolean): Hit[] {
  const file = ts.createSourceFile("scan.ts", source, ts.ScriptTarget.ES2022, true);
  const hits: Hit[] = [];
  const visit = (node: ts.Node): void => {
    if (offends(node)) {
      const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
      hits.push({ line, text: node.getText(file).split("\n")[0] ?? "" });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return hits;
}

/** The text of a string-like literal (a template's pieces included), or undefined. */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) return node.text;
  return undefined;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// ---- topology -------------------------------------------------------------------------------------

const HOSTS = [...new Set(Object.values(DOCKER_TOPOLOGY.hosts))];
const PORTS = new Set<number>(
  Object.values(SERVICE_PORTS).flatMap((ports) => Object.values(ports as Readonly<Record<string, number>>)),
);
const HOST_ALT = HOSTS.map(escape).join("|");
const PORT_ALT = [...PORTS].join("|");
/**
 * A topology fact inside a string: `host:port`, `scheme://host`, or `:port` of a container port (a
 * listen address, `127.0.0.1:13133`, `localhost:16686`). Not an image (`grafana/grafana:13.2.3`) or
 * another domain (`https://grafana.example.com`).
 */
const IN_STRING = new RegExp(
  `(^|[^a-zA-Z0-9_./-])(${HOST_ALT}):\\d|//(${HOST_ALT})(?![a-zA-Z0-9_.-])|:(${PORT_ALT})(?!\\d)`,
);
/**
 * Host names that are not also a service id ("otel-collector"): as a whole string they can only be
 * the host. The others ("jaeger") are also ids (`httpUrl(t, "jaeger", …)`) and datasource types, so a
 * bare one is a host only where the code names a network alias.
 */
const HOST_ONLY = new Set(HOSTS.filter((h) => !(SERVICE_IDS as readonly string[]).includes(h)));

function isAliasElement(node: ts.Node): boolean {
  const list = node.parent;
  if (list === undefined || !ts.isArrayLiteralExpression(list)) return false;
  const prop = list.parent;
  return (
    prop !== undefined &&
    ts.isPropertyAssignment(prop) &&
    /^(aliases|hostname|hostName|host)$/.test(prop.name.getText())
  );
}

function topologyLiteral(node: ts.Node): boolean {
  if (ts.isNumericLiteral(node)) return PORTS.has(Number(node.text));
  const text = literalText(node);
  if (text === undefined) return false;
  if (IN_STRING.test(text)) return true;
  if (HOST_ONLY.has(text)) return true;
  return (HOSTS as readonly string[]).includes(text) && isAliasElement(node);
}

/** Where the topology's facts may not be spelled out: the generators and the stack components. */
const TOPOLOGY_SCANNED = ["collector", "dashboards", "render", "stack"];

// ---- metric kinds ---------------------------------------------------------------------------------

const KINDS = new Set<string>(METRIC_KINDS);

function isKindLiteral(node: ts.Node | undefined): boolean {
  return node !== undefined && ts.isStringLiteral(node) && KINDS.has(node.text);
}

const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/**
 * A kind fact decided outside the table: `case "counter"`, a comparison with a kind literal, a list
 * of kinds (`["counter", "histogram"]`), or a table keyed by kinds (`{ counter: …, gauge: … }`).
 * Catalogue data (`kind: "counter"`) and type unions declare kinds; they decide nothing and pass.
 */
function kindDecision(node: ts.Node): boolean {
  if (ts.isCaseClause(node)) return isKindLiteral(node.expression);
  if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind)) {
    return isKindLiteral(node.left) || isKindLiteral(node.right);
  }
  if (ts.isArrayLiteralExpression(node)) return node.elements.some((e) => isKindLiteral(e));
  if (ts.isObjectLiteralExpression(node)) {
    const keys = node.properties.filter((p) => {
      const name = p.name;
      return (
        name !== undefined && (ts.isIdentifier(name) || ts.isStringLiteral(name)) && KINDS.has(name.text)
      );
    });
    return keys.length >= 2;
  }
  return false;
}

/** Every folder of product source (the kinds table's readers). */
const KINDS_SCANNED = [
  "definitions",
  "instrumentation",
  "collector",
  "dashboards",
  "render",
  "stack",
  "alerts",
  "check",
  "cli",
];
const KINDS_HOME = "definitions/kinds.ts";

function offenders(
  dirs: readonly string[],
  skip: (file: string) => boolean,
  offends: (n: ts.Node) => boolean,
): Map<string, Hit[]> {
  const out = new Map<string, Hit[]>();
  for (const f of dirs.flatMap(sources)) {
    if (skip(f)) continue;
    const hits = scan(readFileSync(join(ROOT, f), "utf8"), offends);
    if (hits.length > 0) out.set(f, hits);
  }
  return out;
}

function report(found: Map<string, Hit[]>): string[] {
  return [...found].flatMap(([f, hits]) => hits.map((h) => `${f}:${h.line}: ${h.text}`));
}

describe("architecture: topology facts live in topology/", () => {
  const found = offenders(TOPOLOGY_SCANNED, (f) => f.startsWith("topology/"), topologyLiteral);

  it("no generator or stack component spells a service name, container port or URL of the topology", () => {
    // Fix: read DOCKER_TOPOLOGY.hosts, SERVICE_PORTS, endpoint/httpUrl/localUrl/listenAddress from
    // topology/ (and add the fact there if it is missing).
    expect(report(found)).toEqual([]);
  });

  it("the scan sees the files that used to hold the literals", () => {
    const scanned = TOPOLOGY_SCANNED.flatMap(sources);
    expect(scanned).toEqual(
      expect.arrayContaining([
        "stack/collector.ts",
        "stack/jaeger.ts",
        "stack/victoriametrics.ts",
        "stack/grafana.ts",
        "collector/options.ts",
        "dashboards/provisioning.ts",
        "dashboards/build.ts",
        "render/artifacts.ts",
      ]),
    );
  });

  it.each([
    'networksAdvanced: [{ name: n, aliases: ["otel-collector"] }],',
    'networksAdvanced: [{ name: n, aliases: ["jaeger"] }],',
    "ports: [publish(8428, args.port, args.bindAddress)],",
    'const u = "http://victoriametrics:8428";',
    'const e = "jaeger:4317";',
    "const u = `http://${host}:16686/api`;",
    'listen: ":8428",',
    'tests: ["CMD", "wget", "-q", "http://127.0.0.1:13133/status"],',
    'const host = "otel-collector";',
  ])("catches %s", (line) => {
    expect(scan(line, topologyLiteral)).not.toEqual([]);
  });

  it.each([
    'httpUrl(DOCKER_TOPOLOGY, "jaeger", "query");',
    'const type = "jaeger";',
    'export const VICTORIAMETRICS_DATASOURCE_UID = "victoriametrics";',
    "// container port 16686, reached as http://jaeger:16686",
    "const timeoutMs = 5000;",
    'const label = "victoriametrics_data";',
    'const image = "grafana/grafana:13.2.3";',
    'const url = "https://grafana.example.com";',
  ])("passes %s", (line) => {
    expect(scan(line, topologyLiteral)).toEqual([]);
  });
});

describe("architecture: kind facts live in definitions/kinds.ts", () => {
  const found = offenders(KINDS_SCANNED, (f) => f === KINDS_HOME, kindDecision);

  it("no file outside the kinds table decides on a metric kind by its name", () => {
    // Fix: read the fact from KINDS (definitions/kinds.ts), adding a field there if none says it.
    expect(report(found)).toEqual([]);
  });

  it("the scan sees the files that used to switch on kinds", () => {
    expect(KINDS_SCANNED.flatMap(sources)).toEqual(
      expect.arrayContaining([
        "definitions/naming.ts",
        "definitions/semantics.ts",
        "definitions/validate.ts",
        "dashboards/group.ts",
        "dashboards/build.ts",
        "collector/options.ts",
        KINDS_HOME,
      ]),
    );
  });

  it.each([
    'if (m.kind === "gauge") {}',
    'if ("histogram" !== kind) {}',
    'switch (k) { case "upDownCounter": break; }',
    'expectKind(m, ["counter", "histogram"], "a rate");',
    "const unit = { counter: 1, gauge: 2 };",
  ])("catches %s", (line) => {
    expect(scan(line, kindDecision)).not.toEqual([]);
  });

  it.each([
    'const m = { kind: "counter", unit: "1" };',
    'type K = "counter" | "histogram";',
    '// a counter is rated, case "counter" in a comment',
    "if (KINDS[m.kind].monotonic) {}",
    'const counter = { total: 1, kind: "counter" };',
  ])("passes %s", (line) => {
    expect(scan(line, kindDecision)).toEqual([]);
  });
});
