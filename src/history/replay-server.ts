import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import type { Archive, ArchivedTrades } from "../archive/archive-types";
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
   * Frames a reconnect re-sends before where the previous connection stopped (default 20,000): frames still in
   * socket buffers when a connection drops are delivered again; the ingestion drops the repeats by trade id.
   */
  rewindFrames?: number;
}

/** Counters of a replay. */
export interface ReplayStats {
  /** Trades loaded from the archive, per symbol. */
  loaded: Record<string, number>;
  /** Frames sent, per stream (e.g. "btcusdt@trade"). */
  sent: Record<string, number>;
  /** True when every subscribed stream reached the end of the period. */
  finished: boolean;
  /** True when any replayed trade was recorded from a simulated source. */
  simulated: boolean;
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

interface Tape {
  symbol: string;
  upper: string;
  trades: ArchivedTrades;
  /** Per stream kind: next trade index to send (a reconnect resumes here, like an exchange never re-sends). */
  cursor: { trade: number; aggTrade: number };
}

/**
 * A replay of archived trades that speaks Binance's combined-stream WebSocket protocol, so `source: "replay"` can
 * reuse the whole live pipeline: connect to `/public/stream?streams=btcusdt@trade/…` or
 * `/market/stream?streams=btcusdt@aggTrade/…` (or `/<route>/ws/<stream>`) and receive `{"stream","data"}` frames
 * (`@trade`: `t` = trade id; `@aggTrade`: `a = f = l` = trade id) in time order across the subscribed symbols.
 * Pacing: recorded time scaled by `speed` from the first frame, or as fast as the socket drains ("max").
 * The handshake carries `x-pairlab-replay: 1`, plus `x-pairlab-simulated: 1` when the recording was simulated.
 * Each stream remembers how far it got: a reconnect resumes there, `rewindFrames` earlier (frames lost in socket
 * buffers at the drop are sent again; the ingestion drops repeats by trade id, so no trade is stored twice). The
 * trades are read from the archive once, at start. O(trades) memory and time.
 *
 * @throws RangeError (E_PARAM) for bad options; ArchiveError when the archive cannot be read.
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
  const symbols = options.symbols ?? (await options.archive.summary()).map((s) => s.symbol);
  const tapes = new Map<string, Tape>();
  let simulated = false;
  for (const s of symbols) {
    const trades = await options.archive.readTrades(s, { from: options.from, to: options.to });
    if (trades.simulated.includes(1)) simulated = true;
    tapes.set(s, { symbol: s, upper: s.toUpperCase(), trades, cursor: { trade: 0, aggTrade: 0 } });
  }
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
      const [sym, kind] = name.split("@") as [string, "trade" | "aggTrade"];
      const tape = tapes.get(sym);
      if (tape && tape.cursor[kind] < tape.trades.id.length) return;
    }
    if (subscribed.size > 0) finishedResolve();
  };

  wss.on("connection", (ws: WebSocket, req: IncomingMessage) => {
    const url = new URL(req.url ?? "/", "ws://127.0.0.1");
    const combined = /\/stream$/.test(url.pathname);
    const names = combined ? (url.searchParams.get("streams") ?? "").split("/").filter(Boolean) : [url.pathname.split("/").pop() ?? ""];
    const streams: { name: string; tape: Tape; kind: "trade" | "aggTrade" }[] = [];
    for (const name of names) {
      const [sym, kind] = name.split("@");
      const tape = tapes.get(sym);
      if (!tape || (kind !== "trade" && kind !== "aggTrade")) continue; // unknown streams stay silent, like Binance
      streams.push({ name, tape, kind });
      if (subscribed.has(name)) tape.cursor[kind] = Math.max(0, tape.cursor[kind] - rewind); // a reconnect
      subscribed.add(name);
      sent[name] ??= 0;
    }
    ws.on("message", () => undefined); // SUBSCRIBE etc. are ignored
    ws.on("error", () => undefined);
    let wallStart = NaN;
    let timeStart = NaN;
    const pump = () => {
      if (closed || ws.readyState !== WebSocket.OPEN) return;
      for (;;) {
        // The next frame: earliest (time, symbol order) among the subscribed streams.
        let best = -1;
        let bestTime = Infinity;
        for (let k = 0; k < streams.length; k++) {
          const s = streams[k];
          const i = s.tape.cursor[s.kind];
          if (i < s.tape.trades.id.length && s.tape.trades.time[i] < bestTime) {
            bestTime = s.tape.trades.time[i];
            best = k;
          }
        }
        if (best < 0) {
          checkFinished();
          return;
        }
        if (Number.isNaN(wallStart)) {
          wallStart = Date.now();
          timeStart = bestTime;
        }
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
      sent: { ...sent },
      finished: subscribed.size > 0 && [...subscribed].every((n) => {
        const [sym, kind] = n.split("@") as [string, "trade" | "aggTrade"];
        const tape = tapes.get(sym)!;
        return tape.cursor[kind] >= tape.trades.id.length;
      }),
      simulated,
    }),
    finished: () => finishedPromise,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function frame(tape: Tape, i: number, kind: "trade" | "aggTrade", stream: string | null): string {
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
