/**
 * Quotes and alerts benchmarks (issue 14). Run: npx tsx bench/alerts.bench.ts   (or npm run bench -- alerts)
 * Only the quote-ingestion-over-WebSocket rows (and the in-place decode row): npx tsx bench/alerts.bench.ts quotes-ws
 *
 * 1. Quote ingestion: 10 symbols' Binance `bookTicker` frames (demo quotes consistent with simulated trades),
 *    decoded, validated and stored (`QuoteStore.ingest`), vs the reference: Python `json.loads` + the same field
 *    checks + list appends per frame (what the original Python design would do). CPU per update
 *    (process.cpuUsage) and the CPU share at Binance-like rates (5,000 and 20,000 updates/s in total).
 * 2. 20 rules evaluated on each new 1 s bar (6 z-score, 4 correlation, 3 hedge drift, 2 ADF every 10 bars,
 *    3 price move, 2 quote cost) over 3,000 bars after a 1 h history, 3 runs (fresh engines): mean / p50 / p99 / max
 *    wall per bar and per-bar process CPU of the best run by p99 (all three p99s printed), GC pauses during the run
 *    (PerformanceObserver) and how many bars > 1 ms overlap one, vs a numpy + statsmodels per-bar loop computing the
 *    same statistics. Goal ≤ 1 ms per bar.
 * 3. Webhook latency from the bar close (the closed bar's `process()` call) to the local receiver (request
 *    received on 127.0.0.1), through the whole path: evaluation, fsync'd log, atomic state, outbox, HTTP POST.
 *    p50 / p99 / max over 400 alerts. Goal p99 ≤ 50 ms. No reference (NaN).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { normalFrom, report, runPythonReference, seededRandom } from "./harness";
import { TradeSimulator } from "../src/ingestion/trade-simulator";
import { QuoteStore, bookTickerFrame, demoBookTickers } from "../src/quotes";
import { AlertEngine, AlertOutbox, WebhookTarget, type AlertRuleSpec } from "../src/alerts";
import { startIngestion } from "../src/ingestion";
import { SharedQuoteStore } from "../src/ingestion/shared-quote-store";
import { spawn } from "node:child_process";
import { Worker } from "node:worker_threads";
import { PerformanceObserver } from "node:perf_hooks";

const dir = mkdtempSync(join(tmpdir(), "pairlab-alerts-bench-"));
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];

/**
 * Quote ingestion over WebSocket through the real ingestion worker (issue 14): a child process sends book tickers of
 * 10 symbols at 5,000 and 20,000 updates/s for 4 s; the ingestion decodes, validates and stores them in its shared
 * quote ring. CPU is the whole process's (ingestion worker + an idle kernel thread; the sender is another process),
 * from just after the call that starts the thread to the last update. Reference: a bare `ws` client in a worker
 * thread that only counts the same frames (the receive floor). Five runs each, ours and the reference alternating;
 * rows per rate: CPU per 1,000 updates from the first update to the last (the sustained cost, as the trade flood
 * rows of ingestion.bench.ts), and including the start-up (thread, module loading, connection), in this process with
 * pairlab loaded from its TypeScript source (the worker compiles ~40 modules through tsx, and inherits this process's
 * tsx flags); and, when dist/ is built, both receivers each in a fresh plain-node process
 * (bench/quote-ingestion-child.cjs) with pairlab from the compiled dist/, as a notebook kernel loads it. Each row: the
 * best (lowest) run of each side, all runs and both sides' start-up CPU in the note. Run `node scripts/build.mjs` first
 * so that dist/ matches the source.
 */
async function quoteIngestionOverWebSocket(): Promise<void> {
  const RUNS = 5;
  const distBuilt = existsSync(join(__dirname, "..", "dist", "ingestion", "index.js"));
  if (!distBuilt) console.log("(no dist/ingestion/index.js: run node scripts/build.mjs for the fresh-process dist/ rows)");
  for (const rate of [5000, 20000]) {
    const seconds = 4;
    const syms = ["btcusdt", "ethusdt", "solusdt", "bnbusdt", "xrpusdt", "dogeusdt", "adausdt", "avaxusdt", "linkusdt", "dotusdt"];
    const serve = async (): Promise<{ url: string; done: Promise<number>; kill: () => void }> => {
      const child = spawn(process.execPath, ["--require", "tsx/cjs", join(__dirname, "fixtures-quote-server.ts"), String(rate), String(seconds), syms.join(",")], { stdio: ["pipe", "pipe", "inherit"] });
      let buf = "";
      let onPort: (p: number) => void = () => undefined;
      let onDone: (n: number) => void = () => undefined;
      const port = new Promise<number>((r) => (onPort = r));
      const done = new Promise<number>((r) => (onDone = r));
      child.stdout!.on("data", (d: Buffer) => {
        buf += d.toString();
        for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
          const m = JSON.parse(buf.slice(0, i)) as { port?: number; done?: boolean; sent?: number };
          buf = buf.slice(i + 1);
          if (m.port !== undefined) onPort(m.port);
          if (m.done) onDone(m.sent ?? 0);
        }
      });
      return { url: `ws://127.0.0.1:${await port}`, done, kill: () => child.kill() };
    };
    const cpuMs = (x: { user: number; system: number }): number => (x.user + x.system) / 1000;
    interface Run {
      usPer: number;
      startupMs: number;
      usPerAfterFirst: number;
      wall: number;
      cpu: number;
      note: string;
    }
    const ours: Run[] = [];
    const oursDist: Run[] = [];
    const refs: Run[] = [];
    const refsFresh: Run[] = [];
    /** One receiver in a fresh plain-node process (bench/quote-ingestion-child.cjs): pairlab from dist/, or the bare counter. */
    const childRun = async (mode: "pairlab" | "bare"): Promise<Run> => {
      const a = await serve();
      const child = spawn(process.execPath, [join(__dirname, "quote-ingestion-child.cjs"), mode, a.url, String(rate * seconds), syms.join(",")], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((r) => child.once("exit", r));
      a.kill();
      if (code !== 0) throw new Error(`quote-ingestion-child ${mode} exited with ${code}`);
      const m = JSON.parse(out.trim().split("\n").pop()!) as { cpuMs: number; startupMs: number; wallMs: number; accepted?: number; conflated?: number; stored?: number; rejected?: number };
      const n = rate * seconds;
      return {
        usPer: (m.cpuMs * 1000) / n,
        startupMs: m.startupMs,
        usPerAfterFirst: ((m.cpuMs - m.startupMs) * 1000) / n,
        wall: m.wallMs,
        cpu: m.cpuMs,
        note: mode === "bare" ? "" : `${n.toLocaleString("en-US")} sent, ${(m.accepted ?? 0).toLocaleString("en-US")} accepted (${(m.conflated ?? 0).toLocaleString("en-US")} conflated into their ms), ${(m.stored ?? 0).toLocaleString("en-US")} stored, ${m.rejected ?? 0} rejected`,
      };
    };
    const oursRun = async (start: typeof startIngestion): Promise<Run> => {
      const a = await serve();
      const ing = start({ symbols: syms, source: a.url, quotes: true, shared: false, quiet: true, env: {} });
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const stored = (): number => syms.reduce((n, s) => n + ing.quotes!.sequence(s), 0); // shared memory: no message
      while (stored() === 0 && performance.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 2));
      const c1 = process.cpuUsage(c0);
      const sent = await a.done;
      const total = () => syms.reduce((n, s) => n + (ing.stats().quotes?.symbols[s].accepted ?? 0), 0);
      while (total() < sent && performance.now() - t0 < (seconds + 10) * 1000) await new Promise((r) => setTimeout(r, 20));
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const st = ing.stats().quotes!;
      const accepted = total();
      const conflated = syms.reduce((n, s) => n + st.symbols[s].conflated, 0);
      const rejected = syms.reduce((n, s) => n + Object.values(st.symbols[s].rejected).reduce((x, y) => x + y, 0), 0);
      const kept = syms.reduce((n, s) => n + ing.quotes!.size(s), 0);
      await ing.stop();
      a.kill();
      return {
        usPer: (cpuMs(c) * 1000) / sent,
        startupMs: cpuMs(c1),
        usPerAfterFirst: ((cpuMs(c) - cpuMs(c1)) * 1000) / sent,
        wall,
        cpu: cpuMs(c),
        note: `${sent.toLocaleString("en-US")} sent, ${accepted.toLocaleString("en-US")} accepted (${conflated.toLocaleString("en-US")} conflated into their ms), ${kept.toLocaleString("en-US")} stored, ${rejected} rejected`,
      };
    };
    for (let run = 0; run < RUNS; run++) {
      // ours: startIngestion({ quotes: true }) — trade and book-ticker connections in the ingestion worker — from the
      // TypeScript source in this process (the worker compiles its modules through tsx); then, when dist/ is built, both
      // receivers in fresh plain-node processes (pairlab from the compiled dist/, as a notebook kernel loads it)
      ours.push(await oursRun(startIngestion));
      if (distBuilt) {
        oursDist.push(await childRun("pairlab"));
        refsFresh.push(await childRun("bare"));
      }
      // reference: a bare ws client in a worker counting the same frames (it flags its first frame in shared memory)
      {
        const r = await serve();
        const first = new Int32Array(new SharedArrayBuffer(4));
        const w = new Worker(
          `const { parentPort, workerData } = require("node:worker_threads"); const WebSocket = require(${JSON.stringify(require.resolve("ws"))});
           const first = new Int32Array(workerData.first);
           const ws = new WebSocket(workerData.url + "/public/stream?streams=" + workerData.syms.map((s) => s + "@bookTicker").join("/"));
           let n = 0; ws.on("message", () => { n++; if (n === 1) Atomics.store(first, 0, 1); if (n === workerData.sent) { parentPort.postMessage(n); ws.close(); } });`,
          { eval: true, workerData: { url: r.url, syms, sent: rate * seconds, first: first.buffer } },
        );
        const rc0 = process.cpuUsage();
        const rt0 = performance.now();
        const finished = new Promise<void>((resolve) => w.once("message", () => resolve()));
        while (Atomics.load(first, 0) === 0 && performance.now() - rt0 < 10_000) await new Promise((res) => setTimeout(res, 2));
        const rc1 = process.cpuUsage(rc0);
        await finished;
        const rwall = performance.now() - rt0;
        const rc = process.cpuUsage(rc0);
        await w.terminate();
        r.kill();
        const n = rate * seconds;
        refs.push({ usPer: (cpuMs(rc) * 1000) / n, startupMs: cpuMs(rc1), usPerAfterFirst: ((cpuMs(rc) - cpuMs(rc1)) * 1000) / n, wall: rwall, cpu: cpuMs(rc), note: "" });
      }
    }
    const best = (runs: Run[], f: (x: Run) => number): Run => runs.reduce((a, b) => (f(b) < f(a) ? b : a));
    const list = (runs: Run[], f: (x: Run) => number, digits: number): string => runs.map((x) => f(x).toFixed(digits)).join(" / ");
    const steady = (x: Run): number => x.usPerAfterFirst;
    const whole = (x: Run): number => x.usPer;
    const title = `quote ingestion over WebSocket, 10 symbols at ${rate.toLocaleString("en-US")} updates/s for ${seconds} s (startIngestion({ quotes: true }), ingestion worker): process CPU per 1,000 updates`;
    const rows: [string, Run[], Run[], (x: Run) => number, string][] = [
      ["from the first update to the last", ours, refs, steady, "from TypeScript source through tsx"],
      ["incl. the receiving worker's start-up", ours, refs, whole, "from TypeScript source through tsx"],
    ];
    if (oursDist.length > 0) {
      const fresh = "in a fresh plain-node process, pairlab from the compiled dist/ (as a notebook kernel loads it)";
      rows.push([`incl. the receiving worker's start-up, each receiver ${fresh}`, oursDist, refsFresh, whole, "of the compiled dist/"]);
      rows.push([`from the first update to the last, each receiver ${fresh}`, oursDist, refsFresh, steady, "of the compiled dist/"]);
    }
    for (const [what, runs, refRuns, f, loaded] of rows) {
      const o = best(runs, f);
      const r = best(refRuns, f);
      report({
        case: `${title} ${what}`,
        oursMs: f(o),
        reference: "bare ws client counting frames in a worker",
        referenceMs: f(r),
        note:
          `best of ${RUNS} runs each, alternating; CPU ms per 1,000 updates ${what} per run: ours ${list(runs, f, 2)}, reference ${list(refRuns, f, 2)}; ` +
          `CPU until the first update (thread start-up, module loading ${loaded}, connection): ours ${list(runs, (x) => x.startupMs, 0)} ms, reference ${list(refRuns, (x) => x.startupMs, 0)} ms; ` +
          `best run: ${o.note}; ingestion CPU ${((o.cpu / o.wall) * 100).toFixed(1)} % of one core over ${(o.wall / 1000).toFixed(1)} s (reference ${((r.cpu / r.wall) * 100).toFixed(1)} %); load average ${loadavg()[0].toFixed(1)}`,
      });
    }
  }
}

/**
 * The decode step alone, in one thread: the ingestion worker's in-place `@bookTicker` fast path
 * (`SharedQuoteStore.ingestInPlace` → `scanBinanceBookTicker`, frames lying in one chunk as the socket delivers them)
 * vs the same store's general path (`ingest` → `decodeBookTicker`: UTF-8 decode, `JSON.parse`, regex checks), on the
 * same 200,000 frames (the quote server's layout, 10 symbols); best of 7 alternating passes, CPU per frame.
 */
function bookTickerDecode(): void {
  const syms = ["btcusdt", "ethusdt", "solusdt", "bnbusdt", "xrpusdt", "dogeusdt", "adausdt", "avaxusdt", "linkusdt", "dotusdt"];
  const n = 200_000;
  const texts: string[] = [];
  const u = new Map(syms.map((s) => [s, 0]));
  for (let k = 0; k < n; k++) {
    const s = syms[k % syms.length];
    const id = (u.get(s) ?? 0) + 1;
    u.set(s, id);
    const T = 1_780_000_000_000 + Math.floor(id / 2);
    const bid = 100 + (id % 50) / 10;
    texts.push(`{"stream":"${s}@bookTicker","data":{"e":"bookTicker","u":${id},"s":"${s.toUpperCase()}","b":"${bid.toFixed(1)}","B":"${(id % 7) + 1}.000","a":"${(bid + 0.1).toFixed(1)}","A":"${(id % 5) + 1}.000","T":${T},"E":${T}}}`);
  }
  const chunk = Buffer.from(texts.join(""), "latin1");
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) offsets[k + 1] = offsets[k] + texts[k].length;
  const frames = texts.map((_, k) => chunk.subarray(offsets[k], offsets[k + 1]));
  let fast = Infinity;
  let general = Infinity;
  let fellBack = 0;
  for (let rep = 0; rep < 7; rep++) {
    const a = SharedQuoteStore.create(syms, 1 << 16);
    const c0 = process.cpuUsage();
    for (let k = 0; k < n; k++) if (!a.ingestInPlace(chunk, offsets[k], offsets[k + 1])) fellBack++;
    const c = process.cpuUsage(c0);
    fast = Math.min(fast, (c.user + c.system) / n);
    const b = SharedQuoteStore.create(syms, 1 << 16);
    const g0 = process.cpuUsage();
    for (let k = 0; k < n; k++) b.ingest(frames[k]);
    const g = process.cpuUsage(g0);
    general = Math.min(general, (g.user + g.system) / n);
    if (rep === 6 && JSON.stringify(syms.map((s) => a.stats(s))) !== JSON.stringify(syms.map((s) => b.stats(s)))) throw new Error("bookTickerDecode: the two paths disagree");
  }
  report({
    case: "decode+validate+store one bookTicker frame in the ingestion worker's store, in place (SharedQuoteStore.ingestInPlace: scanBinanceBookTicker), 200,000 frames of 10 symbols",
    oursMs: fast / 1000,
    reference: "the same store's general path (ingest: decodeBookTicker, JSON.parse)",
    referenceMs: general / 1000,
    note: `CPU per frame, best of 7 alternating passes: in place ${(fast * 1000).toFixed(0)} ns, general ${(general * 1000).toFixed(0)} ns; ${fellBack} fell back; both stores' counters identical`,
  });
}

async function main(): Promise<void> {
  if (process.argv.includes("--only=archive")) return archiveQuotes();
  if (process.argv[2] === "quotes-ws") {
    bookTickerDecode();
    return quoteIngestionOverWebSocket(); // only the quote-ingestion-over-WebSocket rows (and the decode step's)
  }
  // ---- 1. quote ingestion ------------------------------------------------------------------------------
  const symbols = ["btcusdt", "ethusdt", "solusdt", "bnbusdt", "xrpusdt", "dogeusdt", "adausdt", "linkusdt", "avaxusdt", "ltcusdt"];
  const sim = new TradeSimulator({ symbols, seed: 14, rate: 50, startTime: 1_700_000_000_000 });
  const trades = symbols.map(() => ({ time: [] as number[], price: [] as number[], buyerIsMaker: [] as boolean[] }));
  sim.advanceTo(1_700_000_000_000 + 600_000, (i, _id, t, p, _q, m) => {
    trades[i].time.push(t);
    trades[i].price.push(p);
    trades[i].buyerIsMaker.push(m);
  });
  const frames: string[] = [];
  const perSymbol = symbols.map((s, i) => {
    const q = demoBookTickers(trades[i], { tick: 10 ** -sim.decimals(i), seed: 100 + i, updatesPerTrade: 2 });
    return q;
  });
  // interleave by time like one combined stream
  const cursors = symbols.map(() => 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < symbols.length; i++) if (cursors[i] < perSymbol[i].time.length && (best < 0 || perSymbol[i].time[cursors[i]] < perSymbol[best].time[cursors[best]])) best = i;
    if (best < 0) break;
    const q = perSymbol[best];
    const k = cursors[best]++;
    frames.push(JSON.stringify({ stream: `${symbols[best]}@bookTicker`, data: JSON.parse(bookTickerFrame(symbols[best], { updateId: q.updateId[k], time: q.time[k], bid: q.bid[k], bidQty: q.bidQty[k], ask: q.ask[k], askQty: q.askQty[k] }, sim.decimals(best))) }));
  }
  const n = frames.length;
  let best = Infinity;
  let bestCpu = Infinity;
  let stored = 0;
  for (let rep = 0; rep < 5; rep++) {
    const store = new QuoteStore(2_000_000);
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) store.ingest(frames[i]);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const c = process.cpuUsage(c0);
    best = Math.min(best, ms);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
    stored = symbols.reduce((s, sym) => s + store.stats(sym).accepted, 0);
  }
  const framesFile = join(dir, "frames.jsonl");
  writeFileSync(framesFile, frames.join("\n"));
  const ref = runPythonReference(`
import re
lines = open(${JSON.stringify(framesFile)}).read().split("\\n")
dec = re.compile(r"^\\d{1,20}(\\.\\d{1,20})?$")
best = 1e18
for rep in range(3):
    cols = {}
    t0 = time.perf_counter()
    for line in lines:
        m = json.loads(line)
        d = m["data"]
        s = d["s"].lower()
        b, B, a, A = d["b"], d["B"], d["a"], d["A"]
        if not (dec.match(b) and dec.match(B) and dec.match(a) and dec.match(A)): continue
        b, B, a, A = float(b), float(B), float(a), float(A)
        if b <= 0 or a <= 0 or B <= 0 or A <= 0 or b >= a: continue
        c = cols.setdefault(s, ([], [], [], [], [], []))
        c[0].append(d["T"]); c[1].append(d["u"]); c[2].append(b); c[3].append(B); c[4].append(a); c[5].append(A)
    best = min(best, (time.perf_counter() - t0) * 1000)
print(json.dumps({"ms": best, "n": sum(len(c[0]) for c in cols.values())}))
`);
  const usPer = (bestCpu * 1000) / n;
  report({
    case: `quote ingestion: decode+validate+store ${n.toLocaleString("en-US")} bookTicker frames, 10 symbols`,
    oursMs: best,
    referenceMs: ref.ms as number,
    reference: "Python json.loads + checks",
    note:
      `${Math.round(n / (best / 1000)).toLocaleString("en-US")} updates/s on one core; CPU ${usPer.toFixed(2)} µs/update → ` +
      `${((5000 * usPer) / 1e4).toFixed(2)} % of a core at 5,000 updates/s, ${((20000 * usPer) / 1e4).toFixed(2)} % at 20,000/s; ` +
      `accepted ${stored.toLocaleString("en-US")} (reference kept ${Number(ref.n).toLocaleString("en-US")})`,
  });

  // Paced: 5,000 updates/s in total (50 frames every 10 ms) for 3 s, CPU share of the process measured.
  {
    const store = new QuoteStore(2_000_000);
    const rate = 5000;
    const perTick = rate / 100;
    let k = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(n, Math.round(((performance.now() - t0) / 1000) * rate));
        while (k < due) store.ingest(frames[k++]);
        if (performance.now() - t0 >= 3000) {
          clearInterval(timer);
          resolve();
        }
      }, 1000 / 100);
    });
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const share = ((c.user + c.system) / 1000 / wall) * 100;
    report({
      case: `quote ingestion paced at ${rate.toLocaleString("en-US")} updates/s (10 symbols, ${perTick} frames per 10 ms) for 3 s: process CPU share`,
      oursMs: ((c.user + c.system) / 1000 / k) * 1000,
      referenceMs: NaN,
      reference: "—",
      note: `${k.toLocaleString("en-US")} updates in ${(wall / 1000).toFixed(2)} s; process CPU ${share.toFixed(2)} % of one core (timer and decode included); oursMs = CPU µs per 1,000 updates`,
    });
  }

  bookTickerDecode();
  await quoteIngestionOverWebSocket();

  // ---- 1b. quotes into the archive's quote table ------------------------------------------------------------
  await archiveQuotes();

  // ---- 2. 20 rules on each new 1 s bar ------------------------------------------------------------------
  const rnd = normalFrom(seededRandom(2026));
  const HIST = 3600;
  const LIVE = 3000;
  const total = HIST + LIVE;
  const ys: Float64Array[] = [];
  const base = new Float64Array(total);
  let b = 100_000;
  for (let i = 0; i < total; i++) base[i] = b = b * Math.exp(2e-4 * rnd());
  for (let k = 0; k < 4; k++) {
    const s = new Float64Array(total);
    let e = 0;
    for (let i = 0; i < total; i++) {
      e = 0.99 * e + rnd() * 2;
      s[i] = (0.03 + 0.005 * k) * base[i] + e;
    }
    ys.push(s);
  }
  const sym = ["btc", "eth", "sol", "bnb", "xrp"];
  const series = [base, ...ys];
  const rules: AlertRuleSpec[] = [];
  for (let k = 0; k < 6; k++) rules.push({ kind: "zscore", id: `z${k}`, y: sym[1 + (k % 4)], x: "btc", hedgeWindow: 60 + 20 * k, zWindow: 60, entry: 2, exit: 0.5 });
  for (let k = 0; k < 4; k++) rules.push({ kind: "correlation", id: `c${k}`, a: sym[1 + k], b: "btc", window: 120, below: 0.3 });
  for (let k = 0; k < 3; k++) rules.push({ kind: "hedge-drift", id: `h${k}`, y: sym[1 + k], x: "btc", window: 300, lookback: 60, percent: 10 });
  for (let k = 0; k < 2; k++) rules.push({ kind: "adf", id: `a${k}`, y: sym[1 + k], x: "btc", window: 300, every: 10, level: 0.05 });
  for (let k = 0; k < 3; k++) rules.push({ kind: "price-move", id: `p${k}`, symbol: sym[k], window: 60, percent: 0.5 });
  for (let k = 0; k < 2; k++) rules.push({ kind: "quote-cost", id: `q${k}`, y: sym[1 + k], x: "btc", aboveBps: 3, betaWindow: 120 });
  // One run: a fresh engine warmed on the 1 h history, then the 3,000 live bars timed one by one.
  const liveRun = async () => {
    const engine = new AlertEngine({ rules, interval: 1000, liveFrom: HIST * 1000 });
    const touch = (i: number) => Object.fromEntries(sym.map((s, j) => [s, { bid: series[j][i] * (1 - 1e-4), ask: series[j][i] * (1 + 1e-4), bidQty: 1, askQty: 1, time: i * 1000 }]));
    const bar = (i: number) => ({ time: i * 1000, closed: true, close: Object.fromEntries(sym.map((s, j) => [s, series[j][i]])), touch: touch(i) });
    for (let i = 0; i < HIST; i++) engine.process(bar(i));
    // Bars are built before the timed region (the bench's own garbage is outside it, but its GCs are not).
    const liveBars = Array.from({ length: LIVE }, (_, k) => bar(HIST + k));
    const times: number[] = [];
    const cpuTimes: number[] = [];
    const spans = new Float64Array(2 * LIVE);
    const adfBars: number[] = [];
    const otherBars: number[] = [];
    const gcs: { start: number; ms: number }[] = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcs.push({ start: e.startTime, ms: e.duration });
    });
    gcObserver.observe({ entryTypes: ["gc"] });
    let fired = 0;
    const cpu0 = process.cpuUsage();
    for (let i = HIST; i < total; i++) {
      const u = liveBars[i - HIST];
      const c0 = process.cpuUsage();
      spans[2 * (i - HIST)] = performance.now();
      const t0 = process.hrtime.bigint();
      fired += engine.process(u).length;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      spans[2 * (i - HIST) + 1] = performance.now();
      const c1 = process.cpuUsage(c0);
      cpuTimes.push((c1.user + c1.system) / 1000);
      times.push(ms);
      // the ADF rules (window 300, every 10) re-test on bars 299, 309, 319, …
      ((i - 299) % 10 === 0 ? adfBars : otherBars).push(ms);
    }
    const cpu = process.cpuUsage(cpu0);
    await new Promise((r) => setTimeout(r, 20)); // GC entries are delivered asynchronously
    gcObserver.disconnect();
    const cpuPerBarMs = (cpu.user + cpu.system) / 1000 / LIVE; // process CPU (includes GC and JIT helper threads)
    // Slow bars (> 1 ms wall): with a GC pause inside them, or without (then: preemption by the other processes).
    let slowGc = 0;
    let slowOther = 0;
    for (let k = 0; k < LIVE; k++) {
      if (times[k] <= 1) continue;
      const a = spans[2 * k];
      const z = spans[2 * k + 1];
      if (gcs.some((g) => g.start < z && g.start + g.ms > a)) slowGc++;
      else slowOther++;
    }
    adfBars.sort((a, c) => a - c);
    otherBars.sort((a, c) => a - c);
    cpuTimes.sort((a, c) => a - c);
    await engine.stop();
    const sorted = [...times].sort((a, c) => a - c);
    const mean = times.reduce((a, c) => a + c, 0) / times.length;
    return { sorted, times, cpuTimes, mean, cpuPerBarMs, adfBars, otherBars, gcs, slowGc, slowOther, fired };
  };
  // Best of 3 runs by wall p99 (the machine is shared: one preempted stretch should not decide the number); all 3 printed.
  const runs = [await liveRun(), await liveRun(), await liveRun()];
  const p99s = runs.map((r) => pct(r.sorted, 0.99));
  const bestRun = runs[p99s.indexOf(Math.min(...p99s))];
  const { sorted, cpuTimes, mean, cpuPerBarMs, adfBars, otherBars, gcs, slowGc, slowOther, fired } = bestRun;
  const arrays: Record<string, Float64Array> = {};
  sym.forEach((s, j) => (arrays[`s_${s}`] = series[j]));
  const refRules = runPythonReference(
    `
from statsmodels.tsa.stattools import adfuller
S = {"btc": s_btc, "eth": s_eth, "sol": s_sol, "bnb": s_bnb, "xrp": s_xrp}
HIST, LIVE = ${HIST}, ${LIVE}
def olsfit(y, x):
    xm, ym = x.mean(), y.mean()
    b = ((x - xm) * (y - ym)).sum() / ((x - xm) ** 2).sum()
    return ym - b * xm, b
def rolling_beta(y, x, w):
    # rolling OLS by cumulative sums (vectorised over the windows)
    n = len(y)
    cx = np.concatenate([[0], np.cumsum(x)]); cy = np.concatenate([[0], np.cumsum(y)])
    cxx = np.concatenate([[0], np.cumsum(x * x)]); cxy = np.concatenate([[0], np.cumsum(x * y)])
    sx = cx[w:] - cx[:-w]; sy = cy[w:] - cy[:-w]; sxx = cxx[w:] - cxx[:-w]; sxy = cxy[w:] - cxy[:-w]
    b = (sxy - sx * sy / w) / (sxx - sx * sx / w)
    a = sy / w - b * sx / w
    return a, b
zs = [(["eth","sol","bnb","xrp"][k % 4], 60 + 20 * k, 60) for k in range(6)]
times = []
for i in range(HIST, HIST + LIVE):
    t0 = time.perf_counter()
    for (y, rw, zw) in zs:
        L = rw + zw - 1
        yy = S[y][i - L + 1:i + 1]; xx = S["btc"][i - L + 1:i + 1]
        a, b = rolling_beta(yy, xx, rw)
        sp = yy[rw - 1:] - a - b * xx[rw - 1:]
        z = (sp[-1] - sp.mean()) / sp.std(ddof=1)
    for k in range(4):
        y = S[["eth","sol","bnb","xrp"][k]][i - 120:i + 1]; x = S["btc"][i - 120:i + 1]
        r = np.corrcoef(np.diff(np.log(y)), np.diff(np.log(x)))[0, 1]
    for k in range(3):
        y = S[["eth","sol","bnb"][k]][i - 359:i + 1]; x = S["btc"][i - 359:i + 1]
        _, b1 = olsfit(y[60:], x[60:]); _, b0 = olsfit(y[:300], x[:300])
    if (i - HIST) % 10 == 0:
        for k in range(2):
            y = S[["eth","sol"][k]][i - 299:i + 1]; x = S["btc"][i - 299:i + 1]
            a, b = olsfit(y, x)
            p = adfuller(y - a - b * x, autolag="AIC")[1]
    for k in range(3):
        c = S[["btc","eth","sol"][k]]
        m = c[i] / c[i - 60] - 1
    for k in range(2):
        y = S[["eth","sol"][k]][i - 119:i + 1]; x = S["btc"][i - 119:i + 1]
        _, b = olsfit(y, x)
        cost = (y[-1] * 2e-4 + abs(b) * x[-1] * 2e-4) / (y[-1] + abs(b) * x[-1]) * 1e4
    times.append((time.perf_counter() - t0) * 1000)
times.sort()
print(json.dumps({"mean": sum(times) / len(times), "p99": times[int(0.99 * len(times))]}))
`,
    arrays,
  );
  const p99 = pct(sorted, 0.99);
  report({
    case: "20 alert rules evaluated per new 1 s bar (mean wall over 3,000 live bars, best of 3 runs by p99)",
    oursMs: mean,
    referenceMs: refRules.mean as number,
    reference: "numpy + statsmodels per-bar loop",
    note:
      `process CPU ${cpuPerBarMs.toFixed(3)} ms per bar (process.cpuUsage, all threads); wall p50 ${pct(sorted, 0.5).toFixed(3)} ms, ` +
      `${((100 * sorted.filter((x) => x <= 1).length) / sorted.length).toFixed(1)} % of bars ≤ 1 ms; ` +
      `bars with an ADF re-test (2 ADF, window 300, AIC up to lag 15): p50 ${pct(adfBars, 0.5).toFixed(3)} ms vs ${pct(otherBars, 0.5).toFixed(3)} ms without; ${fired} alerts fired`,
  });
  report({
    case: "20 alert rules per new 1 s bar: wall p99 (the tail), best of 3 runs",
    oursMs: p99,
    referenceMs: refRules.p99 as number,
    reference: "numpy + statsmodels per-bar loop (p99)",
    note:
      `wall p99 of the 3 runs ${p99s.map((x) => x.toFixed(3)).join(" / ")} ms (means ${runs.map((r) => r.mean.toFixed(3)).join(" / ")}); best run: wall p50 ${pct(sorted, 0.5).toFixed(3)} / p99 ${p99.toFixed(3)} / max ${sorted[sorted.length - 1].toFixed(3)} ms; per-bar process CPU p50 ${pct(cpuTimes, 0.5).toFixed(3)} / p99 ${pct(cpuTimes, 0.99).toFixed(3)} / max ${cpuTimes[cpuTimes.length - 1].toFixed(3)} ms; ` +
      `${gcs.length} GC pauses during the 3,000 bars (${gcs.reduce((a, g) => a + g.ms, 0).toFixed(1)} ms); of the ${slowGc + slowOther} bars > 1 ms, ${slowGc} overlap a GC pause and ${slowOther} do not (preemption: load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores); ` +
      `goal ≤ 1 ms per bar: ${p99 <= 1 ? "met at wall p99" : mean <= 1 && pct(cpuTimes, 0.99) <= 1 ? "met on the mean and at CPU p99; NOT at wall p99 under this load" : "NOT met"}`,
  });

  // ---- 3. webhook latency bar close → local receiver --------------------------------------------------
  const received = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received.set(String(req.headers["idempotency-key"]), performance.now());
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  for (const [durable, paceMs, announce] of [[true, 10, "immediately"], [true, 50, "immediately"], [true, 50, "after-commit"], [false, 10, "immediately"]] as const) {
    received.clear();
    const edir = mkdtempSync(join(dir, "engine-"));
    const e = new AlertEngine({ rules: [{ kind: "price-move", id: "flip", symbol: "btc", window: 1, percent: 0.5 }], interval: 1000, liveFrom: 0, dir: durable ? edir : undefined, announce });
    const outbox = new AlertOutbox({ targets: [new WebhookTarget({ name: "local", preset: "generic", url })] });
    e.onAlert((a) => outbox.enqueue(a));
    const closedAt = new Map<string, number>();
    // closes 100, 101, 101, 100, 100, 101 …: a ±1 % move every other bar, a 0 % bar in between re-arms the rule
    const pattern = [100, 101, 101, 100];
    for (let i = 0; i < (paceMs > 10 ? 400 : 800); i++) {
      const t0 = performance.now();
      for (const a of e.process({ time: i * 1000, closed: true, close: { btc: pattern[i % 4] } })) closedAt.set(a.id, t0);
      await new Promise((r) => setTimeout(r, paceMs)); // bars paced 10 or 50 ms apart (1 s bars would only make the bench longer)
    }
    await e.settled();
    await outbox.idle();
    await outbox.close();
    await e.stop();
    const lat = [...closedAt].map(([id, t0]) => (received.get(id) ?? NaN) - t0).filter(Number.isFinite).sort((a, c) => a - c);
    report({
      case: `webhook latency bar close → local receiver, ${durable ? (announce === "after-commit" ? "durable, delivery after the fsync'd log + atomic state (announce: after-commit)" : "durable, log/state fsync'd in parallel (announce: immediately, the default)") : "memory-only engine"}, an alert every ${2 * paceMs} ms (p99)`,
      oursMs: pct(lat, 0.99),
      referenceMs: NaN,
      reference: "—",
      note: `p50 ${pct(lat, 0.5).toFixed(2)} ms, p99 ${pct(lat, 0.99).toFixed(2)} ms, max ${lat[lat.length - 1].toFixed(2)} ms over ${lat.length} alerts (of ${closedAt.size} fired); goal p99 ≤ 50 ms: ${pct(lat, 0.99) <= 50 ? "met" : "NOT met"}`,
    });
  }
  await new Promise<void>((r) => server.close(() => r()));
}

/**
 * 1b. Quotes into the archive's quote table: what the ingestion worker's QuoteRecorder does, 10 symbols × 1,000 stored
 * quotes/s (the storage-rule maximum) × 60 s, committed every 250 ms as one transaction per symbol (2,400 transactions
 * of 250 quotes), into a fresh SQLite archive; then one symbol's 60,000 quotes read back into Float64Arrays (best of 3).
 * Reference: Python sqlite3, the same table (WITHOUT ROWID, primary key (sym, update_id), index (sym, time)),
 * executemany per batch, then a SELECT of the same 6 columns into numpy. Both sides build their batches inside the
 * timed loop. Three rounds, ours and the reference interleaved (each round a fresh file on each side): best wall time
 * of the rounds, and process CPU time (best round) beside it. Run alone: npx tsx bench/alerts.bench.ts --only=archive
 */
async function archiveQuotes(): Promise<void> {
  const { SqliteArchive } = await import("../src/archive");
  const SYM = 10;
  const PER_S = 1000;
  const SECONDS = 60;
  const BATCH = PER_S / 4;
  const ROUNDS = 3;
  const nq = PER_S * SECONDS;
  const qt = new Float64Array(nq);
  const qb = new Float64Array(nq);
  const rndq = seededRandom(77);
  let px = 100;
  for (let i = 0; i < nq; i++) {
    qt[i] = 1_700_000_000_000 + i; // one quote per ms
    qb[i] = px = Math.max(1, px + (rndq() < 0.5 ? -0.01 : 0.01));
  }
  const ours = { write: Infinity, writeCpu: Infinity, read: Infinity, readCpu: Infinity, written: 0, got: 0, pageSize: 0, rounds: [] as string[] };
  const ref = { write: Infinity, writeCpu: Infinity, read: Infinity, readCpu: Infinity, n: 0, pageSize: 0, rounds: [] as string[] };
  for (let round = 0; round < ROUNDS; round++) {
    const archive = SqliteArchive.open(join(dir, `quotes-${round}.sqlite`));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let written = 0;
    for (let a = 0; a < nq; a += BATCH) {
      for (let k = 0; k < SYM; k++) {
        const b = a + BATCH;
        const bid = qb.subarray(a, b);
        written += archive.writeQuotesSync({
          symbol: `sym${k}usdt`,
          updateId: Float64Array.from({ length: BATCH }, (_, j) => 10 * (a + j) + 1),
          time: qt.subarray(a, b),
          bid,
          bidQty: bid.map(() => 1.5),
          ask: bid.map((v) => v + 0.01),
          askQty: bid.map(() => 2.5),
          source: "bench",
          simulated: true,
        });
      }
    }
    const writeMs = performance.now() - t0;
    const wc = process.cpuUsage(c0);
    let readMs = Infinity;
    let readCpu = Infinity;
    for (let rep = 0; rep < 3; rep++) {
      const rc0 = process.cpuUsage();
      const r0 = performance.now();
      ours.got = archive.readQuotesSync("sym3usdt").time.length;
      readMs = Math.min(readMs, performance.now() - r0);
      const rc = process.cpuUsage(rc0);
      readCpu = Math.min(readCpu, (rc.user + rc.system) / 1000);
    }
    archive.closeSync();
    const Database = (await import("better-sqlite3")).default;
    const check = new Database(join(dir, `quotes-${round}.sqlite`), { readonly: true });
    ours.pageSize = check.pragma("page_size", { simple: true }) as number;
    check.close();
    ours.written = written;
    ours.write = Math.min(ours.write, writeMs);
    ours.writeCpu = Math.min(ours.writeCpu, (wc.user + wc.system) / 1000);
    ours.read = Math.min(ours.read, readMs);
    ours.readCpu = Math.min(ours.readCpu, readCpu);
    ours.rounds.push(`${writeMs.toFixed(0)}/${readMs.toFixed(0)}`);
    const r = runPythonReference(
      `
import sqlite3, os
path = ${JSON.stringify(join(dir, `quotes-ref-${round}.sqlite`))}
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL"); db.execute("PRAGMA page_size=32768")
db.execute("CREATE TABLE quotes (sym INTEGER NOT NULL, update_id INTEGER NOT NULL, time INTEGER NOT NULL, bid REAL NOT NULL, bid_qty REAL NOT NULL, ask REAL NOT NULL, ask_qty REAL NOT NULL, src INTEGER NOT NULL, PRIMARY KEY (sym, update_id)) WITHOUT ROWID")
db.execute("CREATE INDEX quotes_by_time ON quotes (sym, time)")
t = qt.astype(np.int64).tolist(); b = qb.tolist()
B = ${BATCH}
c0 = time.process_time()
t0 = time.perf_counter()
for a in range(0, len(t), B):
    for k in range(${SYM}):
        rows = [(k, 10 * (a + j) + 1, t[a + j], b[a + j], 1.5, b[a + j] + 0.01, 2.5, 1) for j in range(B)]
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT OR IGNORE INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("COMMIT")
w = (time.perf_counter() - t0) * 1000
wc = (time.process_time() - c0) * 1000
r = 1e18
rc = 1e18
for rep in range(3):
    c0 = time.process_time()
    r0 = time.perf_counter()
    rows = db.execute("SELECT update_id, time, bid, bid_qty, ask, ask_qty FROM quotes WHERE sym = 3 ORDER BY time, update_id").fetchall()
    arr = np.array(rows, dtype=np.float64)
    r = min(r, (time.perf_counter() - r0) * 1000)
    rc = min(rc, (time.process_time() - c0) * 1000)
print(json.dumps({"write": w, "write_cpu": wc, "read": r, "read_cpu": rc, "n": len(rows), "page_size": db.execute("PRAGMA page_size").fetchone()[0]}))
`,
      { qt, qb },
    );
    ref.write = Math.min(ref.write, r.write as number);
    ref.writeCpu = Math.min(ref.writeCpu, r.write_cpu as number);
    ref.read = Math.min(ref.read, r.read as number);
    ref.readCpu = Math.min(ref.readCpu, r.read_cpu as number);
    ref.n = r.n as number;
    ref.pageSize = r.page_size as number;
    ref.rounds.push(`${(r.write as number).toFixed(0)}/${(r.read as number).toFixed(0)}`);
  }
  const usPerQuote = (ours.writeCpu / (SYM * nq)) * 1000;
  report({
    case: `quotes into the archive (SQLite): ${(SYM * nq).toLocaleString("en-US")} stored quotes of 10 symbols in 250 ms batches (QuoteRecorder's pattern), best of ${ROUNDS} interleaved rounds`,
    oursMs: ours.write,
    referenceMs: ref.write,
    reference: "Python sqlite3 executemany, same table",
    note:
      `${ours.written.toLocaleString("en-US")} rows, ${Math.round((SYM * nq) / (ours.write / 1000)).toLocaleString("en-US")} quotes/s; process CPU ours ${ours.writeCpu.toFixed(0)} ms, reference ${ref.writeCpu.toFixed(0)} ms ` +
      `(CPU ratio ${(ref.writeCpu / ours.writeCpu).toFixed(2)}x); ${usPerQuote.toFixed(2)} µs CPU per quote → ${((usPerQuote * SYM * PER_S) / 1e4).toFixed(2)} % of a core at the maximum 10,000 stored quotes/s; ` +
      `rounds (write/read ms) ours ${ours.rounds.join(", ")}, reference ${ref.rounds.join(", ")}; page size ours ${ours.pageSize} B, reference ${ref.pageSize} B (its page_size pragma comes after journal_mode=WAL and does not apply)`,
  });
  report({
    case: `readQuotes of one symbol (${ours.got.toLocaleString("en-US")} quotes → Float64Arrays), best of 3 × ${ROUNDS} rounds`,
    oursMs: ours.read,
    referenceMs: ref.read,
    reference: "Python sqlite3 SELECT → numpy",
    note: `reference read ${ref.n.toLocaleString("en-US")} rows × 6 columns, ours the same 6 columns and the simulated flag; process CPU ours ${ours.readCpu.toFixed(1)} ms, reference ${ref.readCpu.toFixed(1)} ms (CPU ratio ${(ref.readCpu / ours.readCpu).toFixed(2)}x)`,
  });
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
