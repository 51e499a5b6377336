// Child process for the OTLP/HTTP overflow test (the HTTP exporter loads `http` by a dynamic import,
// which Jest's VM cannot run): on each path, two finite recordings whose sum would be Infinity, one
// ordinary metric, then shutdown, exporting to the endpoint given.
import { defineMetrics } from "../../definitions";
import { createMetrics } from "../create";

const catalogue = defineMetrics({
  name: "big",
  groups: { g: { title: "G" } },
  metrics: {
    bytes: { name: "big.bytes", kind: "counter", unit: "By", description: "Bytes.", group: "g" },
    other: { name: "big.other", kind: "counter", unit: "{event}", description: "Other.", group: "g" },
  },
});

const [protocol, endpoint] = process.argv.slice(2);
void (async () => {
  for (const fastPath of [true, false]) {
    const m = createMetrics(catalogue, {
      protocol: protocol as "grpc" | "http/json",
      endpoint,
      fastPath,
      exportIntervalMillis: 3_600_000,
    });
    m.bytes.add(1e308);
    m.bytes.add(1e308);
    m.other.add(5);
    await m.shutdown();
  }
  process.stdout.write("exported\n");
})();
