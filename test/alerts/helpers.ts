import { mulberry32 } from "../../src/seeded-random";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { AlertBar, AlertEvent } from "../../src/alerts";

/** One request seen by a {@link Receiver}. */
export interface ReceivedRequest {
  n: number;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
}

/** What the receiver does with request number n (0-based): a status, extra headers, or hang (never answer). */
export type ReceiverBehaviour = (n: number, req: ReceivedRequest) => { status: number; headers?: Record<string, string> } | "hang";

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Alert ids accepted (2xx answered), in order. */
  accepted: string[];
  close(): Promise<void>;
}

/** A local HTTP receiver on 127.0.0.1:0 scripted per request. */
export async function startReceiver(behaviour: ReceiverBehaviour = () => ({ status: 200 })): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const accepted: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: ReceivedRequest = { n: requests.length, path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: performance.now() };
      requests.push(r);
      const b = behaviour(r.n, r);
      if (b === "hang") return;
      if (b.status >= 200 && b.status < 300) accepted.push(String(req.headers["idempotency-key"]));
      res.writeHead(b.status, b.headers ?? {});
      res.end("ok");
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook/SECRET-PATH-123`,
    requests,
    accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A seeded uniform PRNG (mulberry32, the project's one generator). */
export const seeded = mulberry32;

/** A seeded cointegrated pair of closes: x a random walk, y = 2 + 0.5·x + AR(1) noise. */
export function pairSeries(n: number, seed: number): { y: Float64Array; x: Float64Array } {
  const r = seeded(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let xv = 100;
  let e = 0;
  for (let i = 0; i < n; i++) {
    xv += normal() * 0.5;
    e = 0.9 * e + normal() * 0.3;
    x[i] = xv;
    y[i] = 2 + 0.5 * xv + e;
  }
  return { y, x };
}

/** Closed 1 s bars at 1000·(i + 1) for two symbols "y" and "x". */
export function closedBars(y: ArrayLike<number>, x: ArrayLike<number>, t0 = 1000): AlertBar[] {
  const out: AlertBar[] = [];
  for (let i = 0; i < y.length; i++) out.push({ time: t0 + i * 1000, closed: true, close: { y: y[i], x: x[i] } });
  return out;
}

/** A minimal alert for delivery tests. */
export function fakeAlert(i: number, firedAt = Date.now()): AlertEvent {
  return {
    id: `rule-${i}:${1000 * i}:above`,
    ruleId: `rule-${i}`,
    ruleName: `rule ${i}`,
    kind: "price-move",
    key: "above",
    barTime: 1000 * i,
    barClosed: true,
    firedAt,
    value: 1.5,
    level: 1,
    message: `test alert ${i}`,
    symbols: ["btcusdt"],
    simulated: true,
  };
}
