import { createHook } from "node:async_hooks";
import { createServer, type Server } from "node:net";
import WebSocket, { WebSocketServer } from "ws";

/** A connection accepted by a {@link ScriptedServer}. */
export interface ScriptedConnection {
  ws: WebSocket;
  /** Request path incl. query, e.g. "/public/stream?streams=btcusdt@trade". */
  path: string;
  pings: number;
}

/** A bare `ws` server on 127.0.0.1:0 whose behaviour each test scripts by hand. */
export interface ScriptedServer {
  url: string;
  port: number;
  connections: ScriptedConnection[];
  /** Resolves with the n-th (0-based) connection once it exists. */
  connection(n: number, timeoutMs?: number): Promise<ScriptedConnection>;
  close(): Promise<void>;
}

export async function startScriptedServer(options: { autoPong?: boolean } = {}): Promise<ScriptedServer> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, autoPong: options.autoPong ?? true });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const port = (wss.address() as { port: number }).port;
  const connections: ScriptedConnection[] = [];
  const waiters: (() => void)[] = [];
  wss.on("connection", (ws, req) => {
    const c: ScriptedConnection = { ws, path: req.url ?? "/", pings: 0 };
    ws.on("ping", () => c.pings++);
    ws.on("error", () => undefined);
    connections.push(c);
    for (const w of waiters.splice(0)) w();
  });
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    connections,
    async connection(n, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (connections.length <= n) {
        if (Date.now() > deadline) throw new Error(`no connection #${n} within ${timeoutMs} ms (have ${connections.length})`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return connections[n];
    },
    close() {
      for (const c of connections) c.ws.terminate();
      return new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 with nothing listening (bound then released). */
export async function closedPort(): Promise<number> {
  const srv: Server = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", () => resolve()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** Polls `predicate` every 10 ms until true; throws after `timeoutMs` with `what`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lets pending I/O callbacks run. */
export function settle(ms = 20): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Handles and resources alive now: ref'd resources and all libuv handles (ref'd or not). */
export function handleSnapshot(): { resources: string[]; handles: number } {
  const p = process as unknown as { _getActiveHandles(): unknown[] };
  return { resources: process.getActiveResourcesInfo().filter((r) => r !== "Timeout").sort(), handles: p._getActiveHandles().length };
}

/**
 * Waits (≤ 2 s) until no resource type and no handle count exceeds `baseline`; returns what still exceeds
 * it (e.g. ["TCPSocketWrap", "handles +1"]), [] when nothing leaked.
 */
export async function leaksSince(baseline: { resources: string[]; handles: number }): Promise<string[]> {
  const extra = (): string[] => {
    const snap = handleSnapshot();
    const left = [...baseline.resources];
    const out: string[] = [];
    for (const r of snap.resources) {
      const i = left.indexOf(r);
      if (i >= 0) left.splice(i, 1);
      else out.push(r);
    }
    if (snap.handles > baseline.handles) out.push(`handles +${snap.handles - baseline.handles}`);
    return out;
  };
  const deadline = Date.now() + 2000;
  let e = extra();
  while (e.length > 0 && Date.now() < deadline) {
    await settle(20);
    e = extra();
  }
  return e;
}

/** A Binance futures `@trade` payload, wrapped for a combined stream unless `raw`. */
export function tradeFrame(symbol: string, id: number, price: number, qty: number, time = 1_700_000_000_000 + id, raw = false): string {
  const body = `{"e":"trade","E":${time},"T":${time},"s":"${symbol.toUpperCase()}","t":${id},"p":"${price}","q":"${qty}","X":"MARKET","m":false}`;
  return raw ? body : `{"stream":"${symbol}@trade","data":${body}}`;
}

/** A Binance futures `@aggTrade` payload, wrapped for a combined stream. */
export function aggTradeFrame(symbol: string, a: number, f: number, l: number, price: number, qty: number, time = 1_700_000_000_000 + a): string {
  return `{"stream":"${symbol}@aggTrade","data":{"e":"aggTrade","E":${time},"a":${a},"s":"${symbol.toUpperCase()}","p":"${price}","q":"${qty}","f":${f},"l":${l},"T":${time},"m":true}}`;
}

/**
 * wtfnode-style resource tracker built on async_hooks: records every TCP socket, TCP server and timer
 * created after `trackResources()` and forgets it when destroyed — ref'd or unref'd alike (Node's
 * `getActiveResourcesInfo()` / `_getActiveHandles()` do not list unref'd handles).
 */
export function trackResources(types: readonly string[] = ["TCPWRAP", "TCPSERVERWRAP", "Timeout"]): {
  live(): string[];
  /** Waits (≤ 2 s) until nothing tracked is alive; returns what is still alive, then stops tracking. */
  settled(): Promise<string[]>;
} {
  const alive = new Map<number, string>();
  let ignoring = false;
  const hook = createHook({
    init(id, type) {
      if (!ignoring && types.includes(type)) alive.set(id, type);
    },
    destroy(id) {
      alive.delete(id);
    },
  }).enable();
  const live = (): string[] => [...alive.values()].sort();
  return {
    live,
    async settled() {
      const deadline = Date.now() + 2000;
      while (live().length > 0 && Date.now() < deadline) {
        ignoring = true; // the polling timer itself is not a leak
        const wait = settle(20);
        ignoring = false;
        await wait;
      }
      hook.disable();
      return live();
    },
  };
}
