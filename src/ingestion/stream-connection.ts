import type { Agent, IncomingHttpHeaders, IncomingMessage } from "node:http";
import type WebSocket from "ws";
import { Backoff } from "./backoff";
import type { Clock, TimerHandle } from "./clock";
import { RawWebSocket } from "./raw-web-socket";

/**
 * `readyState` values (RFC 6455 / WHATWG, the same in `ws` and {@link RawWebSocket}). Written here rather than read
 * from `ws`'s class: `ws` is then only a type import, so the ingestion worker does not load it (and zlib with it)
 * at start-up — about 50 ms of CPU per `startIngestion`, measured with --cpu-prof.
 */
const CONNECTING = 0;
const CLOSED = 3;

/** The part of the `ws` client API a {@link StreamConnection} drives: a `ws` client (tests) or a {@link RawWebSocket}. */
interface ClientSocket {
  readonly readyState: number;
  on(event: "upgrade", listener: (res: IncomingMessage) => void): unknown;
  on(event: "open" | "ping" | "pong", listener: () => void): unknown;
  on(event: "message", listener: (data: Buffer, isBinary: boolean) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "close", listener: (code: number) => void): unknown;
  once(event: "close", listener: () => void): unknown;
  removeAllListeners(): unknown;
  ping(): void;
  close(code: number, reason: string): void;
  terminate(): void;
}

/**
 * States of a {@link StreamConnection}:
 * `idle` → `connecting` → `open` → (`backoff` → `connecting` …) ; `stop()` → `closing` → `stopped`.
 */
export type ConnectionState = "idle" | "connecting" | "open" | "backoff" | "closing" | "stopped";

/** Options of {@link StreamConnection}. Durations in ms. */
export interface StreamConnectionOptions {
  /** Full URL to connect to. */
  url: string;
  clock: Clock;
  backoff: Backoff;
  /** Called synchronously for every text message not consumed by `onAsciiText` (its UTF-8 checked). */
  onMessage(data: Buffer): void;
  /**
   * Hot path, tried first for every text message on the built-in client: the payload `bytes[start, end)` in place
   * in the socket chunk (valid only during the call). Return true when consumed, which is allowed only for an
   * all-ASCII payload; false (without side effects) passes it on to the UTF-8 check and `onMessage`.
   */
  onAsciiText?(bytes: Buffer, start: number, end: number): boolean;
  /** Called for every binary frame, which is not passed to `onMessage` (Binance sends text only). */
  onBinary?(): void;
  /** Called on every state change with a human detail ("ECONNREFUSED 127.0.0.1:9", "retry in 1.2 s"). */
  onState?(state: ConnectionState, detail: string): void;
  /** Called when an attempt fails before the socket opened (DNS, refused, TLS, proxy, handshake timeout). */
  onConnectFailure?(error: Error): void;
  /** Called when a socket opens; `reconnect` is false for the very first open; `headers`: the handshake response's. */
  onOpen?(reconnect: boolean, headers: IncomingHttpHeaders): void;
  /** Handshake timeout (default 10,000). */
  connectTimeoutMs?: number;
  /** Proactive reconnect before the exchange's 24 h connection limit (default 23 h 30 min). */
  maxAgeMs?: number;
  /** A socket with no frame at all (data, ping or pong) for this long is pinged (default 60,000). */
  idleMs?: number;
  /** … and terminated if nothing arrives within this long after our ping was sent (default 10,000). */
  pongTimeoutMs?: number;
  /** An open socket that lived at least this long resets the backoff when it closes (default 10,000). */
  stableMs?: number;
  /** Graceful close waits this long before `terminate()` (default 2,000). */
  closeTimeoutMs?: number;
  /** Keep the process alive while a socket exists (default true; false unrefs the TCP socket from the handshake on). */
  ref?: boolean;
  /** HTTP(S) agent for the handshake, e.g. a proxy agent (ws does not read HTTPS_PROXY by itself). */
  agent?: Agent;
  /** Socket factory (tests, e.g. a `ws` client). Default: the built-in {@link RawWebSocket} (no permessage-deflate, 1 MiB message cap). */
  createSocket?(url: string, handshakeTimeoutMs: number): WebSocket;
}

/** The transport settings a user may tune through `startIngestion({ connection })`. */
export type ConnectionTuning = Pick<
  StreamConnectionOptions,
  "connectTimeoutMs" | "maxAgeMs" | "idleMs" | "pongTimeoutMs" | "stableMs" | "closeTimeoutMs" | "ref" | "agent"
>;

interface Live {
  ws: ClientSocket;
  openedAt: number;
  opened: boolean;
  lastFrameAt: number;
  pinged: boolean;
  /** When our pending ping was sent (clock ms): the pong deadline runs from here. */
  pingSentAt: number;
  /** The pong deadline had passed at the previous check (the next one, after an I/O pass, decides). */
  overdue: boolean;
  /** Text frames received; the idle check compares it between passes instead of reading the clock per frame. */
  frames: number;
  framesAtCheck: number;
  /** Frames of a proactive replacement held back until the old socket has closed (undefined: deliver at once). */
  held: { data: Buffer; binary: boolean }[] | undefined;
}

/**
 * One supervised WebSocket connection to one URL, over pairlab's own client ({@link RawWebSocket}: RFC 6455
 * frames read straight from the socket, text payloads offered in place to `onAsciiText`): connects, reconnects with capped jittered backoff
 * after any close or failure, pings an idle socket and terminates it when no pong comes (dead-socket
 * watchdog), and reconnects proactively before `maxAgeMs` with an overlap (the new socket opens before the
 * old one is closed; the new socket's frames are held back until the old one has closed, so the consumer
 * sees the old socket's frames first; duplicates are the consumer's job, by trade id). All timers go through the injected
 * clock. Transport only: decoding and storage are elsewhere.
 *
 * @example
 * const c = new StreamConnection({ url, clock: systemClock, backoff: new Backoff(), onMessage: (d) => console.log(String(d)) });
 * c.start();
 * await c.stop(); // closes the socket, clears every timer, never reconnects
 */
export class StreamConnection {
  private readonly o: StreamConnectionOptions;
  private stateValue: ConnectionState = "idle";
  private live: Live | undefined;
  /** Old sockets being replaced during a proactive reconnect. */
  private readonly draining = new Set<Live>();
  /** A proactive replacement socket that has not opened yet (closed by stop() too). */
  private replacing: Live | undefined;
  private retryTimer: TimerHandle | undefined;
  private ageTimer: TimerHandle | undefined;
  private idleTimer: TimerHandle | undefined;
  private opensSoFar = 0;
  private stopPromise: Promise<void> | undefined;
  /** Number of reconnect attempts scheduled after a close or failure. */
  reconnects = 0;
  /** Last error text, if any. */
  lastError = "";

  constructor(options: StreamConnectionOptions) {
    this.o = options;
  }

  /** Current state. */
  get state(): ConnectionState {
    return this.stateValue;
  }

  /** The URL this connection serves. */
  get url(): string {
    return this.o.url;
  }

  /** Epoch ms when the current socket opened, or NaN. */
  get openedAt(): number {
    return this.live?.opened ? this.live.openedAt : NaN;
  }

  /** Starts connecting (no-op unless idle). */
  start(): void {
    if (this.stateValue !== "idle") return;
    this.connect(false);
  }

  /** Terminates the current socket and reconnects through the normal backoff path (e.g. a watchdog verdict). */
  restart(reason: string): void {
    if (this.live === undefined || this.stateValue === "closing" || this.stateValue === "stopped") return;
    this.lastError = reason;
    this.live.ws.terminate();
  }

  /**
   * Closes every socket (graceful close, `terminate()` after `closeTimeoutMs`), clears every timer and
   * never reconnects. Resolves when all sockets have emitted `close`. Idempotent.
   */
  stop(): Promise<void> {
    if (this.stopPromise) return this.stopPromise;
    this.clearTimers();
    const sockets = [...this.draining, ...(this.live ? [this.live] : []), ...(this.replacing ? [this.replacing] : [])];
    this.live = undefined;
    this.replacing = undefined;
    this.draining.clear();
    this.setState(sockets.length > 0 ? "closing" : "stopped", "stop() called");
    this.stopPromise = Promise.all(sockets.map((s) => this.closeSocket(s.ws))).then(() => {
      this.setState("stopped", "stopped");
    });
    return this.stopPromise;
  }

  private get stopped(): boolean {
    return this.stopPromise !== undefined;
  }

  private setState(state: ConnectionState, detail: string): void {
    this.stateValue = state;
    this.o.onState?.(state, detail);
  }

  private clearTimers(): void {
    const c = this.o.clock;
    if (this.retryTimer !== undefined) c.clearTimeout(this.retryTimer);
    if (this.ageTimer !== undefined) c.clearTimeout(this.ageTimer);
    if (this.idleTimer !== undefined) c.clearTimeout(this.idleTimer);
    this.retryTimer = this.ageTimer = this.idleTimer = undefined;
  }

  private connect(proactive: boolean): void {
    if (this.stopped) return;
    const o = this.o;
    const timeout = o.connectTimeoutMs ?? 10_000;
    let ws: ClientSocket;
    // Set below, once the entry exists (the socket is created first; no frame can arrive before the handshake).
    let entryRef: Live | undefined;
    const fast = o.onAsciiText;
    try {
      ws = o.createSocket
        ? o.createSocket(o.url, timeout)
        : new RawWebSocket(o.url, {
            handshakeTimeout: timeout,
            // Trade frames are < 1 KB; a 1 MiB cap bounds memory against a misbehaving server (close 1009 → reconnect).
            maxPayload: 1 << 20,
            ref: o.ref !== false,
            ...(o.agent ? { agent: o.agent } : {}),
            ...(fast === undefined
              ? {}
              : {
                  asciiText: (bytes: Buffer, start: number, end: number): boolean => {
                    const e = entryRef;
                    // Frames held back during a proactive replacement take the copying path (onMessage).
                    if (e === undefined || e.held !== undefined || !fast(bytes, start, end)) return false;
                    e.frames++;
                    return true;
                  },
                }),
          });
    } catch (error) {
      this.lastError = (error as Error).message;
      o.onConnectFailure?.(error as Error);
      this.scheduleRetry();
      return;
    }
    if (o.ref === false && o.createSocket) {
      // An injected `ws` client: unref the TCP socket as soon as it exists (ws keeps the handshake request in `_req`).
      const req = (ws as unknown as { _req?: { once(event: "socket", cb: (s: { unref(): void }) => void): void } })._req;
      req?.once("socket", (sock) => sock.unref());
    }
    const entry: Live = { ws, openedAt: NaN, opened: false, lastFrameAt: o.clock.now(), pinged: false, pingSentAt: NaN, overdue: false, frames: 0, framesAtCheck: 0, held: undefined };
    entryRef = entry;
    if (!proactive) {
      this.live = entry;
      this.setState("connecting", o.url);
    } else this.replacing = entry;
    let headers: IncomingHttpHeaders = {};
    ws.on("upgrade", (res: IncomingMessage) => {
      headers = res.headers;
    });
    ws.on("open", () => {
      if (this.stopped) return;
      entry.opened = true;
      entry.openedAt = entry.lastFrameAt = o.clock.now();
      if (o.ref === false && o.createSocket) (ws as unknown as { _socket?: { unref(): void } })._socket?.unref();
      if (proactive) {
        if (this.replacing === entry) this.replacing = undefined;
        // The old socket may have died meanwhile: this one replaces the pending retry.
        if (this.retryTimer !== undefined) o.clock.clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
        // Overlap: the replacement is open, retire the old socket(s). Until the old socket has closed, the
        // new one's frames are held back, so every frame of the old socket is delivered first and dedup by
        // trade id cannot drop a trade that only the old socket still had in flight. Bounded by closeTimeoutMs.
        const old = this.live;
        if (old) {
          this.draining.add(old);
          entry.held = [];
          void this.closeSocket(old.ws).then(() => {
            this.draining.delete(old);
            const held = entry.held ?? [];
            entry.held = undefined;
            if (this.stopped) return;
            for (const f of held) {
              if (f.binary) o.onBinary?.();
              else o.onMessage(f.data);
            }
          });
        }
        this.live = entry;
      }
      const reconnect = this.opensSoFar > 0;
      this.opensSoFar++;
      this.setState("open", o.url);
      o.onOpen?.(reconnect, headers);
      this.armAgeTimer();
      this.armIdleTimer();
    });
    const onMessage = o.onMessage;
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      entry.frames++;
      if (entry.held !== undefined) entry.held.push({ data, binary: isBinary });
      else if (!isBinary) onMessage(data);
      else o.onBinary?.();
    });
    ws.on("ping", () => {
      entry.lastFrameAt = o.clock.now();
      entry.pinged = false;
      entry.overdue = false;
    });
    ws.on("pong", () => {
      entry.lastFrameAt = o.clock.now();
      entry.pinged = false;
      entry.overdue = false;
    });
    ws.on("error", (error: Error) => {
      this.lastError = error.message || String(error);
      if (!entry.opened && !this.stopped) o.onConnectFailure?.(error);
    });
    ws.on("close", (code: number) => {
      if (this.replacing === entry) this.replacing = undefined;
      if (this.stopped) return;
      if (this.live !== entry) {
        // A drained socket, or a proactive replacement that failed to open: try again in a minute.
        if (proactive && !entry.opened && this.live !== undefined && this.ageTimer === undefined) {
          this.ageTimer = o.clock.setTimeout(() => {
            this.ageTimer = undefined;
            if (!this.stopped && this.live !== undefined) this.connect(true);
          }, 60_000);
        }
        return;
      }
      if (!entry.opened && this.lastError === "") this.lastError = `closed before open (code ${code})`;
      if (entry.opened && o.clock.now() - entry.openedAt >= (o.stableMs ?? 10_000)) o.backoff.reset();
      if (entry.opened && this.lastError === "") this.lastError = `closed by peer (code ${code})`;
      this.live = undefined;
      this.clearTimers();
      this.scheduleRetry();
    });
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = this.o.backoff.next();
    this.reconnects++;
    this.setState("backoff", `${this.lastError}; retry in ${(delay / 1000).toFixed(1)} s`);
    this.retryTimer = this.o.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.lastError = "";
      this.connect(false);
    }, delay);
  }

  private armAgeTimer(): void {
    const c = this.o.clock;
    if (this.ageTimer !== undefined) c.clearTimeout(this.ageTimer);
    this.ageTimer = c.setTimeout(() => {
      this.ageTimer = undefined;
      if (this.stopped || this.live === undefined) return;
      this.connect(true);
    }, this.o.maxAgeMs ?? 23.5 * 3600_000);
  }

  private armIdleTimer(): void {
    const c = this.o.clock;
    const idleMs = this.o.idleMs ?? 60_000;
    const pongMs = this.o.pongTimeoutMs ?? 10_000;
    const check = (): void => {
      this.idleTimer = undefined;
      const e = this.live;
      if (this.stopped || e === undefined || !e.opened) return;
      if (e.frames !== e.framesAtCheck) {
        e.framesAtCheck = e.frames;
        e.lastFrameAt = c.now();
        e.pinged = false;
        e.overdue = false;
      }
      const now = c.now();
      const silent = now - e.lastFrameAt;
      // The pong deadline runs from the moment our ping was sent (not from the last frame). Past it, the
      // verdict waits for one more pass a few ms later, so the event loop reads the socket in between: after
      // a stretch in which this thread could not run, a pong already received by the OS is not missed.
      let next = Math.min(idleMs, pongMs) / 2;
      if (e.pinged && now - e.pingSentAt >= pongMs) {
        if (e.overdue) {
          this.restart(`no frame for ${Math.round(silent / 1000)} s and no pong within ${Math.round(pongMs)} ms of our ping: dead socket`);
          return;
        }
        e.overdue = true;
        next = Math.min(next, 10);
      }
      if (!e.pinged && silent >= idleMs) {
        e.pinged = true;
        e.pingSentAt = now;
        try {
          e.ws.ping();
        } catch {
          /* socket already closing; the close handler reconnects */
        }
      }
      this.idleTimer = c.setTimeout(check, next);
    };
    if (this.idleTimer !== undefined) c.clearTimeout(this.idleTimer);
    this.idleTimer = c.setTimeout(check, Math.min(idleMs, pongMs) / 2);
  }

  private closeSocket(ws: ClientSocket): Promise<void> {
    return new Promise((resolve) => {
      if (ws.readyState === CLOSED) return resolve();
      let done = false;
      // The close-timeout fallback uses a real (unref'd) timer: it bounds stop() even under a manual clock.
      const hard = setTimeout(() => ws.terminate(), this.o.closeTimeoutMs ?? 2_000);
      hard.unref();
      ws.once("close", () => {
        if (done) return;
        done = true;
        clearTimeout(hard);
        ws.removeAllListeners();
        ws.on("error", () => undefined);
        resolve();
      });
      try {
        if (ws.readyState === CONNECTING) ws.terminate();
        else ws.close(1000, "pairlab stop");
      } catch {
        ws.terminate();
      }
    });
  }
}
