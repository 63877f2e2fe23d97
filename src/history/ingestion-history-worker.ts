// The history area's module inside the ingestion worker (loaded by ingestion-worker through the extension
// seam; not public API): records every stored trade into the archive in batches, repairs final trade-id gaps
// from the source's REST and injects them once, and serves `source: "replay"` from a replay server.
import { extname, join } from "node:path";
import { ArchiveWriter } from "../archive/archive-writer";
import type { Archive } from "../archive/archive-types";
import { openArchive } from "../archive/open-archive";
import { hasArchiveTables } from "../archive/quote-table";
import { QuoteRecorder } from "../archive/quote-recorder";
import type { FinalGap, IngestionRunner, IngestionStats, NormalizedIngestionOptions, ResolvedSource, TradeEvent, WorkerExtensionInstance } from "../ingestion/internal-extension";
import type { IngestionHistoryConfig } from "./ingestion-history";
import { repairAggGap } from "./repair-agg-gap";
import { repairGap } from "./repair-gap";
import { BINANCE_FUTURES_REST, BinanceRestClient } from "./rest-client";
import { startReplayServer, type ReplayServer } from "./replay-server";

/** The module the demo exchange loads for its REST endpoints (see DemoFeedOptions.restModule). */
export const DEMO_REST_MODULE = join(__dirname, `demo-exchange-rest${extname(__filename) || ".js"}`);

/** Trades collected between two hand-overs to the writer (≤ 100 ms; the writer commits every 250 ms). */
const HANDOVER_MS = 100;

let replayServer: ReplayServer | undefined;
let replayArchive: Archive | undefined;

function archiveLabel(config: IngestionHistoryConfig): string {
  const a = config.archive;
  if (a.kind === "sqlite") return a.path;
  if (a.kind === "postgres") return a.url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
  return "off";
}

/** Starts the replay server for `source: "replay"` and points the ingestion at it. */
export async function prepare(raw: unknown, resolved: ResolvedSource, options: NormalizedIngestionOptions): Promise<ResolvedSource | undefined> {
  const config = raw as IngestionHistoryConfig;
  // The demo exchange (started by the runner, in its own worker) serves the REST endpoints from its tape.
  if (resolved.kind === "demo" || resolved.kind === "auto") options.demo = { ...options.demo, restModule: DEMO_REST_MODULE };
  if (config.replay === undefined) return undefined;
  const spec = config.archive;
  const archive = await openArchive(spec.kind === "sqlite" ? `file:${spec.path}` : spec.kind === "postgres" ? spec.url : "off");
  if (archive === null) return undefined;
  replayArchive = archive;
  // With quotes: true the replay also serves the archive's recorded book tickers on @bookTicker.
  replayServer = await startReplayServer({ archive, symbols: config.symbols, from: config.replay.from, to: config.replay.to, speed: config.replay.speed, quotes: options.quotes === true });
  return { kind: "url", text: "replay", url: replayServer.url, from: resolved.from };
}

/** Column buffers of one symbol between hand-overs. */
interface Pending {
  id: number[];
  time: number[];
  price: number[];
  qty: number[];
}

/** Attaches recording and gap repair to the worker's runner. */
export function attach(runner: IngestionRunner, raw: unknown): WorkerExtensionInstance {
  const config = raw as IngestionHistoryConfig;
  const recordTo = config.replay === undefined && config.archive.kind !== "off" ? config.archive : undefined;
  let archive: Archive | null = null;
  let writer: ArchiveWriter | undefined;
  let quoteRecorder: QuoteRecorder | undefined;
  let openError = "";
  let injecting = false;
  const pending = new Map<string, Pending>();
  const queued: { symbol: string; batch: Pending; source: string; simulated: boolean }[] = [];
  const sourceName = (): string => (runner.simulated ? "demo" : runner.baseUrl.startsWith("wss://fstream.binance.com") ? "binance" : "ws");
  const handOver = (): void => {
    if (writer === undefined) return;
    for (const q of queued.splice(0)) writer.append({ symbol: q.symbol, ...q.batch, source: q.source, simulated: q.simulated });
    for (const [symbol, p] of pending) {
      if (p.id.length === 0) continue;
      writer.append({ symbol, id: p.id, time: p.time, price: p.price, qty: p.qty, source: sourceName(), simulated: runner.simulated });
      pending.set(symbol, { id: [], time: [], price: [], qty: [] });
    }
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  let unsubscribe: (() => void) | undefined;
  const opening: Promise<void> =
    recordTo === undefined
      ? Promise.resolve()
      : openArchive(recordTo.kind === "sqlite" ? `file:${recordTo.path}` : recordTo.url).then(
          (a) => {
            archive = a;
            if (a !== null) writer = new ArchiveWriter(a, { commitMs: config.commitMs });
            // Book tickers (quotes: true): the store's quotes go to the archive's quote table, batched.
            if (a !== null && runner.quotes !== undefined && hasArchiveTables(a)) {
              quoteRecorder = new QuoteRecorder(a, runner.quotes, { symbols: runner.symbols, source: sourceName, simulated: () => runner.simulated, commitMs: config.commitMs });
            }
          },
          (error: Error) => {
            openError = error.message;
          },
        );
  if (recordTo !== undefined) {
    unsubscribe = runner.addSink((t: TradeEvent) => {
      if (injecting) return;
      let p = pending.get(t.symbol);
      if (p === undefined) pending.set(t.symbol, (p = { id: [], time: [], price: [], qty: [] }));
      p.id.push(t.id);
      p.time.push(t.time);
      p.price.push(t.price);
      p.qty.push(t.qty);
    });
    timer = setInterval(() => {
      if (openError !== "") {
        pending.clear(); // the archive could not be opened: the store keeps everything, nothing to queue for
        return;
      }
      handOver();
    }, HANDOVER_MS);
    timer.unref();
  }

  // Gap repair: one REST request per final gap, injected into the store (and archive) once.
  const repair = { found: 0, repaired: 0, unrepairable: 0, pending: 0, tradesRecovered: 0, lastError: "" };
  let client: BinanceRestClient | undefined;
  let clientBase = "";
  const restBase = (): string => {
    const ws = runner.baseUrl;
    if (ws === "" || ws.startsWith("wss://fstream.binance.com")) return ws === "" ? "" : BINANCE_FUTURES_REST;
    return ws.replace(/^ws(s?):\/\//, "http$1://").replace(/\/+$/, "");
  };
  const inFlight = new Set<Promise<void>>();
  const abort = new AbortController();
  let stopped = false;
  const onGap = (gap: FinalGap): void => {
    repair.found++;
    const byAggregate = gap.stream !== "trade"; // an aggTrade stream's ids are aggregate ids: repaired by fromId
    if (!byAggregate && (!Number.isFinite(gap.timeBefore) || !Number.isFinite(gap.timeAfter))) {
      repair.unrepairable++;
      repair.lastError = `${gap.symbol}: gap ${gap.lo}…${gap.hi} without trade times around it`;
      return;
    }
    const base = restBase();
    if (base === "") {
      repair.unrepairable++;
      repair.lastError = "no REST base URL for this source yet";
      return;
    }
    if (client === undefined || base !== clientBase) {
      client = new BinanceRestClient({ baseUrl: base, signal: abort.signal });
      clientBase = base;
    }
    repair.pending++;
    const hole = { symbol: gap.symbol, lastIdBefore: gap.lo - 1, firstIdAfter: gap.hi + 1, from: gap.timeBefore, to: gap.timeAfter };
    const job = (byAggregate ? repairAggGap(client, hole, { simulated: runner.simulated }) : repairGap(client, hole, { simulated: runner.simulated }))
      .then((r) => {
        if (stopped) return;
        const n = r.trades.id.length;
        if (n > 0) {
          injecting = true;
          try {
            runner.inject(gap.symbol, r.trades);
          } finally {
            injecting = false;
          }
          if (recordTo !== undefined) queued.push({ symbol: gap.symbol, batch: { id: Array.from(r.trades.id), time: Array.from(r.trades.time), price: Array.from(r.trades.price), qty: Array.from(r.trades.qty) }, source: "rest", simulated: r.trades.simulated });
        }
        repair.tradesRecovered += n;
        if (r.status === "repaired") repair.repaired++;
        else {
          repair.unrepairable++;
          repair.lastError = `${gap.symbol} ${gap.lo}…${gap.hi}: ${r.reason}`;
        }
      })
      .catch((error: Error) => {
        repair.unrepairable++;
        repair.lastError = error.message;
      })
      .finally(() => {
        repair.pending--;
        inFlight.delete(job);
      });
    inFlight.add(job);
  };
  const offGap = config.repair ? runner.onGapFinal(onGap) : undefined;

  return {
    decorate(stats: IngestionStats): void {
      if (config.replay !== undefined) {
        stats.label = stats.simulated ? "REPLAY — SIMULATED" : "REPLAY";
        stats.source = `replay ${new Date(config.replay.from).toISOString()} → ${new Date(config.replay.to).toISOString()} (speed ${config.replay.speed})`;
        stats.warnings.unshift(`REPLAY: recorded trades from the archive, not live${stats.simulated ? " (the recording was SIMULATED)" : ""}`);
        if (replayServer !== undefined) {
          // Lag against the replay's clock: how far each symbol's last stored trade is behind what the replay has made
          // due (capped at its last recorded trade), so "caught up" means caught up with the replay, not with today.
          const r = replayServer.stats();
          stats.replay = { clock: r.clock, lastTrade: r.lastTrade, lastQuote: r.lastQuote };
          for (const [symbol, s] of Object.entries(stats.symbols)) {
            const due = Math.min(r.clock, r.lastTrade[symbol] ?? NaN);
            if (Number.isFinite(due)) s.lagMs = Math.max(0, due - s.lastTradeTime);
          }
        }
      }
      if (recordTo !== undefined) {
        const w = writer?.status();
        const state = openError !== "" ? "error" : w === undefined ? "ok" : w.state;
        const error = openError !== "" ? openError : (w?.error?.message ?? "");
        stats.recording = { archive: archiveLabel(config), state, written: w?.written ?? 0, pending: (w?.pending ?? 0) + [...pending.values()].reduce((n, p) => n + p.id.length, 0), dropped: w?.dropped ?? 0, commits: w?.commits ?? 0, lastCommitAt: w?.lastCommitAt ?? NaN, error };
        if (state === "failing" || state === "error") stats.warnings.push(`archive: not recording (${error}); ingestion goes on in memory, nothing already stored is lost`);
        if (quoteRecorder !== undefined) {
          const { state: qs, written: qw, pending: qp, dropped: qd, missed, commits: qc, error: qe } = quoteRecorder.status();
          stats.recording.quotes = { state: qs, written: qw, pending: qp, dropped: qd, missed, commits: qc, error: qe };
          if (qs === "failing") stats.warnings.push(`archive: quotes not recorded (${qe}); they stay queued in memory`);
        }
      }
      if (config.repair) stats.gapRepair = { restUrl: restBase(), ...repair };
    },
    async stop(): Promise<void> {
      offGap?.();
      stopped = true; // a repair still in flight is abandoned (its gap stays counted as found, not repaired)
      abort.abort();
      await Promise.all([...inFlight]);
      unsubscribe?.();
      if (timer !== undefined) clearInterval(timer);
      await opening;
      handOver();
      if (writer !== undefined) await writer.close();
      if (quoteRecorder !== undefined) await quoteRecorder.close();
      if (archive !== null) await archive.close();
      if (replayServer !== undefined) await replayServer.close();
      if (replayArchive !== undefined) await replayArchive.close();
      replayServer = undefined;
      replayArchive = undefined;
    },
  };
}
