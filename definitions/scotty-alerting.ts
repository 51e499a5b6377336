// The scotty service's objectives and alerts: the built-in example of defineAlerting. Kept beside
// the catalogue (definitions/scotty.ts) so that apps importing `scotty` pay nothing for it.
import { defineAlerting } from "./alerting";
import { scotty } from "./scotty";

export const scottyAlerting = defineAlerting(scotty, {
  objectives: {
    // Cancelled tasks were stopped on purpose: only task.status "failed" (the attribute's declared
    // failure value) spends the budget.
    tasksAvailability: {
      sli: "availability",
      metric: "tasks",
      target: 99.5,
      window: "30d",
      title: "Tasks succeed",
      description: "Share of finished tasks that did not fail.",
    },
    taskLatency: {
      sli: "latency",
      metric: "taskDuration",
      threshold: 30,
      target: 99,
      window: "30d",
      title: "Tasks finish within 30 s",
      description: "Share of tasks that ran 30 s or less.",
    },
  },
  alerts: {
    TaskDurationP99High: {
      metric: "taskDuration",
      measure: "p99",
      above: 300,
      window: "15m",
      for: "15m",
      severity: "ticket",
      summary: "Task p99 duration of {{ $labels.job }} is {{ $value | humanizeDuration }}, above 5 minutes.",
    },
    TaskOutputBufferHigh: {
      metric: "taskOutputBuffer",
      above: 256 * 1024 * 1024,
      for: "10m",
      severity: "ticket",
      summary: "{{ $labels.job }} holds {{ $value | humanize1024 }}B of task output in memory.",
      description:
        "Task output is buffered faster than clients read it; memory grows until the process is killed.",
    },
  },
});

export default scottyAlerting;
