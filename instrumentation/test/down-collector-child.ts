// Child process for the exit test: records for a while with the OTLP endpoint down (a closed port), so
// that periodic exports fail and are retried, then has nothing left to do ("done"). A module that keeps
// the event loop alive after that would keep this process running. With "shutdown", the app awaits
// shutdown() at the end, which must still complete (and print "shut down") rather than be cut short.
import { scotty } from "../../definitions";
import { createMetrics } from "../create";

const [protocol, port, interval, lifetime, mode] = process.argv.slice(2);
const m = createMetrics(scotty, {
  protocol: protocol as "grpc" | "http/json",
  endpoint: `http://127.0.0.1:${port}`,
  exportIntervalMillis: Number(interval),
});
const work = setInterval(() => m.logStreams.add(1), 50);
setTimeout(() => {
  clearInterval(work);
  process.stdout.write("done\n");
  if (mode === "shutdown") void m.shutdown().then(() => process.stdout.write("shut down\n"));
}, Number(lifetime));
