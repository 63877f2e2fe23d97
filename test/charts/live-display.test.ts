import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { liveDisplay, resetPlotlySession, setLiveOutputBudget, startLive, spreadFigure, type DisplayContent } from "../../src/charts";

function recorder(): { writer: (c: DisplayContent, u: boolean) => void; calls: { text: string; update: boolean; id?: string }[] } {
  const calls: { text: string; update: boolean; id?: string }[] = [];
  return { calls, writer: (c, update) => calls.push({ text: c.data["text/plain"], update, id: c.transient.display_id }) };
}

describe("LiveDisplay", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    setLiveOutputBudget(1e12);
  });
  afterEach(() => {
    vi.useRealTimers();
    setLiveOutputBudget(800_000);
  });

  it("live displays share one byte budget: a second display waits for the first one's bytes", () => {
    setLiveOutputBudget(100_000);
    const r = recorder();
    const big = { "text/plain": "x".repeat(100_000) };
    const a = liveDisplay({ writer: r.writer, minIntervalMs: 0, maxBytesPerSecond: 1e12 });
    const b = liveDisplay({ writer: r.writer, minIntervalMs: 0, maxBytesPerSecond: 1e12 });
    a.show(big);
    b.show(big);
    expect(r.calls.length).toBe(1);
    vi.advanceTimersByTime(900);
    expect(r.calls.length).toBe(1);
    vi.advanceTimersByTime(200); // ≈100 kB at 100 kB/s = 1 s after the first message
    expect(r.calls.length).toBe(2);
    expect(r.calls[1].id).toBe(b.displayId);
    expect(() => setLiveOutputBudget(0)).toThrow(RangeError);
  });

  it("three live displays share the byte budget: the third waits for both earlier messages", () => {
    setLiveOutputBudget(100_000);
    const r = recorder();
    const big = { "text/plain": "x".repeat(100_000) };
    const ds = [0, 1, 2].map(() => liveDisplay({ writer: r.writer, minIntervalMs: 0, maxBytesPerSecond: 1e12 }));
    for (const d of ds) d.show(big);
    vi.advanceTimersByTime(1100); // ≈100 kB each at 100 kB/s: the second after ≈1 s, the third after ≈2 s
    expect(r.calls.length).toBe(2);
    vi.advanceTimersByTime(1000);
    expect(r.calls.map((c) => c.id)).toEqual(ds.map((d) => d.displayId));
  });

  it("many live displays together send at most 500 messages/s (Jupyter drops output above ~1,000 msg/s)", () => {
    const r = recorder();
    const displays = Array.from({ length: 300 }, () => liveDisplay({ writer: r.writer, minIntervalMs: 0 }));
    for (const d of displays) d.show({ "text/plain": "tiny" });
    vi.advanceTimersByTime(200);
    // Exact count bound (no tolerance): one message per 2 ms of shared budget, the first at t = 0 → ≤ 101 in 200 ms.
    expect(r.calls.length).toBeLessThanOrEqual(101);
    expect(r.calls.length).toBeGreaterThan(80);
    vi.advanceTimersByTime(2000);
    expect(r.calls.length).toBe(300); // held updates are delayed, never lost
  });

  it("liveDisplay().show() sends display_data first, then update_display_data with the same display id", () => {
    const r = recorder();
    const d = liveDisplay({ writer: r.writer, minIntervalMs: 0 });
    d.show({ "text/plain": "a" });
    vi.advanceTimersByTime(1); // the byte budget (default 400 kB/s) spaces even tiny messages by > 0 ms
    d.show({ "text/plain": "b" });
    vi.advanceTimersByTime(1);
    expect(r.calls.map((c) => [c.text, c.update])).toEqual([["a", false], ["b", true]]);
    expect(new Set(r.calls.map((c) => c.id))).toEqual(new Set([d.displayId]));
  });

  it("liveDisplay throttles to minIntervalMs and sends only the newest held update", () => {
    const r = recorder();
    const d = liveDisplay({ writer: r.writer, minIntervalMs: 1000 });
    d.show({ "text/plain": "1" });
    d.show({ "text/plain": "2" });
    d.show({ "text/plain": "3" });
    expect(r.calls.map((c) => c.text)).toEqual(["1"]);
    vi.advanceTimersByTime(999);
    expect(r.calls.length).toBe(1);
    vi.advanceTimersByTime(1);
    expect(r.calls.map((c) => c.text)).toEqual(["1", "3"]);
    expect(d.coalesced).toBe(1);
    expect(d.sent).toBe(2);
  });

  it("liveDisplay keeps the byte rate under maxBytesPerSecond", () => {
    const r = recorder();
    const big = { "text/plain": "x".repeat(100_000) };
    const d = liveDisplay({ writer: r.writer, minIntervalMs: 0, maxBytesPerSecond: 50_000 });
    d.show(big);
    d.show(big);
    // ≈100 kB sent → next message no earlier than ≈2 s later.
    vi.advanceTimersByTime(1900);
    expect(r.calls.length).toBe(1);
    vi.advanceTimersByTime(200);
    expect(r.calls.length).toBe(2);
  });

  it("liveDisplay.show(figure) injects plotly.js once and sends the figure bundle", () => {
    resetPlotlySession();
    const r = recorder();
    const d = liveDisplay({ writer: r.writer, minIntervalMs: 0 });
    d.show(spreadFigure([0, 1000], [1, 2]));
    expect(r.calls.length).toBe(2);
    expect(r.calls[0].id).toBeUndefined();
    expect(r.calls[1].text).toContain("Plotly figure");
    resetPlotlySession();
  });

  it("liveDisplay({ minIntervalMs: -1 }) throws RangeError", () => {
    expect(() => liveDisplay({ minIntervalMs: -1 })).toThrow(RangeError);
    expect(() => liveDisplay({ maxBytesPerSecond: 0 })).toThrow(RangeError);
  });
});

describe("startLive", () => {
  beforeEach(() => vi.useFakeTimers({ now: 5_000_000 }));
  afterEach(() => vi.useRealTimers());

  it("startLive({ everyMs: 1000, durationMs: 3500 }) renders at 0, 1, 2, 3 s then stops by itself", async () => {
    const ticks: number[] = [];
    const run = startLive({ everyMs: 1000, durationMs: 3500, name: "t1" }, (i) => void ticks.push(i));
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(run.done).resolves.toBe(5);
    // 0, 1000, 2000, 3000 and a last render at the 3500 ms boundary.
    expect(ticks).toEqual([0, 1, 2, 3, 4]);
  });

  it("startLive with the same name stops the previous run (rerunning a cell never doubles it)", async () => {
    const first: number[] = [];
    const second: number[] = [];
    const a = startLive({ everyMs: 1000, durationMs: 60_000, name: "same" }, (i) => void first.push(i));
    await vi.advanceTimersByTimeAsync(1500);
    const b = startLive({ everyMs: 1000, durationMs: 2000, name: "same" }, (i) => void second.push(i));
    await expect(a.done).resolves.toBe(2);
    await vi.advanceTimersByTimeAsync(5000);
    expect(first).toEqual([0, 1]);
    await expect(b.done).resolves.toBe(3);
  });

  it("startLive stops on abort and on SIGINT (kernel interrupt)", async () => {
    const controller = new AbortController();
    const a = startLive({ everyMs: 1000, durationMs: 60_000, name: "abort", signal: controller.signal }, () => undefined);
    controller.abort();
    await expect(a.done).resolves.toBe(1);
    const b = startLive({ everyMs: 1000, durationMs: 60_000, name: "sigint" }, () => undefined);
    await vi.advanceTimersByTimeAsync(1); // the SIGINT listener is added after the current synchronous code
    process.emit("SIGINT", "SIGINT");
    await expect(b.done).resolves.toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(process.listenerCount("SIGINT")).toBe(0);
  });

  it("startLive started inside a vm breakOnSigint run (a tslab cell) survives a real SIGINT and stops", () => {
    // A child process, because with the defect the SIGINT kills the process (exit 130).
    const child = [
      'const vm = require("node:vm");',
      "const { startLive } = require(process.argv[1]);",
      "globalThis.startLive = startLive;",
      'process.on("SIGINT", () => undefined); // the kernel\'s own handler, as tslab installs it',
      'vm.runInThisContext(\'globalThis.run = startLive({ everyMs: 100, durationMs: 5000, name: "c" }, () => undefined)\', { breakOnSigint: true });',
      'globalThis.run.done.then((n) => { console.log("stopped " + n); process.exit(0); });',
      'setTimeout(() => process.kill(process.pid, "SIGINT"), 300);',
      'setTimeout(() => { console.log("not stopped"); process.exit(3); }, 4000);',
    ].join("\n");
    const r = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", child, join(__dirname, "../../src/charts/live-display.ts")], { encoding: "utf8", timeout: 20_000 });
    expect({ status: r.status, signal: r.signal, out: r.stdout.trim().replace(/\d+$/, "N") }).toEqual({ status: 0, signal: null, out: "stopped N" });
  });

  it("startLive rejects done when render throws, says so on stderr, and stops", async () => {
    const spy = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const run = startLive({ everyMs: 1000, durationMs: 60_000, name: "err" }, () => {
        throw new Error("boom");
      });
      await expect(run.done).rejects.toThrow("boom");
      expect(spy).toHaveBeenCalledWith('pairlab live loop "err" stopped: boom\n');
    } finally {
      spy.mockRestore();
    }
  });

  it("startLive({ everyMs: 50 }) throws RangeError", () => {
    expect(() => startLive({ everyMs: 50, durationMs: 1000 }, () => undefined)).toThrow(RangeError);
  });
});
