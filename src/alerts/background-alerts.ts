import { join, resolve } from "node:path";
import { MessageChannel, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { resolveArchiveSpec } from "../archive/open-archive";
import { parameterRangeError } from "../errors";
import type { BarInterval } from "../analytics/types";
import { intervalMs } from "../analytics/interval";
import type { AlertOutboxOptions, DeliveryRecord, OutboxStats } from "./alert-outbox";
import type { AlertEngineStatus } from "./alert-engine";
import type { AlertEvent, AlertRuleSpec } from "./alert-types";
import type { AlertsSnapshot, HostedAlertsData, HostedAlertsMessage } from "./alerts-host";
import { createRule } from "./create-rule";
import { WebhookTarget, type WebhookTargetOptions } from "./webhook-target";

/**
 * The ingestion as alerts see it (structurally `Ingestion` from `startIngestion`; alerts do not import the
 * ingestion): its symbols, whether it stopped, its stats' `simulated` / `thread`, and `host(request)`, which runs
 * `require(module)[name](context)` on its own thread next to the stores.
 */
export interface AlertsHostIngestion {
  readonly symbols: readonly string[];
  readonly stopped: boolean;
  stats(): { simulated: boolean; thread: "worker" | "kernel" };
  host?(request: { module: string; name: string; data: unknown; port: MessagePort }): void;
}

/** Options of {@link startBackgroundAlerts}. */
export interface BackgroundAlertsOptions {
  rules: readonly AlertRuleSpec[];
  /** Bar width the rules run on (default "1s"). */
  interval?: BarInterval;
  /** Folder of the alert log, state and delivery journal (default ".pairlab/alerts"). */
  dir?: string;
  /** Webhook targets as plain options (`{ name, preset, url | token + chatId, template?, headers? }`); validated here, never printed. */
  webhooks?: readonly WebhookTargetOptions[];
  /** Also use the targets of the environment and .pairlab/alerts.json (default true). */
  envTargets?: boolean;
  /** Delivery tuning (timeouts, retries, concurrency). */
  delivery?: Omit<AlertOutboxOptions, "targets" | "dir" | "clock">;
  /** Poll period of the bar source, ms (default 200). */
  pollMs?: number;
  /** A bar is closed once this far past its end, ms (default 250). */
  graceMs?: number;
  /** Also log alerts in an archive's append-only alert-log table: true (the ingestion's), "file:…", "postgres://…" (see startAlerts `archive`; default: the file log only). */
  archive?: string | true;
}

/** Alerts running next to the ingestion (its worker thread); the kernel thread only reads snapshots. */
export interface BackgroundAlerts {
  /** Where the rules run: "ingestion-worker", or "kernel" when the ingestion itself runs in-thread. */
  readonly thread: "ingestion-worker" | "kernel";
  /** Absolute folder of the files (alerts.jsonl, alert-state.json, deliveries.jsonl). */
  readonly dir: string;
  /** Newest alerts (≤ 200), oldest first, as of the latest snapshot (≤ 500 ms old; read without blocking). */
  alerts(): AlertEvent[];
  /** Newest delivery outcomes (≤ 200). */
  deliveries(): DeliveryRecord[];
  /** Engine status (rules with value and state, bars, evaluation times), delivery counters and target names; undefined before the first snapshot. */
  status(): { engine: AlertEngineStatus; delivery: OutboxStats; targets: string[] } | undefined;
  /** The start error (a bad webhook, an unwritable folder), if any. */
  error(): string | undefined;
  /** Resolves at the first snapshot (rejects with the start error, or after `timeoutMs`, default 10,000). */
  ready(timeoutMs?: number): Promise<void>;
  /** Stops the rules (state persisted) and the delivery (pending jobs resume next start). Idempotent. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const KEEP = 200;
const running = new Map<string, BackgroundAlerts>();

/**
 * Starts alert rules **in the ingestion's worker thread**, next to its tick and quote stores: rules are
 * evaluated on every new bar (a `pollingBarSource` on the shared stores) and webhooks delivered whether or
 * not a cell runs, and a cell that blocks the kernel thread for minutes delays neither. Rules and webhook
 * options are validated here first (errors name the rule and field); the worker posts snapshots (alerts,
 * deliveries, status; plain JSON, no secret) that this thread reads synchronously without waiting. One run
 * per folder per kernel: a rerun stops the previous run for the same `dir` first. Needs an ingestion
 * that can host services (`startIngestion`'s); an in-thread ingestion hosts them on this thread
 * (`thread: "kernel"`). O(rules) to start.
 *
 * @throws RangeError / TypeError (E_PARAM) for a bad rule, webhook or option; Error when the ingestion cannot host services.
 * @example
 * const alerts = await startBackgroundAlerts(ingestion, { rules: [{ kind: "price-move", id: "btc-1pct", symbol: "btcusdt", window: 60, percent: 1 }] });
 * alerts.alerts(); // … await alerts.stop();
 */
export async function startBackgroundAlerts(ingestion: AlertsHostIngestion, options: BackgroundAlertsOptions): Promise<BackgroundAlerts> {
  const what = "startBackgroundAlerts";
  if (options === null || typeof options !== "object") throw parameterRangeError(what, "options", "an object { rules, … }", options);
  if (!Array.isArray(options.rules) || options.rules.length === 0) throw parameterRangeError(what, "rules", "a non-empty array of alert rule specs", options.rules);
  const ids = new Set<string>();
  const symbols = new Set<string>();
  for (const spec of options.rules) {
    const rule = createRule(spec); // validates, naming the rule id and field
    if (ids.has(spec.id)) throw parameterRangeError(what, "rules", "rules with unique ids", spec.id);
    ids.add(spec.id);
    for (const s of rule.symbols) symbols.add(s.toLowerCase());
  }
  for (const s of symbols) if (!ingestion.symbols.includes(s)) throw parameterRangeError(what, "rules", `symbols of the ingestion (${ingestion.symbols.join(", ")})`, s);
  const interval = options.interval ?? "1s";
  intervalMs(what, interval);
  if (options.archive !== undefined && options.archive !== true) resolveArchiveSpec(options.archive); // a bad setting fails here, naming `archive`
  const webhooks = [...(options.webhooks ?? [])];
  for (const w of webhooks) new WebhookTarget(w); // validates without echoing secrets
  if (typeof ingestion.host !== "function") throw new Error(`${what}: this ingestion cannot host services (use startIngestion's)`);
  const dir = resolve(options.dir ?? join(".pairlab", "alerts"));
  const previous = running.get(dir);
  if (previous !== undefined) await previous.stop();

  const data: HostedAlertsData = {
    rules: JSON.parse(JSON.stringify(options.rules)) as AlertRuleSpec[],
    symbols: [...symbols],
    interval,
    dir,
    webhooks,
    envTargets: options.envTargets ?? true,
    delivery: { ...(options.delivery ?? {}) },
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
    ...(options.archive === undefined ? {} : { archive: options.archive }),
    keep: KEEP,
    simulated: ingestion.stats().simulated,
  };
  const { port1, port2 } = new MessageChannel();
  port1.unref();
  const module = join(__dirname, __filename.endsWith(".js") ? "alerts-host.js" : "alerts-host.ts");
  const thread = ingestion.stats().thread === "worker" ? "ingestion-worker" : "kernel";
  ingestion.host({ module, name: "hostAlerts", data, port: port2 });

  let snapshot: AlertsSnapshot | undefined;
  let failure: string | undefined;
  let closed = false;
  const stoppedWaiters: (() => void)[] = [];
  const readyWaiters: (() => void)[] = [];
  const take = (m: HostedAlertsMessage): void => {
    if (m.type === "snapshot") snapshot = m;
    else if (m.type === "error") failure = m.message;
    else if (m.type === "stopped") {
      closed = true;
      for (const w of stoppedWaiters.splice(0)) w();
    }
    if (m.type !== "stopped") for (const w of readyWaiters.splice(0)) w();
  };
  // Messages are drained synchronously on each read (no need for this thread's event loop) and by the listener.
  const drain = (): void => {
    for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) take(m.message as HostedAlertsMessage);
  };
  const onMessage = (m: HostedAlertsMessage): void => take(m);
  port1.on("message", onMessage);
  port1.on("close", () => {
    closed = true;
    for (const w of stoppedWaiters.splice(0)) w();
  });
  port1.unref();
  let stopping: Promise<void> | undefined;
  const handle: BackgroundAlerts = {
    thread,
    dir,
    alerts: () => (drain(), snapshot?.alerts ?? []),
    deliveries: () => (drain(), snapshot?.deliveries ?? []),
    status: () => (drain(), snapshot?.status),
    error: () => (drain(), failure),
    ready(timeoutMs = 10_000) {
      drain();
      if (failure !== undefined) return Promise.reject(new Error(`alerts did not start: ${failure}`));
      if (snapshot !== undefined) return Promise.resolve();
      return new Promise<void>((resolveReady, reject) => {
        const timer = setTimeout(() => reject(new Error(`alerts: no snapshot within ${timeoutMs} ms (is the ingestion running?)`)), timeoutMs);
        readyWaiters.push(() => {
          clearTimeout(timer);
          if (failure !== undefined) reject(new Error(`alerts did not start: ${failure}`));
          else resolveReady();
        });
      });
    },
    stop() {
      if (stopping !== undefined) return stopping;
      stopping = (async () => {
        drain();
        if (!closed && !ingestion.stopped) {
          port1.postMessage({ type: "stop" });
          await new Promise<void>((resolveStop) => {
            const timer = setTimeout(resolveStop, 10_000);
            stoppedWaiters.push(() => {
              clearTimeout(timer);
              resolveStop();
            });
          });
        }
        drain();
        port1.off("message", onMessage);
        port1.close();
        if (running.get(dir) === handle) running.delete(dir);
      })();
      return stopping;
    },
    [Symbol.asyncDispose]() {
      return handle.stop();
    },
  };
  running.set(dir, handle);
  return handle;
}
