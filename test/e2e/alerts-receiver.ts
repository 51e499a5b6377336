// The alerting e2e's notification end: a local webhook receiver (what Alertmanager's webhook_config
// posts to) and small clients of Alertmanager's and vmalert's HTTP APIs.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** One alert of an Alertmanager webhook payload (version 4). */
export interface WebhookAlert {
  readonly status: "firing" | "resolved";
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
}

export interface WebhookPayload {
  readonly version: string;
  readonly status: "firing" | "resolved";
  readonly receiver: string;
  readonly groupKey: string;
  readonly alerts: readonly WebhookAlert[];
}

/** A received notification, with the time it arrived (ms since the epoch). */
export interface Received {
  readonly at: number;
  readonly payload: WebhookPayload;
}

/** An HTTP server on 127.0.0.1 that records every POSTed Alertmanager webhook payload. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private server?: http.Server;

  async start(port: number): Promise<void> {
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => {
        if (req.method !== "POST") {
          res.writeHead(405).end();
          return;
        }
        try {
          this.received.push({ at: Date.now(), payload: JSON.parse(body) as WebhookPayload });
          res.writeHead(200).end();
        } catch {
          // A malformed payload is a failure of the test's subject: keep a trace and refuse it.
          console.log(`     webhook: unparsable payload ${body.slice(0, 200)}`);
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }

  get url(): string {
    const a = this.server?.address() as AddressInfo | null | undefined;
    if (!a) throw new Error("webhook receiver is not started");
    return `http://127.0.0.1:${a.port}/alerts`;
  }

  /** Every alert notified, flattened, with its arrival time. */
  alerts(): { at: number; alert: WebhookAlert }[] {
    return this.received.flatMap((r) => r.payload.alerts.map((alert) => ({ at: r.at, alert })));
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (s === undefined) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/** An alert as Alertmanager's API v2 lists it (GET /api/v2/alerts). */
export interface AlertmanagerAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly status: {
    readonly state: "active" | "suppressed" | "unprocessed";
    readonly inhibitedBy: string[];
  };
  readonly startsAt: string;
}

export async function alertmanagerAlerts(base: string): Promise<AlertmanagerAlert[]> {
  const res = await fetch(`${base}/api/v2/alerts`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`Alertmanager ${base}/api/v2/alerts answered ${res.status}`);
  return (await res.json()) as AlertmanagerAlert[];
}

/** An alert as vmalert (and VictoriaMetrics' -vmalert.proxyURL) lists it (GET /api/v1/alerts). */
export interface RuleEngineAlert {
  readonly name: string;
  readonly state: "pending" | "firing" | "inactive";
  readonly labels: Readonly<Record<string, string>>;
  readonly activeAt: string;
}

export async function ruleEngineAlerts(base: string): Promise<RuleEngineAlert[]> {
  const res = await fetch(`${base}/api/v1/alerts`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${base}/api/v1/alerts answered ${res.status}`);
  const body = (await res.json()) as { data?: { alerts?: RuleEngineAlert[] } };
  return body.data?.alerts ?? [];
}

/** One group of GET /api/v1/rules (vmalert's, or through VictoriaMetrics' proxy). */
export interface RuleGroupStatus {
  readonly name: string;
  readonly rules: readonly {
    readonly name: string;
    readonly type: "alerting" | "recording";
    readonly health: string;
    readonly lastError: string;
    readonly lastEvaluation: string;
  }[];
}

export async function ruleGroups(base: string): Promise<RuleGroupStatus[]> {
  const res = await fetch(`${base}/api/v1/rules`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${base}/api/v1/rules answered ${res.status}`);
  const body = (await res.json()) as { data?: { groups?: RuleGroupStatus[] } };
  return body.data?.groups ?? [];
}
