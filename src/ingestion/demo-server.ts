import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { SourceError } from "./ingestion-errors";
import { normalizeSymbols } from "./symbols";
import { Tape, encodeTapeFrame } from "./demo-tape";
import { QuoteTape } from "./demo-quote-tape";
import { TradeSimulator, demoTradeIdBase, hashString } from "./trade-simulator";
import type { TradeStream } from "./routes";
import { SIMULATED_HEADER, normalizeDemoOptions, type DemoFeed, type DemoFeedOptions } from "./demo-exchange";

interface Subscription {
  tape: Tape;
  stream: TradeStream;
  name: string;
  /** Next tape position to send. */
  cursor: number;
  /** Book tickers derived from `tape` (a `@bookTicker` subscription; `stream` is then unused). */
  quotes?: QuoteTape;
}

interface Client {
  ws: WebSocket;
  combined: boolean;
  deliver: boolean;
  route: string;
  subs: Map<string, Subscription>;
  inbound: number[];
  pumping: boolean;
}

/**
 * Runs the embedded demo exchange on the calling thread (`startDemoFeed` runs it in its own worker thread
 * through this function): a real WebSocket server on 127.0.0.1 that speaks Binance USD-M's
 * market-stream protocol for `trade` and `aggTrade` — raw (`/public/ws/btcusdt@trade`) and combined
 * (`/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade`) paths, `SUBSCRIBE` / `UNSUBSCRIBE` /
 * `LIST_SUBSCRIPTIONS` messages with `{"result":…,"id":…}` replies, and Binance's routing: `@trade` is
 * delivered only on `/public`, `@aggTrade` only on `/market`; any other route (e.g. the retired root
 * `/ws`) is accepted but silent, like the real exchange. More than 10 inbound messages per second closes
 * the socket (code 1008), also like Binance. Trades come from {@link TradeSimulator}. Every handshake
 * response carries {@link SIMULATED_HEADER}`: 1`, so an ingestion given this feed's URL as a custom source
 * still labels its data SIMULATED.
 *
 * History: with `historyMs > 0` the server simulates that much past at start. Every new subscription
 * first receives a burst of all retained trades (with their historical trade times `T`), then live
 * trades; the client stores them with their original times and drops re-sent ids after a reconnect. This
 * replay is a demo-only extension (Binance does not replay).
 *
 * Unknown symbols: a subscription to a symbol not in `symbols` is accepted and silently never delivered, as
 * Binance does for an unlisted symbol; it costs no memory (simulators exist only for `symbols`).
 *
 * Resource hygiene: the listening socket, accepted sockets and the generation timer are unref'd, so a
 * forgotten demo feed never keeps Node alive by itself; `close()` releases everything.
 *
 * @throws RangeError/TypeError (E_PARAM) for invalid options; rejects with SourceError (E_SOURCE) when it cannot listen.
 * @example
 * const feed = await serveDemoExchange({ seed: 42, rate: 20, historyMs: 10 * 60_000 });
 * const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: feed.url });
 * // … later
 * await ing.stop(); await feed.close();
 */
export async function serveDemoExchange(options: DemoFeedOptions = {}): Promise<DemoFeed> {
  const { symbols, seed, rate, historyMs, port, spentEvery, tickMs, maxRetained, silence } = normalizeDemoOptions(options);
  const start = Date.now();
  const tapes = new Map<string, Tape>();
  const sims: { sim: TradeSimulator; tapes: Tape[] }[] = [];

  const addSimulator = (syms: string[], pair: boolean, simSeed: number, from: number): void => {
    const sim = new TradeSimulator({ symbols: syms, seed: simSeed, rate, startTime: from, pair, idBase: demoTradeIdBase(from) });
    const ts = syms.map((s, i) => {
      const tape = new Tape(s, s.toUpperCase(), sim.decimals(i), maxRetained);
      // Session-unique ids (from the tape's start): two demo sessions recorded into one archive do not collide.
      tape.idBase = sim.idBase;
      tape.lastTradeId = sim.idBase;
      tape.aggTotal = sim.idBase;
      tapes.set(s, tape);
      return tape;
    });
    sims.push({ sim, tapes: ts });
    sim.advanceTo(Date.now(), sinkFor(ts));
  };
  // The simulator's contiguous per-symbol ids are re-numbered here so that spent ids can be interleaved.
  const sinkFor = (ts: Tape[]) => (i: number, _simId: number, time: number, price: number, qty: number, maker: boolean) => {
    const tape = ts[i];
    let tradeId = ++tape.lastTradeId;
    if (spentEvery > 0 && tradeId % spentEvery === 0) tradeId = ++tape.lastTradeId; // leave a spent id in the sequence
    const k = tape.total % tape.capacity;
    tape.ids[k] = tradeId;
    tape.time[k] = time;
    tape.price[k] = price;
    tape.qty[k] = qty;
    tape.maker[k] = maker ? 1 : 0;
    tape.aggIds[k] = ++tape.aggTotal;
    tape.total++;
  };
  addSimulator(symbols.slice(0, 2), true, seed, start - historyMs);
  for (const s of symbols.slice(2)) addSimulator([s], false, (seed ^ hashString(s)) >>> 0, start - historyMs);

  const clients = new Set<Client>();
  const sockets = new Set<Socket>();
  // REST from the same seeded tape (history's handler, through the restModule seam): its simulators start at the
  // same instant with the same seeds, so its trades are the WebSocket's (not with spent ids, which renumber them).
  type RestHandler = (req: IncomingMessage, res: import("node:http").ServerResponse) => boolean;
  const rest: RestHandler | undefined =
    options.restModule && spentEvery === 0
      ? (require(options.restModule) as { createDemoExchangeRest(o: { symbols: string[]; seed: number; rate: number; startTime: number }): RestHandler }).createDemoExchangeRest({ symbols, seed, rate, startTime: start - historyMs })
      : undefined;
  const server: Server = createServer((_req, res) => {
    if (rest !== undefined && rest(_req, res)) return;
    res.writeHead(426, { "content-type": "text/plain" }).end("pairlab demo exchange: WebSocket only\n");
  });
  // Listen before anything else exists: a taken port rejects here with nothing to clean up (no timer, no
  // WebSocketServer re-emitting the server's 'error' as an unhandled event).
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      server.close();
      reject(new SourceError(`ws://127.0.0.1:${port}`, `Demo exchange cannot listen on 127.0.0.1:${port}: ${error.message}`));
    };
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.unref();
  server.on("error", () => undefined); // after listening, a server error only affects one connection
  server.on("connection", (socket: Socket) => {
    socket.unref();
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on("error", () => undefined); // ws re-emits the http server's errors; none may go unhandled
  // Tells any client (also one given only our URL as a custom source) that the data are simulated.
  wss.on("headers", (headers: string[]) => headers.push(`${SIMULATED_HEADER}: 1`));

  const subscribe = (c: Client, name: string): void => {
    const at = name.indexOf("@");
    if (at <= 0) return;
    const stream = name.slice(at + 1);
    if (stream !== "trade" && stream !== "aggTrade" && stream !== "bookTicker") return; // other streams: accepted, never delivered
    let symbol: string;
    try {
      symbol = normalizeSymbols([name.slice(0, at)])[0];
    } catch {
      return;
    }
    if (c.subs.has(name)) return;
    // An unknown symbol is refused silently, as Binance does for a symbol it does not list: no reply
    // beyond the usual one, no trades, no memory (the simulators exist only for the configured symbols).
    const tape = tapes.get(symbol);
    if (tape === undefined) return;
    if (stream === "bookTicker") {
      const quotes = quoteTapeOf(tape);
      c.subs.set(name, { tape, stream: "trade", name, cursor: quotes.first, quotes });
      return;
    }
    c.subs.set(name, { tape, stream, name, cursor: tape.first });
  };

  // Book tickers (bookTicker on /public, like Binance), derived from the trade tapes on first subscription.
  const quoteTapes = new Map<string, QuoteTape>();
  const quoteTapeOf = (tape: Tape): QuoteTape => {
    let q = quoteTapes.get(tape.symbol);
    if (q === undefined) {
      q = new QuoteTape(tape, seed);
      q.catchUp();
      quoteTapes.set(tape.symbol, q);
    }
    return q;
  };
  const pumpQuotes = (c: Client, sub: Subscription, q: QuoteTape, budget: number): number => {
    if (sub.cursor < q.first) sub.cursor = q.first;
    if (!c.deliver || c.route !== "public") {
      sub.cursor = q.total;
      return budget;
    }
    while (sub.cursor < q.total && budget > 0) {
      c.ws.send(q.frame(sub.cursor, c.combined));
      sub.cursor++;
      budget--;
    }
    return budget;
  };

  const routeDelivers = (route: string, stream: TradeStream): boolean =>
    !silence.has(stream) && ((stream === "trade" && route === "public") || (stream === "aggTrade" && route === "market"));

  const pump = (c: Client): void => {
    if (c.pumping || c.ws.readyState !== WebSocket.OPEN) return;
    let budget = 4096;
    for (const sub of c.subs.values()) {
      if (sub.quotes !== undefined) {
        budget = pumpQuotes(c, sub, sub.quotes, budget);
        continue;
      }
      const tape = sub.tape;
      if (sub.cursor < tape.first) sub.cursor = tape.first;
      if (!c.deliver || !routeDelivers(c.route, sub.stream)) {
        sub.cursor = tape.total;
        continue;
      }
      while (sub.cursor < tape.total && budget > 0) {
        const k = sub.cursor % tape.capacity;
        if (sub.stream === "trade" && spentEvery > 0) {
          const prev = sub.cursor === 0 ? tape.idBase : sub.cursor === tape.first ? tape.ids[k] : tape.ids[(sub.cursor - 1) % tape.capacity];
          for (let id = prev + 1; id < tape.ids[k]; id++) c.ws.send(encodeTapeFrame(tape, k, "trade", c.combined, id));
        }
        c.ws.send(encodeTapeFrame(tape, k, sub.stream, c.combined, -1));
        sub.cursor++;
        budget--;
      }
    }
    if (budget === 0) {
      c.pumping = true;
      const resume = (): void => {
        c.pumping = false;
        pump(c);
      };
      if (c.ws.bufferedAmount > 8 << 20) setTimeout(resume, 5).unref();
      else setImmediate(resume);
    }
  };

  wss.on("connection", (ws: WebSocket, req: IncomingMessage) => {
    const url = new URL(req.url ?? "/", "ws://127.0.0.1");
    const parts = url.pathname.split("/").filter((p) => p.length > 0);
    const route = parts[0] === "public" || parts[0] === "market" ? parts[0] : "";
    const rest = route ? parts.slice(1) : parts;
    const c: Client = { ws, combined: false, deliver: route !== "", route, subs: new Map(), inbound: [], pumping: false };
    if (rest[0] === "stream") {
      c.combined = true;
      for (const name of (url.searchParams.get("streams") ?? "").split("/")) if (name) subscribe(c, name);
    } else if (rest[0] === "ws") {
      for (const name of rest.slice(1)) subscribe(c, decodeURIComponent(name));
    }
    clients.add(c);
    ws.on("error", () => undefined);
    ws.on("close", () => clients.delete(c));
    ws.on("message", (data: Buffer) => {
      const now = Date.now();
      c.inbound.push(now);
      while (c.inbound.length > 0 && now - c.inbound[0] >= 1000) c.inbound.shift();
      if (c.inbound.length > 10) {
        ws.close(1008, "Too many requests");
        return;
      }
      let msg: { method?: unknown; params?: unknown; id?: unknown };
      try {
        msg = JSON.parse(data.toString("utf8")) as typeof msg;
      } catch {
        ws.send(JSON.stringify({ error: { code: 3, msg: "Invalid JSON" }, id: null }));
        return;
      }
      const id = typeof msg.id === "number" || typeof msg.id === "string" ? msg.id : null;
      const params = Array.isArray(msg.params) ? msg.params.filter((p): p is string => typeof p === "string") : [];
      if (msg.method === "SUBSCRIBE") {
        for (const p of params) subscribe(c, p);
        ws.send(JSON.stringify({ result: null, id }));
        pump(c);
      } else if (msg.method === "UNSUBSCRIBE") {
        for (const p of params) c.subs.delete(p);
        ws.send(JSON.stringify({ result: null, id }));
      } else if (msg.method === "LIST_SUBSCRIPTIONS") {
        ws.send(JSON.stringify({ result: [...c.subs.keys()], id }));
      } else {
        ws.send(JSON.stringify({ error: { code: 2, msg: "Invalid request" }, id }));
      }
    });
    pump(c);
  });

  const timer = setInterval(() => {
    const now = Date.now();
    for (const s of sims) s.sim.advanceTo(now, sinkFor(s.tapes));
    for (const q of quoteTapes.values()) q.catchUp();
    for (const c of clients) pump(c);
  }, tickMs);
  timer.unref();

  const actualPort = (server.address() as { port: number }).port;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    if (closing) return closing;
    clearInterval(timer);
    closing = new Promise<void>((resolve) => {
      for (const c of clients) c.ws.terminate();
      clients.clear();
      wss.close(() => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
    });
    return closing;
  };

  return {
    url: `ws://127.0.0.1:${actualPort}`,
    port: actualPort,
    close,
    connections: () => clients.size,
    killConnections: () => {
      const n = clients.size;
      for (const c of clients) c.ws.terminate();
      return n;
    },
    symbols: () => [...tapes.keys()],
    generated: (symbol: string) => tapes.get(symbol.toLowerCase())?.total ?? 0,
    [Symbol.asyncDispose]: close,
  };
}
