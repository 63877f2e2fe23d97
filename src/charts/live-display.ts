import { randomBytes } from "node:crypto";
import { assertFiniteNumber, assertInteger } from "../validate";
import { parameterRangeError } from "../errors";
import type { PlotlyFigure } from "./figure";
import { bundleBytes, figureBundle, PLOTLY_MIME, type MimeBundle } from "./mime-bundle";
import { displayBundle, type DisplayWriter } from "./notebook-display";
import { plotlyInit } from "./show";

/** Options of {@link liveDisplay}. */
export interface LiveDisplayOptions {
  /** Minimum time between two messages of this display, ms. Default 500. */
  minIntervalMs?: number;
  /**
   * Byte budget of this display, bytes/s: after sending `b` bytes the next update waits at least
   * `b / maxBytesPerSecond` s. Default 400,000 (Jupyter servers drop output above ~1 MB/s). */
  maxBytesPerSecond?: number;
  /** Writer (tests); default: the kernel's. */
  writer?: DisplayWriter | null;
}

/**
 * Process-wide output budget shared by every {@link LiveDisplay}, bytes/s (default 800,000): several live
 * charts together stay under the ~1 MB/s Jupyter servers tolerate. Change with {@link setLiveOutputBudget}.
 */
const BUDGET_KEY = Symbol.for("pairlab.charts.liveBudget");
/** Shared minimum spacing between two live messages, ms: at most 500 messages/s however many displays run. */
const MIN_MESSAGE_SPACING_MS = 2;
interface LiveBudget {
  bytesPerSecond: number;
  busyUntil: number;
}
function budget(): LiveBudget {
  const g = globalThis as { [BUDGET_KEY]?: LiveBudget };
  return (g[BUDGET_KEY] ??= { bytesPerSecond: 800_000, busyUntil: -Infinity });
}

/**
 * Sets the process-wide byte budget of all live displays together (bytes/s, > 0) and forgets past usage.
 * @throws RangeError (E_PARAM) for a non-positive or non-finite value.
 * @example setLiveOutputBudget(500_000)
 */
export function setLiveOutputBudget(bytesPerSecond: number): void {
  assertFiniteNumber("live output budget", "bytesPerSecond", bytesPerSecond);
  if (bytesPerSecond <= 0) throw parameterRangeError("live output budget", "bytesPerSecond", "a number > 0", bytesPerSecond);
  const b = budget();
  b.bytesPerSecond = bytesPerSecond;
  b.busyUntil = -Infinity;
}

/**
 * One notebook output that is replaced in place (`update_display_data` with a fixed display id), also
 * after its cell finished. Updates are throttled so the notebook server never drops output (Jupyter
 * drops above ~1,000 messages/s or ~1 MB/s): per display by `minIntervalMs` and `maxBytesPerSecond`,
 * and across all live displays by a shared byte budget (see `setLiveOutputBudget`) and a shared spacing of
 * at least 2 ms between messages (≤ 500 messages/s with any number of displays). An update that
 * comes too soon is held, and a newer one replaces it (only the latest is sent, when allowed).
 */
export class LiveDisplay {
  /** The Jupyter display id. */
  readonly displayId = `pairlab-live-${randomBytes(6).toString("hex")}`;
  private readonly minIntervalMs: number;
  private readonly maxBytesPerSecond: number;
  private readonly writer: DisplayWriter | null | undefined;
  private lastSentAt = -Infinity;
  private lastBytes = 0;
  private pending: MimeBundle | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** Messages sent so far (the first is `display_data`, the rest `update_display_data`). */
  sent = 0;
  /** Updates replaced by a newer one before they were sent (throttled away). */
  coalesced = 0;

  constructor(options: LiveDisplayOptions = {}) {
    this.minIntervalMs = options.minIntervalMs ?? 500;
    this.maxBytesPerSecond = options.maxBytesPerSecond ?? 400_000;
    assertFiniteNumber("live display", "minIntervalMs", this.minIntervalMs);
    if (this.minIntervalMs < 0) throw parameterRangeError("live display", "minIntervalMs", "a number >= 0", this.minIntervalMs);
    assertFiniteNumber("live display", "maxBytesPerSecond", this.maxBytesPerSecond);
    if (this.maxBytesPerSecond <= 0) throw parameterRangeError("live display", "maxBytesPerSecond", "a number > 0", this.maxBytesPerSecond);
    this.writer = options.writer;
  }

  /** Shows (first call) or replaces (later calls) the output with a figure or a MIME bundle. */
  show(content: PlotlyFigure | MimeBundle): void {
    if (this.closed) return;
    const isFigure = Array.isArray((content as PlotlyFigure).data) && typeof (content as PlotlyFigure).layout === "object";
    const bundle = isFigure ? figureBundle(content as PlotlyFigure) : (content as MimeBundle);
    if (bundle[PLOTLY_MIME] !== undefined) plotlyInit({ writer: this.writer });
    if (this.pending) this.coalesced++;
    this.pending = bundle;
    this.pump();
  }

  /** Sends a held update now, ignoring the throttle. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending) this.send(this.pending);
  }

  /** Sends what is held, then stops accepting updates and clears the timer. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  private earliestNext(): number {
    const own = this.lastSentAt + Math.max(this.minIntervalMs, (this.lastBytes / this.maxBytesPerSecond) * 1000);
    return this.sent === 0 ? Math.max(this.lastSentAt, budget().busyUntil) : Math.max(own, budget().busyUntil);
  }

  private pump(): void {
    if (!this.pending || this.timer) return;
    const wait = this.earliestNext() - Date.now();
    if (wait <= 0) {
      this.send(this.pending);
      return;
    }
    // On wake-up, check again: another display may have used the shared budget in the meantime.
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, Math.max(1, Math.ceil(wait)));
  }

  private send(bundle: MimeBundle): void {
    this.pending = null;
    displayBundle(bundle, { displayId: this.displayId, update: this.sent > 0, writer: this.writer });
    this.sent++;
    this.lastSentAt = Date.now();
    this.lastBytes = bundleBytes(bundle);
    const b = budget();
    b.busyUntil = Math.max(this.lastSentAt, b.busyUntil) + Math.max(MIN_MESSAGE_SPACING_MS, (this.lastBytes / b.bytesPerSecond) * 1000);
  }
}

/** Creates a {@link LiveDisplay}. @example const d = liveDisplay(); d.show(fig); … d.show(newerFig) */
export function liveDisplay(options: LiveDisplayOptions = {}): LiveDisplay {
  return new LiveDisplay(options);
}

/** Handle of a running live loop. */
export interface LiveRun {
  /** Stops the loop (idempotent). */
  stop(): void;
  /** Resolves with the number of renders when the loop ends (duration over, stopped, interrupted); rejects if `render` threw. */
  done: Promise<number>;
}

const RUNS_KEY = Symbol.for("pairlab.charts.liveRuns");

/**
 * Calls `render` now and then every `everyMs` for `durationMs` (bounded), until `stop()`, the
 * `signal` aborts, or the kernel is interrupted (SIGINT, Jupyter's ■ button). Runs in the background:
 * the cell may finish and the outputs `render` updates (through {@link LiveDisplay}s) keep moving.
 * Starting a run with the same `name` stops the previous one, so rerunning the cell never doubles it.
 * The SIGINT listener is added on the next macrotask (never inside the cell's synchronous code, where
 * it would make a kernel interrupt kill the kernel).
 * A render never overlaps the previous one. If `render` throws, the loop stops, says so on stderr (the
 * notebook shows it) and `done` rejects — never as an unhandled rejection, which would end the kernel.
 *
 * @throws RangeError (E_PARAM) for `everyMs` < 100 or a `durationMs` that is not a positive integer.
 * @example await startLive({ everyMs: 2000, durationMs: 60_000, name: "dashboard" }, () => refresh()).done
 */
export function startLive(
  options: { everyMs: number; durationMs: number; name?: string; signal?: AbortSignal },
  render: (tick: number) => void | Promise<void>,
): LiveRun {
  assertInteger("live loop", "everyMs", options.everyMs, 100);
  assertInteger("live loop", "durationMs", options.durationMs, 1);
  const g = globalThis as { [RUNS_KEY]?: Map<string, LiveRun> };
  const runs = (g[RUNS_KEY] ??= new Map());
  const name = options.name ?? "default";
  runs.get(name)?.stop();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let ticks = 0;
  let resolveDone!: (n: number) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<number>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => undefined); // never an unhandled rejection (it would kill the kernel process)
  const endAt = Date.now() + options.durationMs;
  const onSigint = (): void => stop();
  const onAbort = (): void => stop();
  function cleanup(): void {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = null;
    process.removeListener("SIGINT", onSigint);
    // Inside a tslab cell, Node's vm (breakOnSigint) re-adds the listeners it saved when the cell's code
    // returns: remove again once it has.
    setImmediate(() => process.removeListener("SIGINT", onSigint));
    options.signal?.removeEventListener("abort", onAbort);
    if (runs.get(name) === run) runs.delete(name);
  }
  function stop(): void {
    if (stopped) return;
    cleanup();
    resolveDone(ticks);
  }
  async function tick(): Promise<void> {
    timer = null;
    if (stopped) return;
    try {
      await render(ticks++);
    } catch (error) {
      cleanup();
      // Reported here because a background loop is often not awaited; `done` still rejects for those who await it.
      process.stderr.write(`pairlab live loop "${name}" stopped: ${error instanceof Error ? error.message : String(error)}\n`);
      rejectDone(error);
      return;
    }
    if (stopped) return;
    const next = Math.min(options.everyMs, endAt - Date.now());
    if (next <= 0) stop();
    else timer = setTimeout(() => void tick(), next);
  }
  const run: LiveRun = { stop, done };
  runs.set(name, run);
  // Listen for SIGINT only after the current synchronous code: tslab runs a cell with Node's vm
  // `breakOnSigint`, and a SIGINT listener added during that run leaves the process with the default
  // SIGINT action afterwards, so the next kernel interrupt would kill the kernel.
  setImmediate(() => {
    if (!stopped) process.on("SIGINT", onSigint);
  });
  if (options.signal?.aborted) stop();
  else {
    options.signal?.addEventListener("abort", onAbort);
    void tick();
  }
  return run;
}
