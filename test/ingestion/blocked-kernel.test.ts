import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import type { Ingestion, IngestionOptions, TradeEvent } from "../../src/ingestion/ingestion-types";
import { startIngestion } from "../../src/ingestion/start-ingestion";
import { until } from "./helpers";

/** A trade server in a child process (fixtures-trade-server.ts): it keeps sending while this thread blocks. */
interface ChildServer {
  url: string;
  /** Resolves with the server's final report once it has sent everything. */
  done: Promise<{ sent: Record<string, number>; connections: number }>;
  kill(): void;
}

async function startChildServer(rate: number, perSymbol: number): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, ["--require", "tsx/cjs", join(__dirname, "fixtures-trade-server.ts"), String(rate), String(perSymbol)], {
    cwd: join(__dirname, "../.."),
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  let onDone: (v: { sent: Record<string, number>; connections: number }) => void = () => undefined;
  const done = new Promise<{ sent: Record<string, number>; connections: number }>((r) => (onDone = r));
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`trade server exited with ${code}`)));
    lines.on("line", (line) => {
      const m = JSON.parse(line) as { port?: number; done?: boolean; sent: Record<string, number>; connections: number };
      if (m.port !== undefined) resolve(m.port);
      if (m.done) onDone(m);
    });
  });
  return { url: `ws://127.0.0.1:${port}`, done, kill: () => child.kill() };
}

/** Busy-loops this (the "kernel") thread: no timer, socket or message can run on it meanwhile. */
function blockThread(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* a cell computing */
  }
}

// Every watchdog is configured well below the 5 s block.
const BLOCK_MS = 5_000;
const tight: Partial<IngestionOptions> = {
  silenceMs: 1_000,
  stallMs: 2_000,
  autoFallbackMs: 1_500,
  connection: { idleMs: 1_000, pongTimeoutMs: 500, connectTimeoutMs: 2_000 },
};

const RATE = 1_000; // frames per second, both symbols together
const PER_SYMBOL = 3_500; // ⇒ 7 s of sending

let server: ChildServer | undefined;
const running: Ingestion[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((i) => i.stop()));
  server?.kill();
  server = undefined;
});

function start(options: IngestionOptions): Ingestion {
  const ing = startIngestion({ shared: false, quiet: true, env: {}, ...tight, ...options });
  running.push(ing);
  return ing;
}

/** Every trade the server sent is stored exactly once, in order, with no reconnect, gap, stall or fallback. */
async function expectEverythingOnce(ing: Ingestion, srv: ChildServer): Promise<void> {
  const report = await srv.done;
  expect(report.connections).toBe(1);
  await until(() => ing.symbols.every((s) => ing.store.sequence(s) >= report.sent[s]), "every sent trade stored", 10_000);
  for (const s of ing.symbols) {
    const t = ing.store.ticks(s).time;
    expect(t.length).toBe(PER_SYMBOL);
    // exactly once, in order: times are 1.7e12 + id for ids 1..PER_SYMBOL
    let ok = true;
    for (let i = 0; i < t.length; i++) if (t[i] !== 1_700_000_000_000 + i + 1) ok = false;
    expect(ok, `${s}: ids 1..${PER_SYMBOL} stored once each, in order`).toBe(true);
  }
  const st = ing.stats();
  expect(st.status).toBe("live");
  expect(st.reconnects).toBe(0);
  expect(st.route).toBe("/public trade");
  expect(st.simulated).toBe(false);
  expect(st.warnings).toEqual([]);
  for (const s of ing.symbols) {
    expect(st.symbols[s].gaps).toBe(0);
    expect(st.symbols[s].missingTrades).toBe(0);
    expect(st.symbols[s].duplicates).toBe(0);
    expect(st.symbols[s].trades).toBe(PER_SYMBOL);
  }
}

describe("a blocked kernel thread (5 s busy loop; watchdogs at 0.5–2 s) costs no trade", () => {
  it("startIngestion() then an immediate 5 s block: every trade stored once, in order, one connection, no reconnect", async () => {
    server = await startChildServer(RATE, PER_SYMBOL);
    const ing = start({ symbols: ["btcusdt", "ethusdt"], source: server.url });
    blockThread(BLOCK_MS);
    // The worker connected and stored during the block.
    expect(ing.store.sequence("btcusdt")).toBeGreaterThan(1_000);
    await expectEverythingOnce(ing, server);
  });

  it("a 5 s block mid-stream: every trade stored once, in order; onTrade delivers all of them afterwards, in order; stats show lag, not a gap", async () => {
    server = await startChildServer(RATE, PER_SYMBOL);
    const ing = start({ symbols: ["btcusdt", "ethusdt"], source: server.url });
    const seen: TradeEvent[] = [];
    ing.onTrade((t) => seen.push(t));
    await until(() => ing.store.sequence("btcusdt") >= 300, "300 trades before the block", 10_000);
    const before = ing.store.sequence("btcusdt");
    blockThread(BLOCK_MS);
    const during = ing.store.sequence("btcusdt") - before;
    expect(during).toBeGreaterThan(1_500); // ≈ 2,500 stored while this thread was blocked
    const st = ing.stats();
    expect(st.status).toBe("live");
    expect(st.symbols.btcusdt.gaps).toBe(0);
    expect(st.reconnects).toBe(0);
    await expectEverythingOnce(ing, server);
    await until(() => seen.length === 2 * PER_SYMBOL, "every event delivered", 10_000);
    const ids = seen.filter((t) => t.symbol === "ethusdt").map((t) => t.id);
    expect(ids).toEqual(Array.from({ length: PER_SYMBOL }, (_, i) => i + 1));
    expect(ing.stats().queueOverflow).toBe(0);
  });

  it("source 'auto' with a 5 s block during the handshake stays on live data (no SIMULATED fallback)", async () => {
    server = await startChildServer(RATE, PER_SYMBOL);
    const ing = start({ symbols: ["btcusdt", "ethusdt"], source: "auto", liveUrl: server.url });
    blockThread(BLOCK_MS);
    const st = ing.stats();
    expect(st.source).toBe("auto → binance");
    expect(st.simulated).toBe(false);
    expect(st.label).toBe("LIVE");
    await expectEverythingOnce(ing, server);
  });
});
