import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Backoff } from "../../src/ingestion/backoff";
import { createManualClock } from "../../src/ingestion/clock";
import { StreamConnection, type ConnectionState } from "../../src/ingestion/stream-connection";
import { leaksSince, closedPort, handleSnapshot, settle, startScriptedServer, trackResources, until, type ScriptedServer } from "./helpers";

let server: ScriptedServer | undefined;
let conn: StreamConnection | undefined;
afterEach(async () => {
  await conn?.stop();
  await server?.close();
  conn = server = undefined;
});

describe("StreamConnection", () => {
  it("backs off 75, 150, 300, 600, 750, 750 ms (manual clock, random 0.5) against a refused port and never retries early", async () => {
    const port = await closedPort();
    const clock = createManualClock(0);
    const states: ConnectionState[] = [];
    const details: string[] = [];
    let attempts = 0;
    conn = new StreamConnection({
      url: `ws://127.0.0.1:${port}/public/stream?streams=btcusdt@trade`,
      clock,
      backoff: new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.5 }),
      onMessage: () => undefined,
      onState: (s, d) => {
        states.push(s);
        details.push(d);
      },
      createSocket: (url, t) => {
        attempts++;
        return new WebSocket(url, { handshakeTimeout: t });
      },
    });
    conn.start();
    const expected = [75, 150, 300, 600, 750, 750];
    for (let k = 0; k < expected.length; k++) {
      await until(() => conn!.state === "backoff" && attempts === k + 1, `backoff #${k}`);
      expect(clock.scheduled.at(-1)).toBe(expected[k]);
      clock.advance(expected[k] - 1);
      await settle(5);
      expect(attempts).toBe(k + 1); // not yet
      clock.advance(1);
    }
    expect(conn.reconnects).toBeGreaterThanOrEqual(6);
    expect(details.filter((d) => /ECONNREFUSED/.test(d) && /retry in/.test(d)).length).toBeGreaterThanOrEqual(6);
    expect(states.filter((s) => s === "connecting").length).toBeGreaterThanOrEqual(6);
  });

  it("reconnects after the server kills the socket and resets the backoff after a stable connection", async () => {
    server = await startScriptedServer();
    const clock = createManualClock(0);
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
    let opens = 0;
    conn = new StreamConnection({ url: `${server.url}/public/stream?streams=btcusdt@trade`, clock, backoff, stableMs: 5000, onMessage: () => undefined, onOpen: () => opens++ });
    conn.start();
    const first = await server.connection(0);
    await until(() => opens === 1, "first open");
    clock.advance(6000); // stable
    first.ws.terminate();
    await until(() => conn!.state === "backoff", "backoff after kill");
    expect(clock.scheduled.at(-1)).toBe(50); // reset: first step of the schedule
    clock.advance(50);
    await server.connection(1);
    await until(() => opens === 2, "second open");
    expect(conn.state).toBe("open");
  });

  it("pings an idle socket and terminates it when no pong comes (dead-socket watchdog)", async () => {
    server = await startScriptedServer({ autoPong: false });
    const clock = createManualClock(0);
    conn = new StreamConnection({
      url: `${server.url}/market/stream?streams=btcusdt@aggTrade`,
      clock,
      backoff: new Backoff({ initialMs: 100, random: () => 0 }),
      idleMs: 1000,
      pongTimeoutMs: 500,
      onMessage: () => undefined,
    });
    conn.start();
    const c = await server.connection(0);
    await until(() => conn!.state === "open", "open");
    clock.advance(1000);
    await until(() => c.pings === 1, "our ping reached the server");
    clock.advance(600);
    await until(() => conn!.state === "backoff", "terminated dead socket");
    expect(conn.lastError).toMatch(/dead socket/);
  });

  it("the pong deadline runs from the ping's send time: a ping sent late (checks delayed by a blocked loop) still gets its full pongTimeoutMs", async () => {
    server = await startScriptedServer({ autoPong: false });
    // A clock whose time can jump without firing timers: what a blocked event loop looks like to the timers.
    const base = createManualClock(0);
    let offset = 0;
    const clock = { now: () => base.now() + offset, setTimeout: base.setTimeout, clearTimeout: base.clearTimeout };
    conn = new StreamConnection({ url: `${server.url}/public/ws/btcusdt@trade`, clock, backoff: new Backoff({ initialMs: 100, random: () => 0 }), idleMs: 1000, pongTimeoutMs: 500, onMessage: () => undefined });
    conn.start();
    const c = await server.connection(0);
    await until(() => conn!.state === "open", "open");
    offset = 5_000; // the loop was blocked for 5 s: the next check runs late, sees 5 s of silence and pings
    base.advance(250);
    await until(() => c.pings === 1, "our ping reached the server");
    base.advance(250); // 250 ms after the ping: the old rule (silence ≥ idleMs + pongTimeoutMs) killed the socket here
    await settle(50);
    expect(conn.state).toBe("open");
    base.advance(250); // 500 ms after the ping, no pong: overdue; the verdict comes one I/O pass later
    expect(conn.state).toBe("open");
    base.advance(10);
    await until(() => conn!.state === "backoff", "terminated dead socket");
    expect(conn.lastError).toMatch(/no pong within 500 ms of our ping/);
  });

  it("an idle socket that answers pings stays open", async () => {
    server = await startScriptedServer({ autoPong: true });
    const clock = createManualClock(0);
    conn = new StreamConnection({ url: `${server.url}/public/ws/btcusdt@trade`, clock, backoff: new Backoff(), idleMs: 1000, pongTimeoutMs: 500, onMessage: () => undefined });
    conn.start();
    const c = await server.connection(0);
    await until(() => conn!.state === "open", "open");
    for (let k = 0; k < 5; k++) {
      clock.advance(1000);
      await settle(20);
    }
    expect(c.pings).toBeGreaterThanOrEqual(2);
    expect(conn.state).toBe("open");
  });

  it("reconnects proactively before maxAgeMs with overlap: new socket opens, then the old one closes", async () => {
    server = await startScriptedServer();
    const clock = createManualClock(0);
    const got: string[] = [];
    conn = new StreamConnection({ url: `${server.url}/public/stream?streams=btcusdt@trade`, clock, backoff: new Backoff(), maxAgeMs: 10_000, onMessage: (d) => got.push(String(d)) });
    conn.start();
    const a = await server.connection(0);
    await until(() => conn!.state === "open", "open");
    clock.advance(10_000);
    const b = await server.connection(1);
    await until(() => a.ws.readyState === WebSocket.CLOSED, "old socket closed");
    b.ws.send("hello");
    await until(() => got.includes("hello"), "message on the new socket");
    expect(conn.state).toBe("open");
    expect(conn.reconnects).toBe(0);
  });

  it("during a proactive reconnect, frames of the new socket are delivered only after the old socket's last frame (no loss by id dedup)", async () => {
    /** A scripted stand-in for a ws socket: the test emits its events in a chosen order. */
    class FakeSocket extends EventEmitter {
      readyState: number = WebSocket.CONNECTING;
      closeCalls = 0;
      open(): void {
        this.readyState = WebSocket.OPEN;
        this.emit("open");
      }
      frame(text: string): void {
        this.emit("message", Buffer.from(text), false);
      }
      close(): void {
        this.closeCalls++;
        this.readyState = WebSocket.CLOSING;
      }
      closed(): void {
        this.readyState = WebSocket.CLOSED;
        this.emit("close", 1000);
      }
      terminate(): void {
        this.closed();
      }
      ping(): void {}
    }
    const sockets: FakeSocket[] = [];
    const clock = createManualClock(0);
    const got: string[] = [];
    conn = new StreamConnection({
      url: "ws://127.0.0.1:1/public/stream?streams=btcusdt@trade",
      clock,
      backoff: new Backoff(),
      maxAgeMs: 10_000,
      onMessage: (d) => got.push(String(d)),
      createSocket: () => {
        const f = new FakeSocket();
        sockets.push(f);
        return f as unknown as WebSocket;
      },
    });
    conn.start();
    sockets[0].open();
    sockets[0].frame("old 1");
    clock.advance(10_000);
    sockets[1].open(); // the replacement opens; the old socket is asked to close
    expect(sockets[0].closeCalls).toBe(1);
    sockets[1].frame("new 3"); // the new socket is ahead …
    sockets[0].frame("old 2"); // … of frames the old one still delivers before its close completes
    sockets[0].closed();
    await settle(10);
    sockets[1].frame("new 4");
    expect(got).toEqual(["old 1", "old 2", "new 3", "new 4"]);
    const stopping = conn.stop();
    sockets[1].closed();
    await stopping;
  });

  it("stop() during a proactive reconnect also closes the replacement socket (nothing delivered after stop)", async () => {
    server = await startScriptedServer();
    const clock = createManualClock(0);
    const got: string[] = [];
    conn = new StreamConnection({ url: `${server.url}/public/stream?streams=btcusdt@trade`, clock, backoff: new Backoff(), maxAgeMs: 10_000, onMessage: (d) => got.push(String(d)) });
    conn.start();
    await server.connection(0);
    await until(() => conn!.state === "open", "open");
    clock.advance(10_000); // the replacement's handshake is now in flight
    await conn.stop();
    await settle(200); // the handshake, if it was not aborted, completes meanwhile
    for (const c of server.connections) if (c.ws.readyState === WebSocket.OPEN) c.ws.send("after stop");
    await settle(100);
    expect(got).toEqual([]);
    expect(server.connections.filter((c) => c.ws.readyState !== WebSocket.CLOSED).length).toBe(0);
    expect(conn.state).toBe("stopped");
  });

  it("stop() during backoff clears the retry timer and leaves no handles", async () => {
    const port = await closedPort();
    const baseline = handleSnapshot();
    const clock = createManualClock(0);
    conn = new StreamConnection({ url: `ws://127.0.0.1:${port}/public/ws/x1@trade`, clock, backoff: new Backoff(), onMessage: () => undefined });
    conn.start();
    await until(() => conn!.state === "backoff", "backoff");
    expect(clock.pending()).toBe(1);
    await conn.stop();
    expect(clock.pending()).toBe(0);
    expect(conn.state).toBe("stopped");
    clock.advance(60_000);
    await settle(20);
    expect(conn.state).toBe("stopped");
    expect(await leaksSince(baseline)).toEqual([]);
  });

  it("stop() while open closes the socket gracefully and leaves no socket or timer alive (async_hooks tracker)", async () => {
    server = await startScriptedServer();
    const tracker = trackResources();
    conn = new StreamConnection({ url: `${server.url}/public/ws/btcusdt@trade`, clock: createManualClock(0), backoff: new Backoff(), onMessage: () => undefined, ref: false });
    conn.start();
    const c = await server.connection(0);
    await until(() => conn!.state === "open", "open");
    const closed = new Promise<number>((resolve) => c.ws.once("close", (code) => resolve(code)));
    await conn.stop();
    expect(await closed).toBe(1000);
    expect(conn.state).toBe("stopped");
    expect(await tracker.settled()).toEqual([]);
  });
});
