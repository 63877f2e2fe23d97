import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import type { Archive, ArchivedTrades } from "../archive/archive-types";
import { archivedQuotes, hasArchiveTables, type ArchivedQuotes } from "../archive/quote-table";
import { parameterRangeError } from "../errors";

/** Handshake header (lower-case) of a replay server, value "1": the ingestion labels the data REPLAY. */
export const REPLAY_HEADER = "x-pairlab-replay";

/** Handshake header of simulated data (the demo exchange's own, same name), sent when the recording was simulated. */
export const REPLAY_SIMULATED_HEADER = "x-pairlab-simulated";

/** Options of {@link startReplayServer}. */
export interface ReplayServerOptions {
  archive: Archive;
  /** Symbols to replay (lower-case; default every symbol in the archive). */
  symbols?: string[];
  /** Start of the recorded period, epoch ms (inclusive; default everything). */
  from?: number;
  /** End, epoch ms (exclusive). */
  to?: number;
  /** Replay speed: 1 = real time, 60 = one recorded minute per second, "max" = as fast as the socket takes (default "max"). */
  speed?: number | "max";
  /** TCP port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /**
   * Also serve `<symbol>@bookTicker` from the archive's quote table (default false: the quotes are read at start only
   * when asked for). An archive without a quote table (or without quotes in the period) serves no quotes.
   */
  quotes?: boolean;
  /**
   * Frames a reconnect re-sends before where the previous connection stopped (default 20,000): frames still in
   * socket buffers when a connection drops are delivered again; the ingestion drops the repeats by trade id.
   */
  rewindFrames?: number;
}

/** Counters of a replay. */
export interface ReplayStats {
  /** Trades loaded from the archive, per symbol. */
  loaded: Record<string, number>;
  /** Quotes loaded from the archive's quote table, per symbol (0 each without `quotes: true`). */
  loadedQuotes: Record<string, number>;
  /** Frames sent, per stream (e.g. "btcusdt@trade", "btcusdt@bookTicker"). */
  sent: Record<string, number>;
  /** True when every subscribed stream reached the end of the period. */
  finished: boolean;
  /** True when any replayed trade (or quote) was recorded from a simulated source. */
  simulated: boolean;
  /**
   * Recorded time (epoch ms) the replay has made due: with a numeric speed, the earliest loaded time plus the wall time
   * since the first frame was sent × speed (the earliest loaded time before that); with speed "max", +Infinity.
   */
  clock: number;
  /** Per symbol: time of the last loaded trade (NaN when the period holds none). */
  lastTrade: Record<string, number>;
  /** Per symbol: time of the last loaded quote (NaN without quotes). */
  lastQuote: Record<string, number>;
}

/** A running replay server. */
export interface ReplayServer {
  /** `ws://127.0.0.1:<port>`: give it to the ingestion as its source URL. */
  url: string;
  port: number;
  stats(): ReplayStats;
  /** Resolves when every stream that was subscribed has sent its last trade. */
  finished(): Promise<void>;
  /** Stops sending, closes every socket and the server. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The stream kinds a replay serves: trades as `@trade` or `@aggTrade`, quotes as `@bookTicker`. */
type StreamKind = "trade" | "aggTrade" | "bookTicker";

interface Tape {
  symbol: string;
  upper: string;
  trades: ArchivedTrades;
  /** The recorded quotes (empty without `quotes: true`). */
  quotes: ArchivedQuotes;
  /** Per stream kind: next trade (or quote) index to send (a reconnect resumes here, like an exchange never re-sends). */
  cursor: Record<StreamKind, number>;
}

/** Frames of `kind` on `tape`. O(1). */
function streamLength(tape: Tape, kind: StreamKind): number {
  return kind === "bookTicker" ? tape.quotes.time.length : tape.trades.id.length;
}

/** Recorded time (epoch ms) of frame `i` of `kind` on `tape`: the trade time, or the quote's transaction time `T`. O(1). */
function streamTime(tape: Tape, kind: StreamKind, i: number): number {
  return kind === "bookTicker" ? tape.quotes.time[i] : tape.trades.time[i];
}

/**
 * A replay of archived trades (and, with `quotes: true`, of the archive's book-ticker quotes) that speaks Binance's
 * combined-stream WebSocket protocol, so `source: "replay"` can reuse the whole live pipeline: connect to
 * `/public/stream?streams=btcusdt@trade/…`, `/market/stream?streams=btcusdt@aggTrade/…` or
 * `/public/stream?streams=btcusdt@bookTicker/…` (or `/<route>/ws/<stream>`) and receive `{"stream","data"}` frames
 * (`@trade`: `t` = trade id; `@aggTrade`: `a = f = l` = trade id; `@bookTicker`: `u` = the recorded update id,
 * `T` = `E` = the recorded time, prices and sizes as the shortest decimals of the stored doubles, so they decode to
 * the same values) in time order across the subscribed streams (a trade before a quote of the same ms).
 * Pacing: recorded time scaled by `speed` from the earliest loaded trade or quote, on one clock shared by every
 * connection (so separately connected trade and quote streams stay in step), or as fast as each socket drains ("max").
 * The handshake carries `x-pairlab-replay: 1`, plus `x-pairlab-simulated: 1` when the recording was simulated.
 * Each stream remembers how far it got: a reconnect resumes there, `rewindFrames` earlier (frames lost in socket
 * buffers at the drop are sent again; the ingestion drops repeats by trade id, so no trade is stored twice; a repeated
 * quote is refused by its update id and counted as a `duplicate` or `update-id-backwards` rejection). The trades (and
 * quotes) are read from the archive once, at start. O(trades + quotes) memory and time.
 *
 * @throws RangeError (E_PARAM) for bad options (`quotes: true` on an archive without a quote table names it);
 *   ArchiveError when the archive cannot be read.
 * @example
 * const replay = await startReplayServer({ archive, symbols: ["btcusdt", "ethusdt"], from, to, speed: 60 });
 * // startIngestion({ source: replay.url, … }) labels the data REPLAY (and SIMULATED when recorded so)
 * await replay.finished(); await replay.close();
 */
export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  const what = "startReplayServer";
  const speed = options.speed ?? "max";
  if (speed !== "max" && !(typeof speed === "number" && speed > 0 && Number.isFinite(speed))) throw parameterRangeError(what, "speed", 'a number > 0 or "max"', speed);
  const port = options.port ?? 0;
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) throw parameterRangeError(what, "port", "an integer in [0, 65535]", port);
  const rewind = options.rewindFrames ?? 20_000;
  if (!Number.isSafeInteger(rewind) || rewind < 0) throw parameterRangeError(what, "rewindFrames", "an integer >= 0", rewind);
  const withQuotes = options.quotes ?? false;
  if (typeof withQuotes !== "boolean") throw parameterRangeError(what, "quotes", "true or false", withQuotes);
  const archive = options.archive;
  const quoteTables = withQuotes ? archive : null;
  if (quoteTables !== null && !hasArchiveTables(quoteTables)) throw parameterRangeError(what, "quotes", "false for an archive without a quote table", withQuotes);
  const symbols = options.symbols ?? (await archive.summary()).map((s) => s.symbol);
  const tapes = new Map<string, Tape>();
  let simulated = false;
  for (const s of symbols) {
    const range = { from: options.from, to: options.to };
    const trades = await archive.readTrades(s, range);
    const quotes = quoteTables !== null ? await quoteTables.readQuotes(s, range) : archivedQuotes(s);
    if (trades.simulated.includes(1) || quotes.simulated.includes(1)) simulated = true;
    tapes.set(s, { symbol: s, upper: s.toUpperCase(), trades, quotes, cursor: { trade: 0, aggTrade: 0, bookTicker: 0 } });
  }
  // One pacing clock for every connection (the ingestion opens the trade and the quote streams on separate
  // connections): recorded time `timeStart` (the earliest loaded trade or quote) maps to wall time `wallStart` (set when
  // the first connection starts sending), so trades and quotes stay in step, and a late or re-opened connection catches
  // up at once with what is already due.
  let timeStart = Infinity;
  for (const tape of tapes.values()) {
    if (tape.trades.time.length > 0) timeStart = Math.min(timeStart, tape.trades.time[0]);
    if (tape.quotes.time.length > 0) timeStart = Math.min(timeStart, tape.quotes.time[0]);
  }
  let wallStart = NaN;
  // The last loaded trade and quote per symbol (fixed at start; reported by stats()).
  const lastOf = (time: Float64Array): number => (time.length > 0 ? time[time.length - 1] : NaN);
  const lastTrade = Object.fromEntries([...tapes.values()].map((t) => [t.symbol, lastOf(t.trades.time)]));
  const lastQuote = Object.fromEntries([...tapes.values()].map((t) => [t.symbol, lastOf(t.quotes.time)]));
  const sent: Record<string, number> = {};
  const subscribed = new Set<string>();
  let finishedResolve: () => void = () => undefined;
  const finishedPromise = new Promise<void>((r) => (finishedResolve = r));
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let closed = false;

  const server: Server = createServer((_req, res) => res.writeHead(426, { "content-type": "text/plain" }).end("pairlab replay: WebSocket only\n"));
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on("headers", (headers: string[]) => {
    headers.push(`${REPLAY_HEADER}: 1`);
    if (simulated) headers.push(`${REPLAY_SIMULATED_HEADER}: 1`);
  });

  const checkFinished = () => {
    for (const name of subscribed) {
      const [sym, kind] = name.split("@") as [string, StreamKind];
      const tape = tapes.get(sym);
      if (tape && tape.cursor[kind] < streamLength(tape, kind)) return;
    }
    if (subscribed.size > 0) finishedResolve();
  };

  wss.on("connection", (ws: WebSocket, req: IncomingMessage) => {
    const url = new URL(req.url ?? "/", "ws://127.0.0.1");
    const combined = /\/stream$/.test(url.pathname);
    const names = combined ? (url.searchParams.get("streams") ?? "").split("/").filter(Boolean) : [url.pathname.split("/").pop() ?? ""];
    const streams: { name: string; tape: Tape; kind: StreamKind }[] = [];
    for (const name of names) {
      const [sym, kind] = name.split("@");
      const tape = tapes.get(sym);
      if (!tape || (kind !== "trade" && kind !== "aggTrade" && kind !== "bookTicker")) continue; // unknown streams stay silent, like Binance
      streams.push({ name, tape, kind });
      if (subscribed.has(name)) tape.cursor[kind] = Math.max(0, tape.cursor[kind] - rewind); // a reconnect
      subscribed.add(name);
      sent[name] ??= 0;
    }
    ws.on("message", () => undefined); // SUBSCRIBE etc. are ignored
    ws.on("error", () => undefined);
    const pump = () => {
      if (closed || ws.readyState !== WebSocket.OPEN) return;
      for (;;) {
        // The next frame: earliest (time, then trades before quotes, then symbol order) among the subscribed streams.
        let best = -1;
        let bestTime = Infinity;
        let bestQuote = true;
        for (let k = 0; k < streams.length; k++) {
          const s = streams[k];
          const i = s.tape.cursor[s.kind];
          if (i >= streamLength(s.tape, s.kind)) continue;
          const t = streamTime(s.tape, s.kind, i);
          const quote = s.kind === "bookTicker";
          if (t < bestTime || (t === bestTime && bestQuote && !quote)) {
            bestTime = t;
            bestQuote = quote;
            best = k;
          }
        }
        if (best < 0) {
          checkFinished();
          return;
        }
        if (Number.isNaN(wallStart)) wallStart = Date.now();
        if (speed !== "max") {
          const due = wallStart + (bestTime - timeStart) / speed;
          const wait = due - Date.now();
          if (wait > 1) return schedule(Math.min(wait, 1000));
        } else if (ws.bufferedAmount > 1 << 18) {
          return schedule(1);
        }
        const s = streams[best];
        const i = s.tape.cursor[s.kind]++;
        ws.send(frame(s.tape, i, s.kind, combined ? s.name : null));
        sent[s.name]++;
      }
    };
    const schedule = (ms: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        pump();
      }, ms);
      timers.add(timer);
    };
    schedule(0);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actualPort = (server.address() as { port: number }).port;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }));
  return {
    url: `ws://127.0.0.1:${actualPort}`,
    port: actualPort,
    stats: () => ({
      loaded: Object.fromEntries([...tapes.values()].map((t) => [t.symbol, t.trades.id.length])),
      loadedQuotes: Object.fromEntries([...tapes.values()].map((t) => [t.symbol, t.quotes.time.length])),
      sent: { ...sent },
      finished: subscribed.size > 0 && [...subscribed].every((n) => {
        const [sym, kind] = n.split("@") as [string, StreamKind];
        const tape = tapes.get(sym)!;
        return tape.cursor[kind] >= streamLength(tape, kind);
      }),
      simulated,
      clock: speed === "max" ? Infinity : Number.isNaN(wallStart) ? timeStart : timeStart + (Date.now() - wallStart) * speed,
      lastTrade: { ...lastTrade },
      lastQuote: { ...lastQuote },
    }),
    finished: () => finishedPromise,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** `value` as a plain decimal (no exponent, as Binance writes numbers) that parses back to the same double. O(1). */
function plainDecimal(value: number): string {
  const text = String(value);
  if (!text.includes("e")) return text;
  // Exponent form: |value| < 1e-6 or >= 1e21. Fixed notation with 20 decimals (the most toFixed gives) covers every
  // price and size an exchange quotes; a value it cannot write exactly is sent as is, and the ingestion's decoder
  // rejects it visibly (counted), never silently rounded.
  const fixed = value.toFixed(20).replace(/0+$/, "").replace(/\.$/, "");
  return Number(fixed) === value ? fixed : text;
}

function frame(tape: Tape, i: number, kind: StreamKind, stream: string | null): string {
  if (kind === "bookTicker") {
    const q = tape.quotes;
    const T = q.time[i];
    const body =
      `{"e":"bookTicker","u":${q.updateId[i]},"s":"${tape.upper}","b":"${plainDecimal(q.bid[i])}","B":"${plainDecimal(q.bidQty[i])}",` +
      `"a":"${plainDecimal(q.ask[i])}","A":"${plainDecimal(q.askQty[i])}","T":${T},"E":${T}}`;
    return stream ? `{"stream":"${stream}","data":${body}}` : body;
  }
  const t = tape.trades;
  const T = t.time[i];
  const id = t.id[i];
  const m = t.maker[i] === 1;
  const body =
    kind === "trade"
      ? `{"e":"trade","E":${T},"T":${T},"s":"${tape.upper}","t":${id},"p":"${t.price[i]}","q":"${t.qty[i]}","X":"MARKET","m":${m}}`
      : `{"e":"aggTrade","E":${T},"a":${id},"s":"${tape.upper}","p":"${t.price[i]}","q":"${t.qty[i]}","f":${id},"l":${id},"T":${T},"m":${m}}`;
  return stream ? `{"stream":"${stream}","data":${body}}` : body;
}
