// The README states facts the code decides (defaults, pinned versions, output names, memory needs); they
// are read from the code here so that the two cannot drift apart again (issue 12: the README said
// 64/64/112/128, the code 56/96/96/128; issue 18: a newcomer follows the README alone).
import * as fs from "node:fs";
import * as path from "node:path";
import pkg from "../package.json";
import {
  DEFAULT_CPUS,
  DEFAULT_IMAGES,
  DEFAULT_MEMORY_BUDGET_MB,
  DEFAULT_MEMORY_MB,
  DEFAULT_PORTS,
} from "../stack/settings";
import versions from "../versions.json";

const ROOT = path.join(__dirname, "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The default column of the configuration table's row for `key`. */
function defaultOf(key: string): string {
  const rows = README.split("\n").filter((l) => l.startsWith(`| \`${key}\` |`));
  expect(rows).toHaveLength(1);
  const cells = (rows[0] as string).split("|").map((c) => c.trim());
  return cells[2] as string;
}

/** "collector 56, victoriametrics 128, …" → { collector: 56, … }. */
function perService(text: string, what: string): Record<string, number> {
  return Object.fromEntries(
    text.split(",").map((part) => {
      const m = /^(\w+) (\d+(?:\.\d+)?)$/.exec(part.trim());
      if (m === null) throw new Error(`README ${what}: cannot read "${part}"`);
      return [m[1], Number(m[2])];
    }),
  );
}

/** The README's text between the heading `## <title>` and the next `## ` heading. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "## ${title}"`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** Every capture of `re` (global, one group) in `text`. */
function captures(text: string, re: RegExp): string[] {
  return [...text.matchAll(re)].map((m) => m[1] as string);
}

// versions.json keys by the words the README uses for them.
const SERVICE_BY_WORD: Readonly<Record<string, keyof typeof DEFAULT_IMAGES>> = {
  collector: "collector",
  jaeger: "jaeger",
  victoriametrics: "victoriametrics",
  grafana: "grafana",
};

/** The tag of an image reference `name:tag`. */
const tagOf = (image: string): string => image.slice(image.lastIndexOf(":") + 1);

describe("README configuration defaults match stack/settings.ts", () => {
  it("memoryMb: every container, with the code's limit", () => {
    expect(perService(defaultOf("memoryMb"), "memoryMb default")).toEqual({ ...DEFAULT_MEMORY_MB });
  });

  it("memoryBudgetMb", () => {
    expect(defaultOf("memoryBudgetMb")).toBe(String(DEFAULT_MEMORY_BUDGET_MB));
  });

  it("cpus: every container, with the code's limit", () => {
    expect(perService(defaultOf("cpus"), "cpus default")).toEqual({ ...DEFAULT_CPUS });
  });

  it("ports: the code's host ports, as JSON", () => {
    const m = /^`(\{.*\})`$/.exec(defaultOf("ports"));
    if (m === null)
      throw new Error(`README ports default is not a JSON object in backticks: ${defaultOf("ports")}`);
    expect(JSON.parse(m[1] as string)).toEqual({ ...DEFAULT_PORTS });
  });

  it("images: every service's tag, as versions.json and the default images pin it", () => {
    const m = /^`versions\.json` \((.*)\)$/.exec(defaultOf("images"));
    if (m === null) throw new Error(`README images default: cannot read "${defaultOf("images")}"`);
    const stated = Object.fromEntries(
      (m[1] as string).split(",").map((part) => {
        const [word, tag] = part.trim().split(" ");
        const service = SERVICE_BY_WORD[(word ?? "").toLowerCase()];
        if (service === undefined || tag === undefined) throw new Error(`README images default: "${part}"`);
        return [service, tag];
      }),
    );
    const pinned = Object.fromEntries(Object.entries(DEFAULT_IMAGES).map(([k, image]) => [k, tagOf(image)]));
    expect(stated).toEqual(pinned);
    for (const [k, tag] of Object.entries(pinned)) expect(tag).toBe(versions[k as keyof typeof versions]);
  });
});

describe("README versions match versions.json and package.json", () => {
  // Every place the README names a pinned version, with the pin it must equal. At least one mention
  // each, so that a rephrased sentence the pattern no longer finds fails too, instead of passing unseen.
  const PINS: readonly { what: string; re: RegExp; expected: string; min: number }[] = [
    {
      what: "Pulumi CLI",
      re: /(?:Pulumi\s+CLI|`pulumi`\s+CLI)\s+(\d+\.\d+\.\d+)/g,
      expected: versions.pulumi,
      min: 2,
    },
    {
      what: "Pulumi installer --version",
      re: /--version\s+(\d+\.\d+\.\d+)/g,
      expected: versions.pulumi,
      min: 1,
    },
    { what: "@pulumi/pulumi", re: /@pulumi\/pulumi@(\d+\.\d+\.\d+)/g, expected: versions.pulumi, min: 1 },
    {
      what: "docker provider",
      re: /(?:@pulumi\/docker@|docker\s+|Docker\s+provider\s+\()(\d+\.\d+\.\d+)/g,
      expected: versions.pulumiDocker,
      min: 3,
    },
    {
      what: "random provider",
      re: /(?:@pulumi\/random@|random\s+)(\d+\.\d+\.\d+)/g,
      expected: versions.pulumiRandom,
      min: 3,
    },
    {
      what: "collector",
      re: /collector\s+(?:builder\s+)?(\d+\.\d+\.\d+)/g,
      expected: versions.collector,
      min: 3,
    },
    { what: "Jaeger", re: /Jaeger\s+(\d+\.\d+\.\d+)/g, expected: versions.jaeger, min: 3 },
    {
      what: "VictoriaMetrics",
      re: /VictoriaMetrics\s+(v\d+\.\d+\.\d+)/g,
      expected: versions.victoriametrics,
      min: 3,
    },
    { what: "Grafana", re: /Grafana\s+(\d+\.\d+\.\d+)/g, expected: versions.grafana, min: 2 },
  ];

  it.each(PINS)("$what", ({ re, expected, min }) => {
    const found = captures(README, re);
    expect(found.length).toBeGreaterThanOrEqual(min);
    expect(new Set(found)).toEqual(new Set([expected]));
  });

  it("the Pulumi packages the README installs are the ones package.json tests with", () => {
    const dev = pkg.devDependencies as Record<string, string>;
    const installed = [...README.matchAll(/(@pulumi(?:verse)?\/[a-z]+)@(\d+\.\d+\.\d+)/g)];
    expect(installed.length).toBeGreaterThanOrEqual(4);
    for (const [, name, version] of installed) {
      expect({ name, version }).toEqual({ name, version: dev[name as string] });
    }
    expect(versions.pulumi).toBe(dev["@pulumi/pulumi"]);
  });
});

describe("README Prerequisites match the code", () => {
  const prereq = section("Prerequisites");

  it("Node: the major version package.json's engines asks for", () => {
    const m = /^>=(\d+)$/.exec(pkg.engines.node);
    if (m === null) throw new Error(`package.json engines.node "${pkg.engines.node}" is not >=N`);
    expect(captures(prereq, /\*\*Node\.js (\d+)\*\*/g)).toEqual([m[1]]);
  });

  it("Pulumi CLI: the tested version (versions.json, scripts/pulumi-tools.sh builds it)", () => {
    expect(captures(prereq, /\*\*Pulumi CLI (\d+\.\d+\.\d+)\*\*/g)).toEqual([versions.pulumi]);
  });

  it("memory: the containers' default limits and their sum", () => {
    const total = Object.values(DEFAULT_MEMORY_MB).reduce((a, b) => a + b, 0);
    expect(captures(prereq, /\*\*(\d+) MiB\*\*/g)).toEqual([String(total)]);
    const m = /\(`memoryMb`: ([^;)]*)[;)]/.exec(prereq);
    if (m === null) throw new Error("Prerequisites: no (`memoryMb`: …) list");
    const stated = perService(
      (m[1] as string)
        .replace(/VictoriaMetrics/g, "victoriametrics")
        .replace(/Grafana/g, "grafana")
        .replace(/Jaeger/g, "jaeger"),
      "Prerequisites memoryMb",
    );
    expect(stated).toEqual({ ...DEFAULT_MEMORY_MB });
  });

  it("images pulled: the exact tags of versions.json", () => {
    const m = /\(exact tags: ([^)]*), from `versions\.json`\)/.exec(prereq);
    if (m === null) throw new Error("Prerequisites: no (exact tags: …, from `versions.json`) list");
    const stated = Object.fromEntries(
      (m[1] as string).split(",").map((part) => {
        const [word, tag] = part.trim().split(" ");
        return [SERVICE_BY_WORD[(word ?? "").toLowerCase()] ?? word, tag];
      }),
    );
    expect(stated).toEqual(
      Object.fromEntries(Object.entries(DEFAULT_IMAGES).map(([k, image]) => [k, tagOf(image)])),
    );
  });
});

describe("README stack outputs are the program's outputs", () => {
  // The names of the object createStack returns as `outputs` (stack/program.ts), read from the source:
  // the real program needs a Pulumi engine or mocks, and the names are what the README must match.
  const source = fs.readFileSync(path.join(ROOT, "stack", "program.ts"), "utf8");
  const block = /\n {2}const outputs = \{\n([\s\S]*?)\n {2}\};/.exec(source);
  const programOutputs = new Set(captures(block?.[1] ?? "", /^ {4}(\w+):/gm));

  it("stack/program.ts still declares its outputs as `const outputs = { … }`", () => {
    expect(programOutputs.size).toBeGreaterThan(5);
  });

  it("every output the README's After `pulumi up` section names exists, and every output is named there", () => {
    const after = section("After `pulumi up`");
    const named = new Set(
      captures(after, /`(\w+)`/g).filter((w) => /^[a-z]+[A-Z]\w*$/.test(w) || programOutputs.has(w)),
    );
    const unknown = [...named].filter((w) => !programOutputs.has(w));
    expect(unknown).toEqual([]);
    expect([...programOutputs].filter((o) => !named.has(o))).toEqual([]);
  });
});
