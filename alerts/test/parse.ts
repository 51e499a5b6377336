// Test-only: PromQL parsed with @prometheus-io/lezer-promql (a devDependency), as the dashboard tests do.
import type { SyntaxNode } from "@lezer/common";
import type { LRParser } from "@lezer/lr";

// lezer-promql ships ESM types with a CommonJS build: load it with require, typed by @lezer/lr.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require("@prometheus-io/lezer-promql") as { parser: LRParser };

export interface ParsedPromQL {
  /** Error nodes in the tree: 0 for valid PromQL. */
  readonly errors: number;
  /** Metric names of the vector selectors. */
  readonly metrics: readonly string[];
  /** Range durations (`[5m]`). */
  readonly ranges: readonly string[];
  /** Function names called. */
  readonly functions: readonly string[];
}

export function parsePromQL(expr: string): ParsedPromQL {
  const tree = parser.parse(expr);
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const out = { errors: 0, metrics: [] as string[], ranges: [] as string[], functions: [] as string[] };
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) out.errors += 1;
    if (cursor.name === "VectorSelector") {
      const id = cursor.node.getChild("Identifier");
      if (id !== null) out.metrics.push(text(id));
    }
    if (cursor.name === "MatrixSelector") {
      const d = cursor.node.getChild("DurationExpr");
      if (d !== null) out.ranges.push(text(d));
    }
    if (cursor.name === "FunctionIdentifier") out.functions.push(text(cursor.node));
  } while (cursor.next());
  return out;
}
