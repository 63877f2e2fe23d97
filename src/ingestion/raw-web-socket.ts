import { EventEmitter } from "node:events";
import { createHash, randomBytes, randomFillSync } from "node:crypto";
import { request as httpRequest, type Agent, type ClientRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { createConnection, type Socket } from "node:net";
import { FrameReader, type FrameSink } from "./frame-reader";

/** Options of {@link RawWebSocket}. */
export interface RawWebSocketOptions {
  /** The opening handshake (TCP + HTTP Upgrade) must complete within this many ms (default 10,000). */
  handshakeTimeout?: number;
  /** Largest message accepted, bytes (default 1 MiB); a larger one fails the connection with close 1009. */
  maxPayload?: number;
  /** HTTP(S) agent for the handshake (e.g. a proxy agent). */
  agent?: Agent;
  /** False: the TCP socket never keeps the process alive (unref'd from the moment it exists). Default true. */
  ref?: boolean;
  /** Fast path for text messages on the raw bytes (see {@link FrameSink.asciiText}). */
  asciiText?(bytes: Buffer, start: number, end: number): boolean;
}

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** A client-to-server frame (FIN set), masked with a fresh random key as RFC 6455 requires. Payload ≤ 125 bytes. */
function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  if (n > 125) throw new RangeError(`pairlab: client control/text frame payload must be ≤ 125 bytes, got ${n}`);
  const out = Buffer.allocUnsafe(6 + n);
  out[0] = 0x80 | opcode;
  out[1] = 0x80 | n;
  randomFillSync(out, 2, 4);
  for (let i = 0; i < n; i++) out[6 + i] = payload[i] ^ out[2 + (i & 3)];
  return out;
}

function closePayload(code: number, reason: string): Buffer {
  const r = Buffer.from(reason, "utf8");
  const b = Buffer.allocUnsafe(2 + r.length);
  b.writeUInt16BE(code, 0);
  r.copy(b, 2);
  return b;
}

/**
 * The ingestion's WebSocket client for the data path (RFC 6455, client side, no extensions): the HTTP Upgrade
 * through `node:http`/`node:https` (`Sec-WebSocket-Accept` verified; permessage-deflate never offered), then
 * frames read straight from the socket's chunks by a {@link FrameReader}, text payloads handed to the
 * `asciiText` fast path in place (no Buffer, no string per frame). Pings are answered with a masked pong; the
 * close handshake is honoured; a protocol error fails the connection with its close code (1002 / 1007 / 1009)
 * and an `error` event, as `ws` does. It implements the part of the `ws` client API that
 * {@link StreamConnection} uses — events `upgrade`, `open`, `message` (data, isBinary), `ping`, `pong`,
 * `error`, `close` (code, reason) and `ping()`, `close()`, `terminate()`, `readyState` — so tests can still
 * inject a `ws` client instead. Servers (demo exchange, replay, tests) keep using `ws`.
 *
 * @example
 * const ws = new RawWebSocket("ws://127.0.0.1:8080/public/stream?streams=btcusdt@trade", { asciiText: (b, s, e) => { console.log(b.toString("latin1", s, e)); return true; } });
 * ws.on("close", (code) => console.log("closed", code));
 * ws.close(1000, "bye");
 */
export class RawWebSocket extends EventEmitter {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  /** 0 connecting, 1 open, 2 closing, 3 closed (as `ws` and the browser API). */
  readyState = 0;
  private req: ClientRequest | undefined;
  private socket: Socket | undefined;
  private readonly reader: FrameReader;
  private readonly key = randomBytes(16).toString("base64");
  private readonly ref: boolean;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private closeSent = false;
  private closeReceived = false;
  /** Code reported by the `close` event: the peer's close code, or a protocol error's; 1006 otherwise (as `ws`). */
  private closeCode = 1006;
  private closeReason = "";
  private closeEmitted = false;
  /**
   * Plain `ws://` without an agent: the TCP socket reads into this one 256 KB buffer, reused for every read
   * (net's `onread` option), instead of a new 64 KB `ArrayBuffer` per read, which the GC must then collect (the
   * external-memory pressure of a flood's ~2,700 chunks per million frames caused most of the worker's GC
   * time) and which went through the stream machinery (push, `data` event) for every chunk. A read takes up to
   * 256 KB when that much is queued: 4× fewer reads (and wake-ups, split frames) in a flood than at 64 KB.
   */
  private readBuffer: Buffer | undefined;
  /** True once the upgrade handed the socket to this client (reads then go to the frame reader). */
  private upgraded = false;

  constructor(url: string, options: RawWebSocketOptions = {}) {
    super();
    this.ref = options.ref !== false;
    const sink: FrameSink = {
      asciiText: options.asciiText,
      message: (data) => this.emit("message", data, false),
      binary: () => this.emit("message", Buffer.alloc(0), true),
      ping: (payload) => {
        this.send(10, payload); // pong, echoing the ping's payload
        this.emit("ping", payload);
      },
      pong: () => this.emit("pong"),
      close: (code, reason) => this.onPeerClose(code, reason),
      error: (code, message) => this.fail(code, message),
    };
    const u = new URL(url);
    if (u.protocol !== "ws:" && u.protocol !== "wss:") throw new SyntaxError(`pairlab: a WebSocket URL must start with ws:// or wss://, got ${JSON.stringify(url)}`);
    const secure = u.protocol === "wss:";
    const reuse = !secure && options.agent === undefined;
    this.reader = new FrameReader(sink, options.maxPayload ?? 1 << 20, reuse);
    const request = secure ? httpsRequest : httpRequest;
    const host = u.hostname.startsWith("[") ? u.hostname.slice(1, -1) : u.hostname;
    const port = u.port === "" ? (secure ? 443 : 80) : Number(u.port);
    if (reuse) this.readBuffer = Buffer.allocUnsafe(1 << 18);
    const req = request({
      host,
      port,
      path: `${u.pathname}${u.search}`,
      ...(options.agent ? { agent: options.agent } : {}),
      ...(reuse ? { createConnection: () => this.connectReusing(host, port) } : {}),
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": this.key,
      },
    });
    this.req = req;
    if (!this.ref) req.once("socket", (s: Socket) => s.unref());
    this.handshakeTimer = setTimeout(() => this.abortHandshake(new Error("Opening handshake has timed out")), options.handshakeTimeout ?? 10_000);
    if (!this.ref) this.handshakeTimer.unref();
    req.on("error", (error: Error) => {
      if (this.req === undefined) return;
      this.req = undefined;
      this.clearHandshakeTimer();
      this.readyState = 2;
      this.emit("error", error);
      this.emitClose();
    });
    req.on("response", (res: IncomingMessage) => {
      res.resume();
      this.abortHandshake(new Error(`Unexpected server response: ${res.statusCode}`));
    });
    req.on("upgrade", (res: IncomingMessage, socket: Socket, head: Buffer) => this.onUpgrade(res, socket, head));
    req.end();
  }

  /**
   * The TCP connection of a plain `ws://` handshake, reading into {@link readBuffer}. Until the upgrade, each
   * read is handed to the HTTP client as a copy (a `data` event, which is how it reads its socket); after it,
   * straight to the frame reader, in place.
   */
  private connectReusing(host: string, port: number): Socket {
    const buffer = this.readBuffer as Buffer;
    const socket: Socket = createConnection({
      host,
      port,
      onread: {
        buffer,
        callback: (n: number): boolean => {
          if (this.upgraded) this.reader.push(n === buffer.length ? buffer : buffer.subarray(0, n));
          else socket.emit("data", Buffer.from(buffer.subarray(0, n)));
          return true;
        },
      },
    });
    return socket;
  }

  private clearHandshakeTimer(): void {
    if (this.handshakeTimer !== undefined) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
  }

  private abortHandshake(error: Error): void {
    const req = this.req;
    if (req === undefined || this.readyState !== 0) return;
    this.req = undefined;
    this.clearHandshakeTimer();
    this.readyState = 2;
    req.destroy();
    req.socket?.destroy();
    process.nextTick(() => {
      this.emit("error", error);
      this.emitClose();
    });
  }

  private onUpgrade(res: IncomingMessage, socket: Socket, head: Buffer): void {
    this.emit("upgrade", res);
    if (this.readyState !== 0 || this.req === undefined) {
      socket.destroy();
      return;
    }
    this.req = undefined;
    this.clearHandshakeTimer();
    const upgrade = res.headers.upgrade;
    let problem = "";
    if (upgrade === undefined || upgrade.toLowerCase() !== "websocket") problem = "Invalid Upgrade header";
    else if (res.headers["sec-websocket-accept"] !== createHash("sha1").update(this.key + GUID).digest("base64")) problem = "Invalid Sec-WebSocket-Accept header";
    else if (res.headers["sec-websocket-extensions"] !== undefined) problem = "Server sent a Sec-WebSocket-Extensions header but no extension was requested";
    else if (res.headers["sec-websocket-protocol"] !== undefined) problem = "Server sent a subprotocol but none was requested";
    if (problem) {
      this.readyState = 2;
      socket.destroy();
      process.nextTick(() => {
        this.emit("error", new Error(problem));
        this.emitClose();
      });
      return;
    }
    this.socket = socket;
    if (!this.ref) socket.unref();
    socket.setNoDelay(true);
    socket.setTimeout(0);
    if (this.readBuffer === undefined) socket.on("data", (chunk: Buffer) => this.reader.push(chunk));
    else this.upgraded = true;
    socket.on("error", () => socket.destroy()); // reported through close (code 1006), as ws does for a reset socket
    socket.on("end", () => {
      if (this.readyState === 1) this.readyState = 2;
      socket.end();
    });
    socket.on("close", () => this.emitClose());
    this.readyState = 1;
    this.emit("open");
    if (head.length > 0 && this.readyState === 1) this.reader.push(head);
  }

  private send(opcode: number, payload: Buffer): void {
    const s = this.socket;
    if (s === undefined || s.destroyed || !s.writable) return;
    s.write(maskedFrame(opcode, payload));
  }

  private onPeerClose(code: number, reason: string): void {
    this.closeReceived = true;
    this.closeCode = code;
    this.closeReason = reason;
    if (!this.closeSent) {
      this.closeSent = true;
      this.send(8, code === 1005 ? Buffer.alloc(0) : closePayload(code, ""));
    }
    this.readyState = 2;
    this.socket?.end();
  }

  /** A protocol error: close frame with `code`, `error` event, then the socket is closed (a peer that does not end it is destroyed after 1 s). */
  private fail(code: number, message: string): void {
    const err = Object.assign(new RangeError(`Invalid WebSocket frame: ${message}`), { code: code === 1009 ? "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH" : code === 1007 ? "WS_ERR_INVALID_UTF8" : "WS_ERR_INVALID_FRAME" });
    this.closeCode = code;
    if (!this.closeSent) {
      this.closeSent = true;
      this.send(8, closePayload(code, ""));
    }
    this.readyState = 2;
    const s = this.socket;
    s?.end();
    setTimeout(() => s?.destroy(), 1000).unref();
    this.emit("error", err);
  }

  private emitClose(): void {
    if (this.closeEmitted) return;
    this.closeEmitted = true;
    this.readyState = 3;
    this.clearHandshakeTimer();
    this.emit("close", this.closeCode, Buffer.from(this.closeReason));
  }

  /** Sends a ping (empty payload); no-op unless open. */
  ping(): void {
    if (this.readyState === 1) this.send(9, Buffer.alloc(0));
  }

  /**
   * Starts the closing handshake with `code` and `reason` (≤ 123 bytes); `close` is emitted when the TCP
   * socket has closed. While connecting it aborts the handshake.
   */
  close(code = 1000, reason = ""): void {
    if (this.readyState === 3) return;
    if (this.readyState === 0) {
      this.abortHandshake(new Error("WebSocket was closed before the connection was established"));
      return;
    }
    if (!this.closeSent) {
      this.closeSent = true;
      this.send(8, closePayload(code, reason));
    }
    this.readyState = 2;
    if (this.closeReceived) this.socket?.end();
  }

  /** Destroys the connection at once; `close` (1006 unless a close frame was exchanged) follows. */
  terminate(): void {
    if (this.readyState === 3) return;
    if (this.readyState === 0) {
      this.abortHandshake(new Error("WebSocket was closed before the connection was established"));
      return;
    }
    this.readyState = 2;
    this.socket?.destroy();
  }
}
