// The scotty service's catalogue: the built-in example and the dev stack's default.
import { defineMetrics } from "./define";

const streamSeconds = [0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600];
const sessionSeconds = [1, 5, 15, 30, 60, 300, 600, 1800, 3600, 7200];
const taskSeconds = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];
const taskStatus = {
  description: "How the task ended.",
  values: ["succeeded", "failed", "cancelled"],
  // A cancelled task was stopped on purpose: not an error.
  failure: ["failed"],
} as const;

export const scotty = defineMetrics({
  name: "scotty",
  title: "Scotty",
  groups: {
    logs: { title: "Log streaming", description: "Container log streams served to clients." },
    shell: { title: "Shell sessions", description: "Interactive shell sessions into containers." },
    websocket: { title: "WebSocket", description: "The WebSocket connections of the UI and CLI." },
    tasks: { title: "Tasks", description: "Background tasks (deploys, rebuilds, …) and their output." },
    system: { title: "System health", description: "The scotty process itself." },
  },
  seriesBudget: 500,
  metrics: {
    // Log streaming
    logStreamsActive: {
      name: "scotty.log_streams.active",
      kind: "upDownCounter",
      unit: "{stream}",
      description: "Log streams open right now.",
      group: "logs",
      title: "Open log streams",
    },
    logStreams: {
      name: "scotty.log_streams",
      kind: "counter",
      unit: "{stream}",
      description: "Log streams opened.",
      group: "logs",
      title: "Log streams opened",
      requests: { duration: "logStreamDuration", saturation: "logStreamsActive" },
    },
    logStreamDuration: {
      name: "scotty.log_stream.duration",
      kind: "histogram",
      unit: "s",
      description: "How long a log stream stayed open.",
      group: "logs",
      buckets: streamSeconds,
      title: "Log stream duration",
    },
    logLinesReceived: {
      name: "scotty.log_lines.received",
      kind: "counter",
      unit: "{line}",
      description: "Log lines received from containers.",
      group: "logs",
    },
    logStreamErrors: {
      name: "scotty.log_stream.errors",
      kind: "counter",
      unit: "{error}",
      description: "Log streams that failed.",
      group: "logs",
      attributes: {
        "error.type": {
          description: "Why the stream failed.",
          values: ["container_not_found", "connection_lost", "permission_denied", "timeout", "internal"],
        },
      },
      title: "Log stream errors",
      failuresOf: "logStreams",
    },
    logCacheHitRatio: {
      name: "scotty.log_cache.hit_ratio",
      kind: "gauge",
      unit: "1",
      description: "Share of log reads served from the in-memory cache.",
      group: "logs",
      title: "Log cache hit ratio",
      aggregation: "avg",
      thresholds: { warning: 0.8, critical: 0.5, below: true },
    },
    logStreamBytes: {
      // "bytes" is the suffix the unit adds, so the exporter does not double it.
      name: "scotty.log_stream.bytes",
      kind: "counter",
      unit: "By",
      description: "Bytes of log output sent to clients.",
      group: "logs",
      title: "Log bytes sent",
    },

    // Shell sessions
    shellSessionsActive: {
      name: "scotty.shell_sessions.active",
      kind: "upDownCounter",
      unit: "{session}",
      description: "Shell sessions open right now.",
      group: "shell",
      title: "Open shell sessions",
    },
    shellSessionTimeouts: {
      name: "scotty.shell_session.timeouts",
      kind: "counter",
      unit: "{session}",
      description: "Shell sessions closed for inactivity.",
      group: "shell",
      title: "Sessions closed idle",
    },
    shellSessions: {
      name: "scotty.shell_sessions",
      kind: "counter",
      unit: "{session}",
      description: "Shell sessions started.",
      group: "shell",
      title: "Shell sessions started",
      requests: { duration: "shellSessionDuration", saturation: "shellSessionsActive" },
    },
    shellSessionDuration: {
      name: "scotty.shell_session.duration",
      kind: "histogram",
      unit: "s",
      description: "How long a shell session lasted.",
      group: "shell",
      buckets: sessionSeconds,
      title: "Shell session duration",
    },
    shellSessionErrors: {
      name: "scotty.shell_session.errors",
      kind: "counter",
      unit: "{error}",
      description: "Shell sessions that failed.",
      group: "shell",
      attributes: {
        "error.type": {
          description: "Why the session failed.",
          values: ["spawn_failed", "connection_lost", "permission_denied", "internal"],
        },
      },
      title: "Shell session errors",
      failuresOf: "shellSessions",
    },

    // WebSocket
    websocketConnectionsActive: {
      name: "scotty.websocket_connections.active",
      kind: "upDownCounter",
      unit: "{connection}",
      description: "WebSocket connections open right now.",
      group: "websocket",
      title: "Open WebSocket connections",
    },
    websocketConnections: {
      name: "scotty.websocket_connections",
      kind: "counter",
      unit: "{connection}",
      description: "WebSocket connections accepted.",
      group: "websocket",
      title: "WebSocket connections accepted",
      requests: { saturation: "websocketConnectionsActive" },
    },
    websocketMessagesSent: {
      name: "scotty.websocket_messages.sent",
      kind: "counter",
      unit: "{message}",
      description: "WebSocket messages sent to clients.",
      group: "websocket",
      attributes: {
        "message.type": {
          description: "The message's kind.",
          values: ["log_line", "shell_output", "task_output", "status", "ping", "other"],
        },
      },
      title: "Messages sent",
    },
    websocketMessagesReceived: {
      name: "scotty.websocket_messages.received",
      kind: "counter",
      unit: "{message}",
      description: "WebSocket messages received from clients.",
      group: "websocket",
      attributes: {
        "message.type": {
          description: "The message's kind.",
          values: ["shell_input", "subscribe", "unsubscribe", "ping", "other"],
        },
      },
      title: "Messages received",
    },
    websocketAuthFailures: {
      name: "scotty.websocket_auth.failures",
      kind: "counter",
      unit: "{failure}",
      description: "WebSocket connections refused at authentication.",
      group: "websocket",
      attributes: {
        reason: {
          description: "Why authentication failed.",
          values: ["missing_token", "invalid_token", "expired_token", "forbidden"],
        },
      },
      title: "Authentication failures",
      failuresOf: "websocketConnections",
    },

    // Tasks
    tasksActive: {
      name: "scotty.tasks.active",
      kind: "upDownCounter",
      unit: "{task}",
      description: "Tasks running right now.",
      group: "tasks",
      title: "Running tasks",
    },
    tasks: {
      name: "scotty.tasks",
      kind: "counter",
      unit: "{task}",
      description: "Tasks finished, by outcome.",
      group: "tasks",
      attributes: { "task.status": taskStatus },
      title: "Tasks finished",
      requests: { duration: "taskDuration", saturation: "taskWorkers" },
    },
    taskDuration: {
      name: "scotty.task.duration",
      kind: "histogram",
      unit: "s",
      description: "How long a task ran, by outcome.",
      group: "tasks",
      buckets: taskSeconds,
      attributes: { "task.status": taskStatus },
      title: "Task duration",
    },
    taskWorkers: {
      name: "scotty.task.workers",
      kind: "upDownCounter",
      unit: "{worker}",
      description: "Task workers, by state.",
      group: "tasks",
      title: "Task workers",
      attributes: {
        "worker.state": {
          description: "Whether the worker runs a task.",
          values: ["busy", "idle"],
          // Busy + idle = the pool: busy / pool is the tasks' saturation.
          partition: true,
          inUse: ["busy"],
        },
      },
    },
    taskOutputLines: {
      name: "scotty.task.output_lines",
      kind: "counter",
      unit: "{line}",
      description: "Output lines written by tasks.",
      group: "tasks",
      title: "Task output lines",
    },
    taskOutputBuffer: {
      name: "scotty.task.output_buffer",
      kind: "gauge",
      unit: "By",
      description: "Bytes of task output held in memory.",
      group: "tasks",
      title: "Task output buffered",
      // Bytes held by each instance add up to what the service holds.
      aggregation: "sum",
    },

    // System health (observed by the instrumentation module itself)
    memoryUsage: {
      name: "scotty.memory.usage",
      kind: "gauge",
      unit: "By",
      description: "Memory used by the scotty process.",
      group: "system",
      observedBy: "process.memory",
      attributes: {
        "memory.type": {
          description: "Which memory figure: resident set, V8 heap total or used, external.",
          values: ["rss", "heap_total", "heap_used", "external"],
          // Different figures (heap_used is part of heap_total, both of rss): never added up.
          partition: true,
          headline: "rss",
        },
      },
      title: "Memory",
      // The service's footprint: every instance's figure of one memory type, added up.
      aggregation: "sum",
    },
    cpuUsage: {
      name: "scotty.cpu.usage",
      kind: "gauge",
      unit: "%",
      description: "CPU used by the scotty process, in percent of one core, since the last observation.",
      group: "system",
      observedBy: "process.cpu",
      title: "CPU",
      // The busiest instance: an average would hide one saturated process.
      aggregation: "max",
      thresholds: { warning: 80, critical: 95 },
    },
    uptime: {
      name: "scotty.uptime",
      kind: "counter",
      unit: "s",
      description: "Seconds since the scotty process started.",
      group: "system",
      observedBy: "process.uptime",
      title: "Uptime",
      uptime: true,
    },
  },
});

export default scotty;
