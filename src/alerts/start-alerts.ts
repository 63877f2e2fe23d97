import { join, resolve } from "node:path";
import { parameterRangeError } from "../errors";
import { AlertEngine, type AlertEngineStatus } from "./alert-engine";
import { AlertLog } from "./alert-log";
import { ArchiveAlertLog } from "./archive-alert-log";
import { AlertOutbox, type AlertOutboxOptions, type DeliveryRecord, type OutboxStats } from "./alert-outbox";
import type { AlertClock } from "./alert-clock";
import type { AlertEvent, AlertRuleSpec, BarSource } from "./alert-types";
import { loadWebhookTargets } from "./load-webhook-targets";
import type { WebhookTarget } from "./webhook-target";

/** Options of {@link startAlerts}. */
export interface StartAlertsOptions {
  rules: readonly AlertRuleSpec[];
  /** Bars to evaluate on (e.g. `pollingBarSource(...)` over the live ingestion). */
  source: BarSource;
  /** Folder of the state, the alert log and the delivery journal (default ".pairlab/alerts", gitignored). */
  dir?: string;
  /** Webhooks (default: `loadWebhookTargets()` — environment and .pairlab/alerts.json). */
  targets?: readonly WebhookTarget[];
  /** Delivery tuning (timeouts, retries, concurrency). */
  delivery?: Omit<AlertOutboxOptions, "targets" | "dir" | "clock">;
  /** On start, re-deliver logged alerts without a recorded outcome fired within this many ms (default 3,600,000). */
  resumeWithinMs?: number;
  /** Warm-up boundary (see AlertEngine; default now). */
  liveFrom?: number;
  /** When deliveries start (see AlertEngine `announce`; default "immediately"). */
  announce?: "immediately" | "after-commit";
  clock?: AlertClock;
  /**
   * Also log alerts in this archive's append-only alert-log table: `true` (the ingestion's archive:
   * `PAIRLAB_ARCHIVE`, else `data/pairlab.sqlite`), `"file:<path>"` (SQLite) or `"postgres://…"`; omit or `"off"` for
   * the file log only (the default). Ids logged there never fire again after a restart.
   */
  archive?: string | true;
}

/** A running alert setup: engine on the source, outbox to the webhooks. */
export interface AlertsRun {
  readonly engine: AlertEngine;
  readonly outbox: AlertOutbox;
  /** Absolute folder of the files. */
  readonly dir: string;
  /** Recent alerts, newest last. */
  alerts(): AlertEvent[];
  /** Recent delivery outcomes, newest last. */
  deliveries(): DeliveryRecord[];
  status(): { engine: AlertEngineStatus; delivery: OutboxStats; targets: string[] };
  /** The archive alert-log table (with `archive`), else undefined. */
  readonly table?: ArchiveAlertLog;
  /** Stops evaluation (state persisted) and delivery (pending jobs resume on the next start). Idempotent. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const running = new Map<string, AlertsRun>();

/**
 * Starts alerting in the background: an {@link AlertEngine} attached to `source` (rules evaluated on
 * every new bar, whether or not a cell runs), its alerts handed to an {@link AlertOutbox} for the webhooks,
 * and pending deliveries of the previous run resumed. One run per folder per kernel: rerunning the cell
 * stops the previous run for the same `dir` first (awaited), so nothing leaks and state carries over.
 * O(rules + logged alerts) to start.
 *
 * @throws RangeError (E_PARAM) for bad rules, targets or options (see AlertEngine / AlertOutbox).
 * @example
 * const run = await startAlerts({ rules, source: pollingBarSource({ ticks: ingestion.store, symbols, interval: "1s", simulated: true }) });
 * run.status().delivery.delivered; // … await run.stop();
 */
export async function startAlerts(options: StartAlertsOptions): Promise<AlertsRun> {
  if (options === null || typeof options !== "object") throw parameterRangeError("startAlerts", "options", "an object { rules, source, … }", options);
  if (options.source === null || typeof options.source !== "object" || typeof options.source.subscribe !== "function") {
    throw parameterRangeError("startAlerts", "source", "a BarSource { interval, simulated, subscribe }", options.source);
  }
  const dir = resolve(options.dir ?? join(".pairlab", "alerts"));
  const previous = running.get(dir);
  if (previous !== undefined) await previous.stop();
  const targets = options.targets ?? loadWebhookTargets();
  const setting = options.archive;
  if (setting !== undefined && setting !== true && typeof setting !== "string") throw parameterRangeError("startAlerts", "archive", 'true, "file:<path>", "postgres://…" or "off"', setting);
  const useTable = setting === true || (typeof setting === "string" && setting.trim().toLowerCase() !== "off");
  const table = useTable ? await ArchiveAlertLog.open(setting === true ? undefined : setting) : undefined;
  let engine: AlertEngine;
  let logged: AlertEvent[] = [];
  try {
    logged = table === undefined ? [] : (await table.read()).alerts;
    engine = new AlertEngine({ rules: options.rules, dir, liveFrom: options.liveFrom, clock: options.clock, simulated: options.source.simulated, announce: options.announce, archiveLog: table, logged });
  } catch (error) {
    await table?.close();
    throw error;
  }
  const outbox = new AlertOutbox({ ...(options.delivery ?? {}), targets, dir, clock: options.clock });
  const within = options.resumeWithinMs ?? 3_600_000;
  const now = (options.clock ?? { now: Date.now }).now();
  const fromFile = AlertLog.read(engine.logPath!).alerts;
  const inFile = new Set(fromFile.map((a) => a.id));
  outbox.resume([...fromFile, ...logged.filter((a) => !inFile.has(a.id))].filter((a) => now - a.firedAt <= within));
  engine.onAlert((a) => outbox.enqueue(a));
  engine.attach(options.source);
  let stopped = false;
  const run: AlertsRun = {
    engine,
    outbox,
    dir,
    table,
    alerts: () => engine.alerts(),
    deliveries: () => outbox.deliveries(),
    status: () => ({ engine: engine.status(), delivery: outbox.stats(), targets: outbox.targetNames() }),
    async stop() {
      if (stopped) return;
      stopped = true;
      await engine.stop();
      await outbox.close();
      await table?.close();
      if (running.get(dir) === run) running.delete(dir);
    },
    [Symbol.asyncDispose]() {
      return run.stop();
    },
  };
  running.set(dir, run);
  return run;
}

/** Stops every run started in this kernel (e.g. before a kernel shutdown). */
export async function stopAllAlerts(): Promise<void> {
  await Promise.all([...running.values()].map((r) => r.stop()));
}
