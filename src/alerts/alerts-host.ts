// Runs in the ingestion's thread (the ingestion worker), loaded by path through `hostService`: the alert
// engine next to the stores, so a blocked kernel thread never delays an evaluation or a webhook.
import type { MessagePort } from "node:worker_threads";
import type { BarInterval } from "../analytics/types";
import type { AlertOutboxOptions, DeliveryRecord, OutboxStats } from "./alert-outbox";
import type { AlertEngineStatus } from "./alert-engine";
import type { AlertEvent, AlertRuleSpec } from "./alert-types";
import { loadWebhookTargets } from "./load-webhook-targets";
import { pollingBarSource, type TickReader, type TouchReader } from "./polling-bar-source";
import { startAlerts } from "./start-alerts";
import { WebhookTarget, type WebhookTargetOptions } from "./webhook-target";

/**
 * What the ingestion's `hostService` passes (structurally its `WorkerServiceContext`; alerts do not import the
 * ingestion): the stores, whether the data are simulated, this service's port and its data.
 */
export interface AlertsHostContext {
  store: TickReader;
  quotes: TouchReader | undefined;
  simulated(): boolean;
  port: MessagePort;
  data: unknown;
}

/** What the kernel thread sends to start hosted alerts (structured-cloneable; webhook secrets stay in memory, never printed). */
export interface HostedAlertsData {
  rules: AlertRuleSpec[];
  symbols: string[];
  interval: BarInterval;
  dir: string;
  /** Extra webhook targets (in addition to the environment and .pairlab/alerts.json unless `envTargets` is false). */
  webhooks: WebhookTargetOptions[];
  envTargets: boolean;
  delivery: Omit<AlertOutboxOptions, "targets" | "dir" | "clock">;
  pollMs?: number;
  graceMs?: number;
  /** Newest alerts and deliveries kept in each snapshot. */
  keep: number;
  /** The kernel thread already knows the data are simulated. */
  simulated: boolean;
  /** Archive setting of the alert-log table (see startAlerts `archive`). */
  archive?: string | true;
}

/** A snapshot posted to the kernel thread (plain JSON: no secret in it). */
export interface AlertsSnapshot {
  type: "snapshot";
  alerts: AlertEvent[];
  deliveries: DeliveryRecord[];
  status: { engine: AlertEngineStatus; delivery: OutboxStats; targets: string[] };
  /** Wall time of the snapshot, epoch ms. */
  at: number;
}

/** Messages on the hosted alerts' port, to the kernel thread. */
export type HostedAlertsMessage = AlertsSnapshot | { type: "error"; message: string } | { type: "stopped" };

/**
 * Hosted service entry (`hostService(…, "hostAlerts")`): a `pollingBarSource` on the ingestion's tick store
 * (and quote store for the touch), `startAlerts` on it, and a snapshot of alerts, deliveries and status
 * posted on `context.port` at every alert (coalesced per event-loop turn) and every 500 ms. `{ type: "stop" }`
 * on the port, or the ingestion's stop, stops it (state persisted) and answers `{ type: "stopped" }`.
 * Errors at start (a bad rule, a bad webhook) are posted as `{ type: "error", message }`. O(rules) per bar.
 */
export function hostAlerts(context: AlertsHostContext): { stop(): Promise<void> } {
  const data = context.data as HostedAlertsData;
  const port: MessagePort = context.port;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  const source = pollingBarSource({
    ticks: context.store,
    quotes: context.quotes,
    symbols: data.symbols,
    interval: data.interval,
    simulated: data.simulated || context.simulated(),
    ...(data.pollMs === undefined ? {} : { pollMs: data.pollMs }),
    ...(data.graceMs === undefined ? {} : { graceMs: data.graceMs }),
  });
  const running = (async () => {
    const targets = [...(data.envTargets ? loadWebhookTargets() : []), ...data.webhooks.map((w) => new WebhookTarget(w))];
    return startAlerts({ rules: data.rules, source, dir: data.dir, targets, delivery: data.delivery, ...(data.archive === undefined ? {} : { archive: data.archive }) });
  })();
  const post = (): void => {
    pending = false;
    void running.then((run) => {
      if (stopped) return;
      const snapshot: AlertsSnapshot = { type: "snapshot", alerts: run.alerts().slice(-data.keep), deliveries: run.deliveries().slice(-data.keep), status: run.status(), at: Date.now() };
      port.postMessage(snapshot);
    });
  };
  running.then(
    (run) => {
      run.engine.onAlert(() => {
        if (!pending) {
          pending = true;
          setImmediate(post);
        }
      });
      post();
      timer = setInterval(post, 500);
      timer.unref();
    },
    (error: Error) => {
      port.postMessage({ type: "error", message: error.message });
    },
  );
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (timer !== undefined) clearInterval(timer);
    source.stop();
    try {
      const run = await running;
      await run.stop();
    } catch {
      /* the error was posted at start */
    }
    port.postMessage({ type: "stopped" });
    port.close();
  };
  port.on("message", (m: { type?: string }) => {
    if (m?.type === "stop") void stop();
  });
  port.unref();
  return { stop };
}
