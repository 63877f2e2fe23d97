import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { parameterRangeError } from "../errors";
import { realAlertClock, type AlertClock } from "./alert-clock";
import type { AlertEvent } from "./alert-types";
import { createPostAgents, postJson, type PostAgents, type PostResult } from "./post-json";
import { parseRetryAfter, retryDelay, type RetryPolicy } from "./retry-delay";
import type { WebhookTarget } from "./webhook-target";

/** Options of {@link AlertOutbox}. Durations in ms. */
export interface AlertOutboxOptions {
  targets: readonly WebhookTarget[];
  /** Folder of the delivery journal `deliveries.jsonl` (created if missing). Omit: nothing survives a restart. */
  dir?: string;
  /** Per-attempt timeout (default 5,000). */
  timeoutMs?: number;
  /** Attempts per alert and target before giving up (default 10). */
  maxAttempts?: number;
  /** Backoff (defaults 500 / 60,000 / 600,000). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxRetryAfterMs?: number;
  /** Requests in flight at once, all targets together (default 4). */
  concurrency?: number;
  clock?: AlertClock;
  /** Uniform [0, 1) source for the jitter (tests: seeded). */
  random?: () => number;
}

/** One finished delivery (journal line and panel row). Never holds a secret. */
export interface DeliveryRecord {
  id: string;
  target: string;
  outcome: "delivered" | "failed";
  /** Last HTTP status (0: network error or timeout). */
  status: number;
  attempts: number;
  /** Wall time of the outcome, epoch ms. */
  at: number;
  /** From the alert's firing to the accepted response, ms (NaN when failed). */
  latencyMs: number;
  /** Last error, redacted. */
  error: string;
}

/** Counters of an {@link AlertOutbox}. */
export interface OutboxStats {
  /** Jobs (alert × target) waiting, backing off or in flight. */
  pending: number;
  inFlight: number;
  delivered: number;
  failed: number;
  /** Attempts that did not succeed and were retried. */
  retries: number;
  /** Latency from firing to the receiver's accepted response, ms: p50 / p99 / max over delivered jobs. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  /** Last error, redacted. */
  lastError: string;
}

interface Job {
  key: string;
  alert: AlertEvent;
  target: WebhookTarget;
  attempts: number;
  timer: unknown;
  lastStatus: number;
  lastError: string;
}

const JOURNAL = "deliveries.jsonl";

/**
 * Delivers alerts to webhooks, off the evaluation path: `enqueue` only records the job in memory and
 * returns; POSTs run asynchronously with at most `concurrency` in flight, each with a timeout, so a slow or
 * dead receiver never blocks the caller (the engine, the ingestion).
 *
 * Retries: network errors, timeouts, 408, 425, 429 and 5xx are retried with exponential backoff and equal
 * jitter ({@link retryDelay}), honouring `Retry-After` (429/503) when longer; other 4xx (a wrong URL or
 * token) fail at once; after `maxAttempts` the job fails. Every outcome is appended (fsync'd) to
 * `deliveries.jsonl`.
 *
 * Exactly once per alert id and target: a job key is enqueued once (duplicates ignored), is never in flight
 * twice, and is never sent again once a 2xx was recorded. On restart, {@link resume} re-enqueues every
 * logged alert without a recorded outcome — pending deliveries resume, delivered ones are not resent. The
 * one window left — a crash after the receiver accepted but before the outcome was fsync'd — resends the
 * same alert id, which receivers deduplicate via the `Idempotency-Key` header / `alert_id` body field.
 *
 * @throws RangeError (E_PARAM) for bad options (naming the field).
 * @example
 * const outbox = new AlertOutbox({ targets: [target], dir: ".pairlab/alerts" });
 * engine.onAlert((a) => outbox.enqueue(a));
 * await outbox.close(); // on shutdown
 */
export class AlertOutbox {
  private readonly targets: readonly WebhookTarget[];
  private readonly journal: string | undefined;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly policy: RetryPolicy;
  private readonly concurrency: number;
  private readonly clock: AlertClock;
  private readonly random: () => number;
  private readonly agents: PostAgents;
  private readonly abort = new AbortController();
  private readonly known = new Set<string>();
  private readonly jobs = new Map<string, Job>();
  private readonly ready: Job[] = [];
  private readonly records: DeliveryRecord[] = [];
  private readonly latencies: number[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private inFlight = 0;
  private delivered = 0;
  private failed = 0;
  private retries = 0;
  private lastError = "";
  private closed = false;

  constructor(options: AlertOutboxOptions) {
    const what = "AlertOutbox";
    if (!Array.isArray(options?.targets)) throw parameterRangeError(what, "targets", "an array of WebhookTarget", options?.targets);
    const names = new Set<string>();
    for (const t of options.targets) {
      if (names.has(t.name)) throw parameterRangeError(what, "targets", "targets with unique names", `duplicate name ${JSON.stringify(t.name)}`);
      names.add(t.name);
    }
    this.targets = [...options.targets];
    const num = (field: string, v: number | undefined, dflt: number, min: number): number => {
      const x = v ?? dflt;
      if (typeof x !== "number" || !Number.isFinite(x) || x < min) throw parameterRangeError(what, field, `a finite number >= ${min}`, x);
      return x;
    };
    this.timeoutMs = num("timeoutMs", options.timeoutMs, 5000, 1);
    this.maxAttempts = num("maxAttempts", options.maxAttempts, 10, 1);
    this.policy = {
      baseDelayMs: num("baseDelayMs", options.baseDelayMs, 500, 0),
      maxDelayMs: num("maxDelayMs", options.maxDelayMs, 60_000, 0),
      maxRetryAfterMs: num("maxRetryAfterMs", options.maxRetryAfterMs, 600_000, 0),
    };
    this.concurrency = num("concurrency", options.concurrency, 4, 1);
    this.clock = options.clock ?? realAlertClock;
    this.random = options.random ?? Math.random;
    this.agents = createPostAgents();
    if (options.dir !== undefined) {
      mkdirSync(options.dir, { recursive: true });
      this.journal = join(options.dir, JOURNAL);
      for (const r of AlertOutbox.readJournal(this.journal)) {
        this.known.add(`${r.id}\u0000${r.target}`);
        this.records.push(r);
      }
      if (this.records.length > 500) this.records.splice(0, this.records.length - 500);
    }
  }

  /** Reads a delivery journal (torn or bad lines skipped). A missing file reads as empty. O(bytes). */
  static readJournal(path: string): DeliveryRecord[] {
    if (!existsSync(path)) return [];
    const out: DeliveryRecord[] = [];
    for (const line of readFileSync(path, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      try {
        const r = JSON.parse(line) as DeliveryRecord;
        if (typeof r.id === "string" && typeof r.target === "string") out.push(r);
      } catch {
        /* torn line */
      }
    }
    return out;
  }

  /** Queues `alert` for every target; returns how many jobs were added (0 when all were already known, or after `close()`). O(targets), no I/O. */
  enqueue(alert: AlertEvent): number {
    if (this.closed) return 0;
    let added = 0;
    for (const target of this.targets) {
      const key = `${alert.id}\u0000${target.name}`;
      if (this.known.has(key)) continue;
      this.known.add(key);
      const job: Job = { key, alert, target, attempts: 0, timer: undefined, lastStatus: 0, lastError: "" };
      this.jobs.set(key, job);
      this.ready.push(job);
      added++;
    }
    if (added > 0) queueMicrotask(() => this.pump());
    return added;
  }

  /** Re-enqueues the alerts (e.g. `AlertLog.read(path).alerts`) that have no recorded outcome for a target. Returns the jobs added. */
  resume(alerts: readonly AlertEvent[]): number {
    let added = 0;
    for (const a of alerts) added += this.enqueue(a);
    return added;
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.concurrency && this.ready.length > 0) {
      const job = this.ready.shift()!;
      this.inFlight++;
      void this.attempt(job);
    }
    this.checkIdle();
  }

  private async attempt(job: Job): Promise<void> {
    job.attempts++;
    let result: PostResult;
    try {
      const req = job.target.request(job.alert);
      result = await postJson(req.url, req.body, req.headers, this.timeoutMs, this.agents, this.abort.signal);
    } catch (error) {
      result = { status: 0, retryAfter: undefined, error: error instanceof Error ? error.message : String(error) };
    }
    this.inFlight--;
    if (this.closed) return;
    job.lastStatus = result.status;
    job.lastError = job.target.redact(result.error || (result.status >= 300 ? `HTTP ${result.status}` : ""));
    if (result.status >= 200 && result.status < 300) {
      this.finish(job, "delivered");
    } else {
      const s = result.status;
      const retryable = s === 0 || s === 408 || s === 425 || s === 429 || s >= 500;
      this.lastError = `${job.target.name}: ${job.lastError}`;
      if (!retryable || job.attempts >= this.maxAttempts) this.finish(job, "failed");
      else {
        this.retries++;
        const after = s === 429 || s === 503 ? parseRetryAfter(result.retryAfter, this.clock.now()) : NaN;
        const delay = retryDelay(job.attempts, this.policy, this.random, after);
        job.timer = this.clock.setTimeout(() => {
          job.timer = undefined;
          this.ready.push(job);
          this.pump();
        }, delay);
      }
    }
    this.pump();
  }

  private finish(job: Job, outcome: "delivered" | "failed"): void {
    this.jobs.delete(job.key);
    const now = this.clock.now();
    const latencyMs = outcome === "delivered" ? now - job.alert.firedAt : NaN;
    const record: DeliveryRecord = { id: job.alert.id, target: job.target.name, outcome, status: job.lastStatus, attempts: job.attempts, at: now, latencyMs, error: outcome === "delivered" ? "" : job.lastError };
    if (outcome === "delivered") {
      this.delivered++;
      this.latencies.push(latencyMs);
      if (this.latencies.length > 10_000) this.latencies.shift();
    } else this.failed++;
    this.records.push(record);
    if (this.records.length > 500) this.records.shift();
    if (this.journal !== undefined) {
      try {
        const fd = openSync(this.journal, "a", 0o600);
        try {
          writeSync(fd, JSON.stringify(record) + "\n");
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      } catch (error) {
        this.lastError = `journal: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  }

  private checkIdle(): void {
    if (this.jobs.size === 0 && this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves when no job is pending or in flight (tests, notebooks). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  /** Recent outcomes (newest last, at most 500; includes the journal after a restart). */
  deliveries(): DeliveryRecord[] {
    return [...this.records];
  }

  /** Counters and latency percentiles. O(delivered log delivered). */
  stats(): OutboxStats {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const q = (p: number): number => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]);
    return {
      pending: this.jobs.size,
      inFlight: this.inFlight,
      delivered: this.delivered,
      failed: this.failed,
      retries: this.retries,
      latencyP50Ms: q(0.5),
      latencyP99Ms: q(0.99),
      latencyMaxMs: sorted.length === 0 ? NaN : sorted[sorted.length - 1],
      lastError: this.lastError,
    };
  }

  /** Target names (never secrets). */
  targetNames(): string[] {
    return this.targets.map((t) => t.name);
  }

  /** What `JSON.stringify` shows: target names and counters — never a URL (the sockets' request paths hold them). */
  toJSON(): { targets: string[]; stats: OutboxStats } {
    return { targets: this.targetNames(), stats: this.stats() };
  }

  /** What `console.log` / notebooks show: the same summary as {@link toJSON}. */
  [inspect.custom](): string {
    return `AlertOutbox ${inspect(this.toJSON(), { depth: 3 })}`;
  }

  /**
   * Stops: aborts requests in flight, clears retry timers, closes keep-alive sockets. Pending jobs are not
   * recorded, so a later outbox with the same `dir` resumes them from the alert log. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    for (const job of this.jobs.values()) if (job.timer !== undefined) this.clock.clearTimeout(job.timer);
    this.ready.length = 0;
    this.agents.destroy();
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
