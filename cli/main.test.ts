// The bin's command dispatch: `check` is a command of it, with its exit codes.
import { main } from "./main";

function capture(): { out: string; err: string; restore: () => void } {
  const c = { out: "", err: "", restore: () => {} };
  const o = jest.spyOn(process.stdout, "write").mockImplementation((t) => ((c.out += String(t)), true));
  const e = jest.spyOn(process.stderr, "write").mockImplementation((t) => ((c.err += String(t)), true));
  c.restore = () => {
    o.mockRestore();
    e.mockRestore();
  };
  return c;
}

describe("observability-stack main", () => {
  it("lists check in its help", async () => {
    const c = capture();
    try {
      expect(await main(["--help"])).toBe(0);
    } finally {
      c.restore();
    }
    expect(c.out).toContain(
      "check     compare a catalogue with what a running VictoriaMetrics or Prometheus holds",
    );
  });

  it("runs check: exit 2 with the reason when the store is unreachable", async () => {
    const c = capture();
    try {
      expect(await main(["check", "--url", "http://127.0.0.1:9"])).toBe(2);
    } finally {
      c.restore();
    }
    expect(c.err).toContain("check: could not check: cannot reach http://127.0.0.1:9");
  });

  it("check --help has the check usage", async () => {
    const c = capture();
    try {
      expect(await main(["check", "--help"])).toBe(0);
    } finally {
      c.restore();
    }
    expect(c.out).toContain("usage: observability-stack check [--definitions <module>] [--url <url>]");
  });
});
