// The README's configuration table states the stack's defaults; they are read from the code here so
// that the two cannot drift apart again (issue 12: the README said 64/64/112/128, the code 56/96/96/128).
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_CPUS, DEFAULT_MEMORY_BUDGET_MB, DEFAULT_MEMORY_MB } from "../stack/settings";

const README = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

/** The default column of the configuration table's row for `key`. */
function defaultOf(key: string): string {
  const rows = README.split("\n").filter((l) => l.startsWith(`| \`${key}\` |`));
  expect(rows).toHaveLength(1);
  const cells = (rows[0] as string).split("|").map((c) => c.trim());
  return cells[2] as string;
}

describe("README configuration defaults match stack/settings.ts", () => {
  it("memoryMb: every container, with the code's limit", () => {
    const stated = Object.fromEntries(
      defaultOf("memoryMb")
        .split(",")
        .map((part) => {
          const m = /^(\w+) (\d+)$/.exec(part.trim());
          if (m === null) throw new Error(`README memoryMb default: cannot read "${part}"`);
          return [m[1], Number(m[2])];
        }),
    );
    expect(stated).toEqual({ ...DEFAULT_MEMORY_MB });
  });

  it("memoryBudgetMb", () => {
    expect(defaultOf("memoryBudgetMb")).toBe(String(DEFAULT_MEMORY_BUDGET_MB));
  });

  it("cpus: every container, with the code's limit", () => {
    const stated = Object.fromEntries(
      defaultOf("cpus")
        .split(",")
        .map((part) => {
          const m = /^(\w+) (\d+(?:\.\d+)?)$/.exec(part.trim());
          if (m === null) throw new Error(`README cpus default: cannot read "${part}"`);
          return [m[1], Number(m[2])];
        }),
    );
    expect(stated).toEqual({ ...DEFAULT_CPUS });
  });
});
