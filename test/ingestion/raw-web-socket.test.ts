import { createHash } from "node:crypto";
import { Agent, createServer, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { RawWebSocket } from "../../src/ingestion/raw-web-socket";
import { until } from "./helpers";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface WsPeer {
  ws: WebSocket;
  headers: IncomingMessage["headers"];
  pings: number;
  pongs: number;
  closeCode: number;
}

/** A `ws` server on 127.0.0.1:0 recording each peer's handshake headers, pings, pongs and close code. */
async function wsServer(): Promise<{ url: string; peers: WsPeer[] }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((r) => wss.once("listening", () => r()));
  const peers: WsPeer[] = [];
  wss.on("connection", (ws, req) => {
    const p: WsPeer = { ws, headers: req.headers, pings: 0, pongs: 0, closeCode: 0 };
    ws.on("ping", () => p.pings++);
    ws.on("pong", () => p.pongs++);
    ws.on("close", (code) => (p.closeCode = code));
    ws.on("error", () => undefined);
    peers.push(p);
  });
  cleanups.push(() => new Promise<void>((r) => {
    for (const p of peers) p.ws.terminate();
    wss.close(() => r());
  }));
  return { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`, peers };
}

/** An HTTP server whose upgrade handler the test scripts (raw socket access for wrong handshakes and bad frames). */
async function rawServer(onUpgrade: (req: IncomingMessage, socket: Socket) => void, onRequest?: (res: import("node:http").ServerResponse) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => (onRequest ? onRequest(res) : res.writeHead(426).end()));
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("upgrade", (req: IncomingMessage, socket: Socket) => {
    socket.on("error", () => undefined);
    onUpgrade(req, socket);
    socket.resume(); // read (and see the end of) what the client sends
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  cleanups.push(() => new Promise<void>((r) => {
    for (const s of sockets) s.destroy();
    server.close(() => r());
  }));
  return `ws://127.0.0.1:${(server.address() as { port: number }).port}`;
}

function accept(req: IncomingMessage): string {
  return createHash("sha1").update(`${req.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
}

function client(url: string, options: ConstructorParameters<typeof RawWebSocket>[1] = {}): { ws: RawWebSocket; events: string[]; closed: Promise<number> } {
  const ws = new RawWebSocket(url, options);
  const events: string[] = [];
  ws.on("open", () => events.push("open"));
  ws.on("message", (d: Buffer, binary: boolean) => events.push(binary ? "binary" : `text:${String(d)}`));
  ws.on("ping", () => events.push("ping"));
  ws.on("pong", () => events.push("pong"));
  ws.on("error", (e: Error) => events.push(`error:${e.message}`));
  const closed = new Promise<number>((r) => ws.on("close", (code: number) => r(code)));
  cleanups.push(() => ws.terminate());
  return { ws, events, closed };
}

describe("RawWebSocket", () => {
  it("new RawWebSocket(url) completes the handshake with a ws server without offering permessage-deflate; text goes to asciiText in place or to 'message'", async () => {
    const server = await wsServer();
    const fast: string[] = [];
    const c = client(`${server.url}/public/stream?streams=btcusdt@trade`, {
      asciiText: (b, s, e) => {
        const t = b.toString("latin1", s, e);
        if (!t.startsWith("{")) return false;
        fast.push(t);
        return true;
      },
    });
    await until(() => c.events.includes("open") && server.peers.length === 1, "open");
    const peer = server.peers[0];
    expect(peer.headers["sec-websocket-extensions"]).toBeUndefined();
    expect(peer.headers["sec-websocket-version"]).toBe("13");
    peer.ws.send('{"e":"trade"}');
    peer.ws.send("héllo");
    peer.ws.send(Buffer.from([1, 2]), { binary: true });
    peer.ws.send("x".repeat(70_000)); // 64-bit length, split over several socket chunks
    await until(() => c.events.length >= 4, "messages");
    expect(fast).toEqual(['{"e":"trade"}']);
    expect(c.events.slice(0, 3)).toEqual(["open", "text:héllo", "binary"]);
    expect(c.events[3]).toBe(`text:${"x".repeat(70_000)}`);
  });

  it("a server ping is answered with a (masked) pong; ping() reaches the server; the ws server accepts every client frame", async () => {
    const server = await wsServer();
    const c = client(server.url);
    await until(() => server.peers.length === 1 && c.events.includes("open"), "open");
    server.peers[0].ws.ping();
    c.ws.ping();
    await until(() => server.peers[0].pongs === 1 && server.peers[0].pings === 1 && c.events.includes("ping"), "ping/pong");
    // A ws server fails a connection on an unmasked client frame (1002): it is still open.
    expect(server.peers[0].ws.readyState).toBe(WebSocket.OPEN);
  });

  it("close(1000) runs the closing handshake: the server sees 1000, the client's 'close' reports the server's echo", async () => {
    const server = await wsServer();
    const c = client(server.url);
    await until(() => server.peers.length === 1 && c.events.includes("open"), "open");
    c.ws.close(1000, "pairlab stop");
    expect(await c.closed).toBe(1000);
    await until(() => server.peers[0].closeCode === 1000, "server close");
    expect(c.ws.readyState).toBe(RawWebSocket.CLOSED);
  });

  it("a server-initiated close(4001) is echoed and reported with its code", async () => {
    const server = await wsServer();
    const c = client(server.url);
    await until(() => server.peers.length === 1 && c.events.includes("open"), "open");
    server.peers[0].ws.close(4001, "bye");
    expect(await c.closed).toBe(4001);
    await until(() => server.peers[0].closeCode === 4001, "server close");
  });

  it("terminate() closes at once with 1006", async () => {
    const server = await wsServer();
    const c = client(server.url);
    await until(() => c.events.includes("open"), "open");
    c.ws.terminate();
    expect(await c.closed).toBe(1006);
  });

  it("invalid UTF-8 in a text message fails the connection with 1007 (as ws does): 'error', close frame 1007 to the server", async () => {
    let serverSaw = Buffer.alloc(0);
    const url = await rawServer((req, socket) => {
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(req)}\r\n\r\n`);
      socket.write(Buffer.from([0x81, 0x02, 0xc3, 0x28]));
      socket.on("data", (d: Buffer) => (serverSaw = Buffer.concat([serverSaw, d])));
      socket.on("end", () => socket.end());
    });
    const c = client(url);
    expect(await c.closed).toBe(1007);
    expect(c.events).toEqual(["open", "error:Invalid WebSocket frame: text message is not valid UTF-8"]);
    // One masked close frame carrying 1007: 0x88, mask bit + length 2, 4-byte key, masked code.
    expect(serverSaw[0]).toBe(0x88);
    expect(serverSaw[1]).toBe(0x82);
    const key = serverSaw.subarray(2, 6);
    expect(((serverSaw[6] ^ key[0]) << 8) | (serverSaw[7] ^ key[1])).toBe(1007);
  });

  it("a masked or reserved-bit server frame fails the connection with 1002", async () => {
    for (const bad of [Buffer.from([0x81, 0x81, 0, 0, 0, 0, 0x61]), Buffer.from([0xc1, 0x01, 0x61])]) {
      const url = await rawServer((req, socket) => {
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(req)}\r\n\r\n`);
        socket.write(bad);
        socket.on("end", () => socket.end());
      });
      const c = client(url);
      expect(await c.closed).toBe(1002);
      expect(c.events[1]).toMatch(/^error:Invalid WebSocket frame: (a server frame must not be masked|reserved bits)/);
    }
  });

  it("frames in the same TCP packet as the 101 response (the upgrade 'head') are read", async () => {
    const url = await rawServer((req, socket) => {
      socket.write(
        Buffer.concat([
          Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(req)}\r\n\r\n`),
          Buffer.from([0x81, 0x02, 0x68, 0x69]),
        ]),
      );
    });
    const c = client(url);
    await until(() => c.events.length >= 2, "message");
    expect(c.events).toEqual(["open", "text:hi"]);
  });

  it("new RawWebSocket(url, { agent }) (Node's own socket reads, not the reused read buffer) reads the head, the fast path, messages split over reads and pings the same way", async () => {
    const agent = new Agent();
    cleanups.push(() => agent.destroy());
    const url = await rawServer((req, socket) => {
      socket.write(
        Buffer.concat([
          Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(req)}\r\n\r\n`),
          Buffer.from([0x81, 0x02, 0x68, 0x69]),
        ]),
      );
      const big = Buffer.alloc(70_000, 0x78);
      const head = Buffer.alloc(10);
      head[0] = 0x81;
      head[1] = 127;
      head.writeUInt32BE(0, 2);
      head.writeUInt32BE(big.length, 6);
      setTimeout(() => socket.write(Buffer.concat([Buffer.from([0x81, 0x0d]), Buffer.from('{"e":"trade"}'), Buffer.from([0x89, 0x00]), head, big])), 20);
    });
    const fast: string[] = [];
    const c = client(url, {
      agent,
      asciiText: (b, st, e) => {
        const t = b.toString("latin1", st, e);
        if (!t.startsWith("{")) return false;
        fast.push(t);
        return true;
      },
    });
    await until(() => c.events.length >= 4, "messages");
    expect(c.events).toEqual(["open", "text:hi", "ping", `text:${"x".repeat(70_000)}`]);
    expect(fast).toEqual(['{"e":"trade"}']);
  });

  it("a wrong Sec-WebSocket-Accept, a non-101 response and a silent server fail the handshake with ws's messages", async () => {
    const wrong = await rawServer((_req, socket) => {
      socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAA\r\n\r\n");
    });
    const a = client(wrong);
    expect(await a.closed).toBe(1006);
    expect(a.events).toEqual(["error:Invalid Sec-WebSocket-Accept header"]);

    const refused = await rawServer(
      (_req, socket) => socket.end("HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\n\r\n"),
    );
    const b = client(refused);
    expect(await b.closed).toBe(1006);
    expect(b.events).toEqual(["error:Unexpected server response: 426"]);

    const silent = await rawServer(() => undefined);
    const d = client(silent, { handshakeTimeout: 200 });
    expect(await d.closed).toBe(1006);
    expect(d.events).toEqual(["error:Opening handshake has timed out"]);
  });

  it("a refused TCP connection reports the system error (ECONNREFUSED) and closes with 1006", async () => {
    const url = await rawServer(() => undefined);
    const port = Number(new URL(url).port);
    for (const c of cleanups.splice(0).reverse()) await c(); // the server is gone: the port refuses
    const c = client(`ws://127.0.0.1:${port}`);
    expect(await c.closed).toBe(1006);
    expect(c.events[0]).toMatch(/ECONNREFUSED/);
  });

  it("new RawWebSocket('http://…') throws SyntaxError naming the URL", () => {
    expect(() => new RawWebSocket("http://127.0.0.1:1")).toThrow(/ws:\/\/ or wss:\/\/, got "http:\/\/127.0.0.1:1"/);
  });
});
