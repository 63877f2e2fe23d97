import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PairlabError, parameterRangeError } from "../errors";
import { AlertLog } from "./alert-log";
import type { ArchiveAlertLog } from "./archive-alert-log";
import { realAlertClock, type AlertClock } from "./alert-clock";
import type { AlertBar, AlertEvent, AlertFrequency, AlertRuleSpec, BarSource, JsonValue, RuleContext, RuleEvaluator, Touch } from "./alert-types";
import { createRule } from "./create-rule";
import { writeFileAtomicAsync } from "./write-file-atomic";

/** Options of {@link AlertEngine}. */
export interface AlertEngineOptions {
  rules: readonly AlertRuleSpec[];
  /**
   * Folder for the engine's files (created if missing): `alert-state.json` (rule state, atomic writes) and
   * `alerts.jsonl` (the append-only alert log). Omit for a memory-only engine (nothing survives a restart).
   */
  dir?: string;
  /** Bar width, ms, when bars are fed with `process()` (default: the attached source's). */
  interval?: number;
  /**
   * Bars that closed before this time (epoch ms) are warm-up: rules see them and update their state, but
   * nothing fires (TradingView alerts never fire on history). Default: the clock's now at construction.
   */
  liveFrom?: number;
  /** Label alerts SIMULATED (default: the attached source's `simulated`, else false). */
  simulated?: boolean;
  /** Clock (tests). */
  clock?: AlertClock;
  /** Debounce for persisting state when nothing fired (default 1,000 ms). Firing persists at once. */
  persistEveryMs?: number;
  /** Alerts kept in memory for the panel (default 500). */
  keep?: number;
  /**
   * When the `onAlert` listeners (the webhook outbox, the panel) hear of an alert:
   * - `"immediately"` (default): right after the evaluation, while the log line and the state are written
   *   in parallel — delivery latency does not include the fsyncs;
   * - `"after-commit"`: only once the alert is fsync'd in the log and the state written — nothing is ever
   *   sent that the log does not hold, at the price of the fsync latency (tens of ms on a slow disk).
   * Either way an alert id fires once, and the receivers deduplicate on it.
   */
  announce?: "immediately" | "after-commit";
  /**
   * Also append every fired alert to the archive's append-only alert-log table (keyed by alert id), after the
   * file log; a failing table is retried on the next commit and reported in `status().persistError`.
   */
  archiveLog?: ArchiveAlertLog;
  /** Alerts already logged elsewhere (e.g. `await archiveLog.read()`): their ids never fire again. */
  logged?: readonly AlertEvent[];
}

/** Per-rule status shown by the alert panel. */
export interface RuleStatus {
  id: string;
  name: string;
  kind: AlertRuleSpec["kind"];
  frequency: AlertFrequency;
  /** "warming up" until enough bars; "done" for a fired "once" rule; "error" after an evaluation threw. */
  status: "warming up" | "active" | "done" | "error";
  barsNeeded: number;
  /** Latest value the rule computed (z, correlation, %, p-value, bps), NaN before the first. */
  value: number;
  fired: number;
  /** Signals dropped by the cooldown. */
  suppressed: number;
  /** Signals on warm-up bars (not fired). */
  warmup: number;
  lastFiredBarTime: number;
  lastError: string;
}

/** Engine-wide status. */
export interface AlertEngineStatus {
  rules: RuleStatus[];
  /** Bar updates processed / ignored (out of order or after the bar closed). */
  updates: number;
  ignored: number;
  closedBars: number;
  lastBarTime: number;
  /** Evaluation time per update, µs: mean, p99 (over the last 1,000 updates), max. */
  evalMeanUs: number;
  evalP99Us: number;
  evalMaxUs: number;
  /** Alerts dropped because their id had already fired (a replay after a restart). */
  duplicates: number;
  /** Last error writing the state file in the background ("" when none). */
  persistError: string;
  simulated: boolean;
}

interface RuleRuntime {
  rule: RuleEvaluator;
  specJson: string;
  name: string;
  frequency: AlertFrequency;
  cooldownMs: number;
  fired: number;
  suppressed: number;
  warmup: number;
  lastFiredBarTime: number;
  firedOnBar: number;
  done: boolean;
  lastError: string;
}

interface PersistedRule {
  spec: string;
  state: JsonValue;
  fired: number;
  lastFiredBarTime: number | null;
  firedOnBar: number | null;
  done: boolean;
}

interface PersistedState {
  version: 1;
  lastBarTime: number | null;
  rules: Record<string, PersistedRule>;
}

const STATE_FILE = "alert-state.json";
const LOG_FILE = "alerts.jsonl";
const WHAT = "alert engine";

/** JSON with sorted keys: the identity of a rule spec across restarts. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * One symbol's closed-bar history: a ring of `cap` values stored twice (`buf[i]` and `buf[i + cap]`), so the
 * last m values plus the forming bar's value are always one contiguous range of `buf` and a window is a view
 * (no copy, no allocation of a data buffer per rule per bar: the per-bar garbage that made GC pauses).
 */
class History {
  buf: Float64Array;
  count = 0;
  constructor(readonly cap: number) {
    this.buf = new Float64Array(2 * cap);
  }
  push(v: number): void {
    const i = this.count % this.cap;
    this.buf[i] = v;
    this.buf[i + this.cap] = v;
    this.count++;
  }
  /**
   * The last `m` pushed values followed by `current` (m + 1 values), as a view into the ring valid until the
   * next update: `current` is written into the slot the next `push` fills (the oldest value, which no window
   * reaches since m + 1 < cap). Null when fewer than m values were pushed. O(1).
   */
  window(m: number, current: number): Float64Array | null {
    if (m > this.count || m + 1 >= this.cap) return null;
    const slot = this.count % this.cap;
    this.buf[slot] = current;
    this.buf[slot + this.cap] = current;
    const end = slot + this.cap + 1;
    return this.buf.subarray(end - m - 1, end);
  }
}

/**
 * Evaluates alert rules on every new bar, in the background: once attached to a {@link BarSource} it is
 * driven by the source's updates (timers, sockets), never by a notebook cell. Each update:
 * 1. updates per-symbol close history (bounded: the largest window any rule needs);
 * 2. evaluates each rule its frequency allows (see {@link AlertFrequency}): "once-per-bar-close" only on
 *    closed bars, "once-per-bar" on every update (firing at most once per bar), "once" until it fired;
 * 3. drops signals inside the rule's cooldown (bar time) and signals on warm-up bars (closed before
 *    `liveFrom`), counting both;
 * 4. gives each alert a deterministic id `<ruleId>:<barTime>:<key>` and drops ids already fired;
 * 5. when alerts fire: calls the `onAlert` listeners (e.g. the webhook outbox; with `announce:
 *    "after-commit"` only after step 6), snapshots the rule state at once, then
 * 6. asynchronously, off the evaluation path, commits in firing order (bursts coalesced): appends the
 *    alerts to `alerts.jsonl` (fsync'd), then writes the snapshot atomically. A crash before the log write:
 *    the state on disk predates the bar, which is re-evaluated after the restart and fires the same id
 *    (receivers deduplicate it if it was already sent); a crash after it never re-fires (ids in the log are
 *    dropped).
 *
 * Restart: with `dir`, the constructor restores each rule whose spec is unchanged (JSON-equal) and the
 * last processed bar time; bars up to that time only rebuild history (no evaluation), and ids already in
 * the log never fire again. So a kernel restart never re-fires an alert already sent.
 *
 * A rule that throws (bad data) is marked "error" and skipped for that update; others still run.
 * Complexity per update: Σ over evaluated rules of their window (O(window)); ADF every N bars.
 *
 * @throws RangeError (E_PARAM) for bad rule specs (naming rule id and field), duplicate ids, bad options.
 * @example
 * const engine = new AlertEngine({ rules: [{ kind: "price-move", id: "btc-move", symbol: "btcusdt", window: 60, percent: 0.5 }], dir: ".pairlab/alerts" });
 * engine.onAlert((a) => console.log(a.message));
 * engine.attach(source); // evaluates on every bar from now on; engine.stop() to end
 */
export class AlertEngine {
  private readonly runtimes: RuleRuntime[];
  private readonly clock: AlertClock;
  private readonly dir: string | undefined;
  private readonly log: AlertLog | undefined;
  private readonly archiveLog: ArchiveAlertLog | undefined;
  private readonly statePath: string | undefined;
  private readonly listeners = new Set<(alert: AlertEvent) => void>();
  private readonly histories = new Map<string, History>();
  private readonly symbols: string[];
  private readonly seen = new Set<string>();
  private readonly recent: AlertEvent[] = [];
  private readonly keep: number;
  private readonly persistEveryMs: number;
  private interval: number | undefined;
  private liveFrom: number;
  private simulated: boolean | undefined;
  private unsubscribe: (() => void) | undefined;
  private persistTimer: unknown;
  private dirty = false;
  private commits: Promise<void> = Promise.resolve();
  private committing = false;
  private pendingAlerts: AlertEvent[] = [];
  private pendingSnapshot: string | undefined;
  private readonly announceAfterCommit: boolean;
  private persistError = "";
  private stopped = false;
  private restoredUntil = -Infinity;
  private curTime = -Infinity;
  private curClosed = true;
  private cur: Record<string, number> = {};
  private touches: Readonly<Record<string, Touch>> = {};
  private updates = 0;
  private ignored = 0;
  private closedBars = 0;
  private duplicates = 0;
  private lastBarTime = NaN;
  private readonly evalUs = new Float64Array(1000);
  private evalCount = 0;
  private evalTotalUs = 0;
  private evalMaxUs = 0;

  constructor(options: AlertEngineOptions) {
    if (options === null || typeof options !== "object" || !Array.isArray(options.rules)) {
      throw parameterRangeError(WHAT, "rules", "an array of rule specs", options?.rules);
    }
    this.clock = options.clock ?? realAlertClock;
    const ids = new Set<string>();
    this.runtimes = options.rules.map((spec) => {
      const rule = createRule(spec);
      if (ids.has(spec.id)) throw parameterRangeError(WHAT, "rules", "rules with unique ids", `duplicate id ${JSON.stringify(spec.id)}`);
      ids.add(spec.id);
      return {
        rule,
        specJson: stableJson(spec),
        name: spec.name ?? spec.id,
        frequency: spec.frequency ?? "once-per-bar-close",
        cooldownMs: spec.cooldownMs ?? 0,
        fired: 0,
        suppressed: 0,
        warmup: 0,
        lastFiredBarTime: -Infinity,
        firedOnBar: -Infinity,
        done: false,
        lastError: "",
      };
    });
    this.symbols = [...new Set(this.runtimes.flatMap((r) => r.rule.symbols))];
    const cap = Math.max(2, ...this.runtimes.map((r) => r.rule.barsNeeded)) + 1;
    for (const s of this.symbols) this.histories.set(s, new History(cap));
    if (options.interval !== undefined && (!Number.isInteger(options.interval) || options.interval < 1)) {
      throw parameterRangeError(WHAT, "interval", "an integer number of ms >= 1", options.interval);
    }
    this.interval = options.interval;
    this.liveFrom = options.liveFrom ?? this.clock.now();
    if (typeof this.liveFrom !== "number" || Number.isNaN(this.liveFrom)) throw parameterRangeError(WHAT, "liveFrom", "an epoch-ms number", options.liveFrom);
    this.simulated = options.simulated;
    this.keep = options.keep ?? 500;
    const announce = options.announce ?? "immediately";
    if (announce !== "immediately" && announce !== "after-commit") throw parameterRangeError(WHAT, "announce", '"immediately" or "after-commit"', announce);
    this.announceAfterCommit = announce === "after-commit";
    this.persistEveryMs = options.persistEveryMs ?? 1000;
    if (!Number.isFinite(this.persistEveryMs) || this.persistEveryMs < 0) throw parameterRangeError(WHAT, "persistEveryMs", "a number of ms >= 0", options.persistEveryMs);
    this.archiveLog = options.archiveLog;
    if (options.logged !== undefined && !Array.isArray(options.logged)) throw parameterRangeError(WHAT, "logged", "an array of logged alerts (e.g. (await archiveLog.read()).alerts)", options.logged);
    for (const a of options.logged ?? []) {
      if (a === null || typeof a !== "object" || typeof a.id !== "string") continue; // not an alert: nothing to deduplicate
      if (this.seen.has(a.id)) continue;
      this.seen.add(a.id);
      this.recent.push(a);
    }
    if (this.recent.length > this.keep) this.recent.splice(0, this.recent.length - this.keep);
    this.dir = options.dir;
    if (this.dir !== undefined) {
      mkdirSync(this.dir, { recursive: true });
      this.log = new AlertLog(join(this.dir, LOG_FILE));
      this.statePath = join(this.dir, STATE_FILE);
      this.restore();
    }
  }

  /** Path of the alert log (JSON Lines), when the engine has a `dir`. */
  get logPath(): string | undefined {
    return this.log?.path;
  }

  private restore(): void {
    for (const a of AlertLog.read(this.log!.path).alerts) {
      if (this.seen.has(a.id)) continue;
      this.seen.add(a.id);
      this.recent.push(a);
    }
    this.recent.sort((a, b) => a.firedAt - b.firedAt);
    if (this.recent.length > this.keep) this.recent.splice(0, this.recent.length - this.keep);
    if (!existsSync(this.statePath!)) return;
    let state: PersistedState;
    try {
      state = JSON.parse(readFileSync(this.statePath!, "utf8")) as PersistedState;
    } catch {
      return; // unreadable state (never half-written: atomic writes) — start fresh; the log still dedups ids
    }
    if (state.version !== 1) return;
    if (typeof state.lastBarTime === "number") {
      this.restoredUntil = state.lastBarTime;
      this.lastBarTime = state.lastBarTime;
    }
    for (const rt of this.runtimes) {
      const p = state.rules?.[rt.rule.spec.id];
      if (p === undefined || p.spec !== rt.specJson) continue; // new or edited rule: fresh state
      rt.rule.restore(p.state);
      rt.fired = p.fired;
      rt.lastFiredBarTime = p.lastFiredBarTime ?? -Infinity;
      rt.firedOnBar = p.firedOnBar ?? -Infinity;
      rt.done = p.done;
    }
  }

  /** The persisted state as of now (JSON text), taken synchronously so later bars never leak into it. */
  private snapshot(): string {
    const rules: Record<string, PersistedRule> = {};
    for (const rt of this.runtimes) {
      rules[rt.rule.spec.id] = {
        spec: rt.specJson,
        state: rt.rule.state(),
        fired: rt.fired,
        lastFiredBarTime: Number.isFinite(rt.lastFiredBarTime) ? rt.lastFiredBarTime : null,
        firedOnBar: Number.isFinite(rt.firedOnBar) ? rt.firedOnBar : null,
        done: rt.done,
      };
    }
    const state: PersistedState = { version: 1, lastBarTime: Number.isFinite(this.lastBarTime) ? this.lastBarTime : null, rules };
    return JSON.stringify(state);
  }

  /**
   * Queues a durable commit: the alert lines are appended to the log (fsync'd), then the state snapshot is
   * written atomically, then (only then) the listeners hear of the alerts. Commits run one at a time, off
   * the evaluation path (fs/promises), in firing order; alerts that fire while a commit is on disk are
   * coalesced into the next one (one append, the newest snapshot), so a burst never builds a queue of fsyncs.
   */
  private enqueueCommit(alerts: AlertEvent[], snapshot: string | undefined): void {
    this.pendingAlerts.push(...alerts);
    if (snapshot !== undefined) this.pendingSnapshot = snapshot;
    if (this.committing) return;
    this.committing = true;
    this.commits = (async () => {
      while (this.pendingAlerts.length > 0 || this.pendingSnapshot !== undefined) {
        const batch = this.pendingAlerts.splice(0);
        const snap = this.pendingSnapshot;
        this.pendingSnapshot = undefined;
        try {
          if (this.log !== undefined) await this.log.appendAsync(batch);
          if (snap !== undefined && this.statePath !== undefined) await writeFileAtomicAsync(this.statePath, snap);
          this.persistError = this.archiveLog === undefined ? "" : await this.archiveLog.append(batch);
        } catch (error) {
          // The disk refused: report it; the alerts are still announced (better than silence).
          this.persistError = error instanceof Error ? error.message : String(error);
        }
        if (this.announceAfterCommit) this.announce(batch);
      }
      this.committing = false;
    })();
  }

  /** Persists the current state now (atomic, asynchronous); resolves when it and every earlier commit are on disk. */
  flush(): Promise<void> {
    if (this.persistTimer !== undefined) {
      this.clock.clearTimeout(this.persistTimer);
      this.persistTimer = undefined;
    }
    this.dirty = false;
    this.enqueueCommit([], this.statePath === undefined ? undefined : this.snapshot());
    return this.commits;
  }

  /** Resolves when every alert fired so far is logged, persisted and announced to the listeners. */
  settled(): Promise<void> {
    return this.commits;
  }

  private markDirty(): void {
    this.dirty = true;
    if (this.persistTimer !== undefined || this.statePath === undefined || this.stopped) return;
    this.persistTimer = this.clock.setTimeout(() => {
      this.persistTimer = undefined;
      if (this.dirty) void this.flush(); // errors are caught in the commit and shown in status().persistError
    }, this.persistEveryMs);
  }

  /**
   * Subscribes to `source`: from now on every bar update is evaluated as it arrives. Replaces a previously
   * attached source.
   * @throws PairlabError (E_STOPPED) when the engine was stopped.
   */
  attach(source: BarSource): void {
    if (this.stopped) throw new PairlabError("E_STOPPED", "AlertEngine.attach: the engine is stopped; create a new AlertEngine (or rerun startAlerts)");
    this.unsubscribe?.();
    this.interval = source.interval;
    if (this.simulated === undefined) this.simulated = source.simulated;
    this.unsubscribe = source.subscribe((bar) => this.process(bar));
  }

  /** Calls `listener` after each fired alert (after it is logged and persisted); returns the unsubscribe function. */
  onAlert(listener: (alert: AlertEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Processes one bar update synchronously and returns the alerts it fired (usually none). This is what
   * an attached source calls; call it directly to drive the engine by hand (tests, replays).
   * @throws RangeError (E_PARAM) when no interval is known, or `bar.time` is not finite.
   */
  process(bar: AlertBar): AlertEvent[] {
    if (this.stopped) return [];
    const interval = this.interval;
    if (interval === undefined) throw parameterRangeError(WHAT, "interval", "known: pass options.interval or attach a source", undefined);
    if (bar === null || typeof bar !== "object" || typeof bar.time !== "number" || !Number.isFinite(bar.time)) {
      throw parameterRangeError(WHAT, "bar.time", "a finite epoch-ms number", bar?.time);
    }
    const t0 = process.hrtime.bigint();
    this.updates++;
    if (bar.time < this.curTime || (bar.time === this.curTime && this.curClosed)) {
      this.ignored++;
      return [];
    }
    if (bar.time > this.curTime && !this.curClosed) this.closeCurrent(); // the source skipped the closed update
    this.curTime = bar.time;
    this.curClosed = false;
    for (const s of this.symbols) {
      const v = bar.close[s];
      this.cur[s] = typeof v === "number" ? v : NaN;
    }
    this.touches = bar.touch ?? {};
    const fired: AlertEvent[] = [];
    if (bar.time > this.restoredUntil) this.evaluate(bar, interval, fired);
    if (bar.closed) this.closeCurrent();
    if (fired.length > 0) this.commit(fired);
    const us = Number(process.hrtime.bigint() - t0) / 1000;
    this.evalUs[this.evalCount % this.evalUs.length] = us;
    this.evalCount++;
    this.evalTotalUs += us;
    if (us > this.evalMaxUs) this.evalMaxUs = us;
    return fired;
  }

  private closeCurrent(): void {
    for (const s of this.symbols) this.histories.get(s)!.push(this.cur[s]);
    this.curClosed = true;
    this.closedBars++;
    if (this.curTime > this.restoredUntil) {
      this.lastBarTime = this.curTime;
      this.markDirty();
    }
  }

  private evaluate(bar: AlertBar, interval: number, fired: AlertEvent[]): void {
    const ctx: RuleContext = {
      time: bar.time,
      closed: bar.closed,
      interval,
      closes: (symbol, n) => {
        const h = this.histories.get(symbol);
        if (h === undefined || n < 1) return null;
        return h.window(n - 1, this.cur[symbol]);
      },
      touch: (symbol) => this.touches[symbol],
    };
    const warmup = bar.time + interval <= this.liveFrom;
    const now = this.clock.now();
    for (const rt of this.runtimes) {
      if (rt.done) continue;
      if (rt.frequency === "once-per-bar-close" && !bar.closed) continue;
      let signals;
      try {
        signals = rt.rule.evaluate(ctx);
        rt.lastError = "";
      } catch (error) {
        rt.lastError = error instanceof Error ? error.message : String(error);
        continue;
      }
      if (signals.length > 0) this.markDirty();
      // "once-per-bar": the rule keeps being evaluated on the bar's later updates (its state, e.g. re-arming,
      // follows the data) but nothing more fires on a bar that already fired.
      const barDone = rt.frequency === "once-per-bar" && rt.firedOnBar === bar.time;
      for (const sig of signals) {
        if (barDone) break;
        if (warmup) {
          rt.warmup++;
          continue;
        }
        // The z-score rule's cooldown is zScoreAlerts' own (per side, entries only).
        if (rt.rule.spec.kind !== "zscore" && bar.time - rt.lastFiredBarTime < rt.cooldownMs) {
          rt.suppressed++;
          continue;
        }
        const id = `${rt.rule.spec.id}:${bar.time}:${sig.key}`;
        if (this.seen.has(id)) {
          // Fired before a restart (it is in the log): book it as fired, never fire it again.
          this.duplicates++;
          rt.lastFiredBarTime = bar.time;
          rt.firedOnBar = bar.time;
          if (rt.frequency === "once") rt.done = true;
          if (rt.frequency !== "once-per-bar-close") break;
          continue;
        }
        this.seen.add(id);
        rt.fired++;
        rt.lastFiredBarTime = bar.time;
        rt.firedOnBar = bar.time;
        fired.push({
          id,
          ruleId: rt.rule.spec.id,
          ruleName: rt.name,
          kind: rt.rule.spec.kind,
          key: sig.key,
          barTime: bar.time,
          barClosed: bar.closed,
          firedAt: now,
          value: sig.value,
          level: sig.level,
          message: sig.message,
          symbols: [...rt.rule.symbols],
          simulated: this.simulated ?? false,
        });
        if (rt.frequency === "once") rt.done = true;
        if (rt.frequency !== "once-per-bar-close") break;
      }
    }
  }

  private commit(fired: AlertEvent[]): void {
    for (const a of fired) {
      this.recent.push(a);
      if (this.recent.length > this.keep) this.recent.shift();
    }
    if (this.persistTimer !== undefined) {
      this.clock.clearTimeout(this.persistTimer);
      this.persistTimer = undefined;
    }
    this.dirty = false;
    if (!this.announceAfterCommit) this.announce(fired);
    this.enqueueCommit(fired, this.statePath === undefined ? undefined : this.snapshot());
  }

  private announce(alerts: AlertEvent[]): void {
    for (const a of alerts) {
      for (const l of [...this.listeners]) {
        try {
          l(a);
        } catch {
          /* a listener's failure never stops evaluation */
        }
      }
    }
  }

  /** Recent alerts (newest last), at most `keep`, including those read back from the log after a restart. */
  alerts(): AlertEvent[] {
    return [...this.recent];
  }

  /** Status of every rule and of the engine. O(rules + 1,000). */
  status(): AlertEngineStatus {
    const n = Math.min(this.evalCount, this.evalUs.length);
    const sorted = Array.from(this.evalUs.subarray(0, n)).sort((a, b) => a - b);
    return {
      rules: this.runtimes.map((rt) => {
        const h = this.histories.get(rt.rule.symbols[0]);
        const have = h === undefined ? 0 : h.count + (this.curClosed ? 0 : 1);
        return {
          id: rt.rule.spec.id,
          name: rt.name,
          kind: rt.rule.spec.kind,
          frequency: rt.frequency,
          status: rt.lastError ? "error" : rt.done ? "done" : have < rt.rule.barsNeeded ? "warming up" : "active",
          barsNeeded: rt.rule.barsNeeded,
          value: rt.rule.lastValue,
          fired: rt.fired,
          suppressed: rt.suppressed,
          warmup: rt.warmup,
          lastFiredBarTime: rt.lastFiredBarTime,
          lastError: rt.lastError,
        };
      }),
      updates: this.updates,
      ignored: this.ignored,
      closedBars: this.closedBars,
      lastBarTime: this.lastBarTime,
      evalMeanUs: this.evalCount > 0 ? this.evalTotalUs / this.evalCount : NaN,
      evalP99Us: n > 0 ? sorted[Math.min(n - 1, Math.floor(0.99 * n))] : NaN,
      evalMaxUs: this.evalMaxUs,
      duplicates: this.duplicates,
      persistError: this.persistError,
      simulated: this.simulated ?? false,
    };
  }

  /** Detaches from the source, clears the timer, persists the state; resolves once everything is on disk. Idempotent. */
  async stop(): Promise<void> {
    if (!this.stopped) {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
      this.stopped = true;
      if (this.dirty || this.persistTimer !== undefined) await this.flush();
    }
    await this.commits;
  }

  /** True after {@link stop}. */
  get isStopped(): boolean {
    return this.stopped;
  }
}
