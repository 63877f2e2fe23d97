/**
 * Child process of `bench/ingestion.bench.ts`: a minimal Binance-speaking WebSocket server on 127.0.0.1
 * that writes `@trade` messages, framed in advance, straight to the TCP socket (no `ws` library on this side), so
 * the sender is as cheap as possible and the receiving client is the bottleneck being measured.
 *
 * Usage: node --require tsx/cjs bench/ingestion-flood.ts <flood|format|paced> <frames> [ratePerSecond]
 * Prints {"port": n} on its first stdout line. Every accepted connection receives `frames` trade frames
 * with ids 1..frames: all at once from pre-built buffers (flood), all at once formatted while sending
 * (format), or paced at `ratePerSecond` (paced; the trade time T is the send time, epoch ms (an integer:
 * validation accepts only whole ms), for end-to-end latency at 1 ms resolution). Exits when stdin closes.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";

const mode = process.argv[2] ?? "flood";
const frames = Number(process.argv[3] ?? 1_000_000);
const rate = Number(process.argv[4] ?? 10_000);

/** Deterministic content of frame `id` (the bench checks the store against it). */
export function priceOf(id: number): number {
  return 100_000 + (id % 1000) / 10;
}
export function qtyOf(id: number): number {
  return 0.001 * (1 + (id % 97));
}

function payload(id: number, time: number): Buffer {
  const p = priceOf(id).toFixed(1);
  const q = qtyOf(id).toFixed(3);
  return Buffer.from(
    `{"stream":"btcusdt@trade","data":{"e":"trade","E":${Math.floor(time)},"T":${Math.floor(time)},"s":"BTCUSDT","t":${id},"p":"${p}","q":"${q}","X":"MARKET","m":${id % 2 === 0}}}`,
  );
}

/** Server-to-client text frame (FIN, opcode 1, unmasked). */
function frame(body: Buffer): Buffer {
  const n = body.length;
  const head = n < 126 ? Buffer.from([0x81, n]) : n < 65536 ? Buffer.from([0x81, 126, n >> 8, n & 255]) : undefined;
  if (head === undefined) throw new Error("frame too large");
  return Buffer.concat([head, body]);
}

/** Flood mode: all frames pre-framed once at start-up (≈ 200 MB for 1M), so sending is just socket writes. */
const chunks: Buffer[] = [];
if (mode === "flood") {
  const T0 = 1_700_000_000_000;
  for (let id = 1; id <= frames; ) {
    const batch: Buffer[] = [];
    const end = Math.min(frames, id + 4095);
    for (; id <= end; id++) batch.push(frame(payload(id, T0 + id)));
    chunks.push(Buffer.concat(batch));
  }
}

function flood(socket: Socket): void {
  let k = 0;
  const pump = (): void => {
    while (k < chunks.length) {
      if (!socket.write(chunks[k++])) {
        socket.once("drain", pump);
        return;
      }
    }
  };
  pump();
}

/** Flood mode "format": frames built while sending (the sender, not the receiver, is then the bottleneck). */
function floodFormatting(socket: Socket): void {
  let id = 1;
  const T0 = 1_700_000_000_000;
  const pump = (): void => {
    while (id <= frames) {
      const batch: Buffer[] = [];
      const end = Math.min(frames, id + 4095);
      for (; id <= end; id++) batch.push(frame(payload(id, T0 + id)));
      if (!socket.write(Buffer.concat(batch))) {
        socket.once("drain", pump);
        return;
      }
    }
  };
  pump();
}

function paced(socket: Socket): void {
  let id = 1;
  const start = performance.now();
  const tick = (): void => {
    if (socket.destroyed) return;
    const due = Math.min(frames, Math.floor(((performance.now() - start) / 1000) * rate));
    const batch: Buffer[] = [];
    for (; id <= due; id++) batch.push(frame(payload(id, performance.timeOrigin + performance.now())));
    if (batch.length > 0) socket.write(batch.length === 1 ? batch[0] : Buffer.concat(batch));
    if (id <= frames) setTimeout(tick, 1); // a sleeping sender: spinning would steal a core from the receiver on a small machine
  };
  tick();
}

const server = createServer((_req, res) => res.writeHead(426).end());
server.on("upgrade", (req: IncomingMessage, socket: Socket) => {
  const key = String(req.headers["sec-websocket-key"] ?? "");
  const accept = createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  socket.setNoDelay(true);
  socket.on("error", () => undefined);
  socket.on("data", () => undefined); // client frames (close, pong) are ignored
  if (mode === "paced") paced(socket);
  else if (mode === "format") floodFormatting(socket);
  else flood(socket);
});
server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ port: (server.address() as { port: number }).port }));
});
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));
