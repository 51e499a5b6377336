import { scotty } from "./scotty";

describe("the scotty catalogue", () => {
  it("has 26 metrics with exactly the expected Prometheus names, by group", () => {
    const byGroup = Object.fromEntries(
      scotty.groups.map((g) => [g.title, g.metrics.map((m) => m.prometheusName)]),
    );
    expect(byGroup).toEqual({
      "Log streaming": [
        "scotty_log_streams_active",
        "scotty_log_streams_total",
        "scotty_log_stream_duration_seconds",
        "scotty_log_lines_received_total",
        "scotty_log_stream_errors_total",
        "scotty_log_cache_hit_ratio",
        "scotty_log_stream_bytes_total",
      ],
      "Shell sessions": [
        "scotty_shell_sessions_active",
        "scotty_shell_session_timeouts_total",
        "scotty_shell_sessions_total",
        "scotty_shell_session_duration_seconds",
        "scotty_shell_session_errors_total",
      ],
      WebSocket: [
        "scotty_websocket_connections_active",
        "scotty_websocket_connections_total",
        "scotty_websocket_messages_sent_total",
        "scotty_websocket_messages_received_total",
        "scotty_websocket_auth_failures_total",
      ],
      Tasks: [
        "scotty_tasks_active",
        "scotty_tasks_total",
        "scotty_task_duration_seconds",
        "scotty_task_workers",
        "scotty_task_output_lines_total",
        "scotty_task_output_buffer_bytes",
      ],
      "System health": [
        "scotty_memory_usage_bytes",
        "scotty_cpu_usage_percent",
        "scotty_uptime_seconds_total",
      ],
    });
    expect(scotty.list).toHaveLength(26);
  });

  it("follows OTel conventions: active counts are up-down counters, no total or unit in names", () => {
    for (const m of scotty.list) {
      if (m.name.endsWith(".active")) expect(m.kind).toBe("upDownCounter");
      expect(m.name).not.toMatch(/total|_ms|seconds/);
    }
  });

  it("declares bounded attributes and buckets for every histogram", () => {
    for (const m of scotty.list) {
      for (const a of m.attributes) expect(a.values?.length).toBeGreaterThan(0);
      if (m.kind === "histogram") expect(m.buckets?.length).toBeGreaterThan(3);
    }
    expect(scotty.list.reduce((n, m) => n + m.maxSeries, 0)).toBeLessThanOrEqual(scotty.seriesBudget);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(scotty.list[0])).toBe(true);
  });
});
