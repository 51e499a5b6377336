// The type errors of wrong calls read in the metric's terms: the compiler is run on a snippet of user
// code and its messages are checked for the metric's name and the attribute at fault.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";

const REPO = path.resolve(__dirname, "..");

const SNIPPET = `import { defineMetrics } from ${JSON.stringify(path.join(REPO, "definitions", "define"))};
import type { Metrics } from ${JSON.stringify(path.join(REPO, "instrumentation", "types"))};
const shop = defineMetrics({
  name: "shop",
  groups: { g: { title: "G" } },
  metrics: {
    orders: {
      name: "shop.orders", kind: "counter", unit: "{order}", description: "d", group: "g",
      attributes: { "payment.method": { values: ["card", "cash"] }, region: { maxValues: 5, optional: true } },
    },
    carts: { name: "shop.carts.active", kind: "upDownCounter", unit: "{cart}", description: "d", group: "g" },
  },
});
declare const m: Metrics<(typeof shop)["metrics"]>;
m.orders.add(1, { region: "eu" }); // MISSING
m.carts.add(1, { region: "eu" }); // NONE
m.orders.add(1, { "payment.method": "card", colour: "red" }); // UNKNOWN
m.orders.add(1); // NO_ARGUMENT
`;

let byLine: Map<string, string>;

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "obs-messages-"));
  const file = path.join(dir, "user.ts");
  fs.writeFileSync(file, SNIPPET);
  try {
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [path.join(REPO, "node_modules", "@types")],
    });
    const source = program.getSourceFile(file)!;
    byLine = new Map();
    for (const d of ts.getPreEmitDiagnostics(program, source)) {
      const line = source.getLineAndCharacterOfPosition(d.start ?? 0).line;
      const tag = /\/\/ (\w+)$/.exec(SNIPPET.split("\n")[line] ?? "")?.[1] ?? `line ${line + 1}`;
      const related = (d.relatedInformation ?? []).map((r) =>
        ts.flattenDiagnosticMessageText(r.messageText, "\n"),
      );
      byLine.set(tag, [ts.flattenDiagnosticMessageText(d.messageText, "\n"), ...related].join("\n"));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

describe("type errors of wrong calls", () => {
  it("fail on exactly the four wrong calls", () => {
    expect([...byLine.keys()].sort()).toEqual(["MISSING", "NONE", "NO_ARGUMENT", "UNKNOWN"]);
  });

  it("a missing required attribute: names the metric and the attribute", () => {
    expect(byLine.get("MISSING")).toMatch(/AttributesOfMetric<"shop\.orders"/);
    expect(byLine.get("MISSING")).toMatch(/Property '"payment\.method"' is missing/);
  });

  it("an attribute on a metric that declares none: names the metric and the key", () => {
    expect(byLine.get("NONE")).toMatch(
      /'region' does not exist in type 'NoAttributesDeclaredBy<"shop\.carts\.active">'/,
    );
  });

  it("an undeclared key: names the key and the metric", () => {
    expect(byLine.get("UNKNOWN")).toMatch(
      /'colour' does not exist in type 'AttributesOfMetric<"shop\.orders"/,
    );
  });

  it("no attributes at all where some are required: the missing argument is the attributes", () => {
    expect(byLine.get("NO_ARGUMENT")).toMatch(
      /Expected 2 arguments, but got 1\.\nArguments for the rest parameter 'attributes' were not provided\./,
    );
  });
});
