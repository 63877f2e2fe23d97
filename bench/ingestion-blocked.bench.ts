/**
 * Blocked-kernel run (a bench script, not a vitest test). Run: npx tsx bench/ingestion-blocked.bench.ts [blockSeconds = 300] [rate = 1000]
 *
 * A child process (test/ingestion/fixtures-trade-server.ts) sends `rate` Binance `@trade` frames per second
 * (two symbols, contiguous ids) for the whole run, while this (kernel) thread busy-loops for `blockSeconds`
 * right after the ingestion has started. Afterwards every trade the server sent must be in the store exactly
 * once and in order, over one connection, with no reconnect, gap, duplicate, stall or fallback; and an
 * `onTrade` listener subscribed before the block must receive all of them, in order. Reported: the time the
 * kernel thread needed after the block to receive the onTrade events queued during it, and the counts.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import os from "node:os";
import { createInterface } from "node:readline";
import { report } from "./harness";
import { startIngestion } from "../src/ingestion";

const BLOCK_S = Number(process.argv[2] ?? 300);
const RATE = Number(process.argv[3] ?? 1000);
const SYMBOLS = ["btcusdt", "ethusdt"];
const PER_SYMBOL = Math.round(((BLOCK_S + 15) * RATE) / SYMBOLS.length);

async function main(): Promise<void> {
  const machine = `${os.cpus()[0]?.model ?? "cpu"} ×${os.cpus().length}, load average ${os.loadavg()[0].toFixed(1)} at start, node ${process.version}, ${new Date().toISOString()}`;
  const server = spawn(process.execPath, ["--require", "tsx/cjs", join(__dirname, "../test/ingestion/fixtures-trade-server.ts"), String(RATE), String(PER_SYMBOL)], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: server.stdout! });
  let onDone: (v: { sent: Record<string, number>; connections: number }) => void = () => undefined;
  const done = new Promise<{ sent: Record<string, number>; connections: number }>((r) => (onDone = r));
  const port = await new Promise<number>((resolve) => {
    lines.on("line", (line) => {
      const m = JSON.parse(line) as { port?: number; done?: boolean; sent: Record<string, number>; connections: number };
      if (m.port !== undefined) resolve(m.port);
      if (m.done) onDone(m);
    });
  });
  // Every watchdog far below the block: silence 1 s, stall 2 s, idle ping 1 s, pong 0.5 s.
  const ing = startIngestion({
    symbols: SYMBOLS,
    source: `ws://127.0.0.1:${port}`,
    shared: false,
    quiet: true,
    env: {},
    silenceMs: 1_000,
    stallMs: 2_000,
    connection: { idleMs: 1_000, pongTimeoutMs: 500 },
  });
  let events = 0;
  let inOrder = true;
  const lastId: Record<string, number> = { btcusdt: 0, ethusdt: 0 };
  ing.onTrade((t) => {
    events++;
    if (t.id !== lastId[t.symbol] + 1) inOrder = false;
    lastId[t.symbol] = t.id;
  });
  const end = Date.now() + BLOCK_S * 1000;
  while (Date.now() < end) {
    /* the kernel thread is busy */
  }
  const blockEnd = performance.now();
  const storedAtBlockEnd = SYMBOLS.reduce((n, s) => n + ing.store.sequence(s), 0);
  const statusAtBlockEnd = ing.stats();
  // Catch-up: until the onTrade events queued for this thread during the block have all been delivered.
  while (events < storedAtBlockEnd) await new Promise((r) => setTimeout(r, 1));
  const catchUp = performance.now() - blockEnd;
  const report0 = await done;
  while (!(SYMBOLS.every((s) => ing.store.sequence(s) >= report0.sent[s]) && events >= PER_SYMBOL * SYMBOLS.length)) await new Promise((r) => setTimeout(r, 5));
  const st = ing.stats();
  let ok = report0.connections === 1 && st.reconnects === 0 && st.warnings.length === 0 && st.route === "/public trade" && inOrder && events === PER_SYMBOL * SYMBOLS.length;
  let detail = "";
  for (const s of SYMBOLS) {
    const t = ing.store.ticks(s).time;
    let once = t.length === report0.sent[s];
    for (let i = 0; i < t.length && once; i++) if (t[i] !== 1_700_000_000_000 + i + 1) once = false;
    const x = st.symbols[s];
    ok &&= once && x.gaps === 0 && x.duplicates === 0 && x.missingTrades === 0 && x.trades === report0.sent[s];
    detail += `${s}: sent ${report0.sent[s]}, stored ${t.length} (ids 1..n once, in order: ${once ? "yes" : "NO"}), gaps ${x.gaps}, duplicates ${x.duplicates}; `;
  }
  await ing.stop();
  server.stdin!.end();
  report({
    case: `kernel thread blocked for ${BLOCK_S} s while ${RATE.toLocaleString("en-US")} trades/s arrive: every trade stored exactly once, in order`,
    oursMs: catchUp,
    referenceMs: NaN,
    reference: "n/a (check; time = delivering the events queued during the block)",
    note:
      `${ok ? "PASS" : "FAIL"}: ${detail}connections ${report0.connections}, reconnects ${st.reconnects}, status ${statusAtBlockEnd.status} right after the block ` +
      `(${storedAtBlockEnd.toLocaleString("en-US")} trades already stored during it), warnings ${JSON.stringify(st.warnings)}, onTrade events ${events.toLocaleString("en-US")} in order: ${inOrder ? "yes" : "NO"}, ` +
      `queue overflow ${st.queueOverflow}; watchdogs: silence 1 s, stall 2 s, ping after 1 s idle, pong 0.5 s; ${machine}`,
  });
  if (!ok) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
