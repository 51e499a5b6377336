// Render cost linear in the catalogue (issue 12 item 11): bytes, not time, so it cannot flake.
import { benchCatalogue } from "../bench/catalogue";
import { templateVariables } from "../dashboards";
import { renderFiles } from ".";

function dashboardBytes(metrics: number, groups: number): number {
  return renderFiles(benchCatalogue(metrics, groups))
    .filter((f) => f.path.startsWith("grafana/dashboards/bench-"))
    .reduce((n, f) => n + Buffer.byteLength(f.content), 0);
}

describe("render cost", () => {
  it("writes the app's dashboards in bounded bytes per metric, the same at 10x the metrics and groups", () => {
    const small = dashboardBytes(200, 10) / 200;
    const large = dashboardBytes(2000, 100) / 2000;
    // Measured 7.3-7.7 KB per metric after trimming Grafana's defaults (9.5 KB before).
    expect(small).toBeLessThan(8500);
    expect(large).toBeLessThan(8500);
    expect(large / small).toBeLessThan(1.1);
  });

  it("gives each group dashboard variables over one series, whatever the catalogue's size", () => {
    const files = renderFiles(benchCatalogue(400, 40)).filter((f) =>
      /dashboards\/bench-g\d+\.json$/.test(f.path),
    );
    expect(files).toHaveLength(40);
    for (const f of files) {
      for (const v of templateVariables({ model: JSON.parse(f.content) as Record<string, unknown> }).slice(
        1,
      )) {
        expect(v.query).toMatch(/^label_values\(bench_g\d+_\w+?(\{[^}]*\})?, (job|instance)\)$/);
      }
    }
  });
});
