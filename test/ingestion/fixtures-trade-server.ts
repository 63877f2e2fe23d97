// Child process of blocked-kernel.test.ts (and bench/ingestion-blocked.ts): a Binance-like trade server on
// 127.0.0.1:0 that keeps sending while the test process blocks its own thread.
// argv: <rate per s> <trades per symbol> [symbols, comma-separated]
// stdout (JSON lines): {"port":n} when listening; {"done":true,"sent":{sym:n},"connections":k} once every
// trade was sent on the first connection. Ids are contiguous per symbol from 1; T = 1.7e12 + id.
import WebSocket, { WebSocketServer } from "ws";

const rate = Number(process.argv[2] ?? 1000);
const total = Number(process.argv[3] ?? 5000);
const symbols = (process.argv[4] ?? "btcusdt,ethusdt").split(",");
const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
let connections = 0;
let started = false;
wss.on("listening", () => console.log(JSON.stringify({ port: (wss.address() as { port: number }).port })));
wss.on("connection", (ws: WebSocket) => {
  connections++;
  ws.on("error", () => undefined);
  if (started) return; // a reconnect gets nothing: a lost trade would stay lost, as on Binance
  started = true;
  const sent: Record<string, number> = Object.fromEntries(symbols.map((s) => [s, 0]));
  const t0 = Date.now();
  let n = 0;
  const timer = setInterval(() => {
    const due = Math.min(total * symbols.length, Math.floor(((Date.now() - t0) * rate) / 1000));
    while (n < due && ws.readyState === WebSocket.OPEN) {
      const s = symbols[n % symbols.length];
      const id = ++sent[s];
      const T = 1_700_000_000_000 + id;
      ws.send(`{"stream":"${s}@trade","data":{"e":"trade","E":${T},"T":${T},"s":"${s.toUpperCase()}","t":${id},"p":"${100 + (id % 50) / 10}","q":"0.${(id % 9) + 1}","X":"MARKET","m":false}}`);
      n++;
    }
    if (n >= total * symbols.length) {
      clearInterval(timer);
      console.log(JSON.stringify({ done: true, sent, connections }));
    }
  }, 2);
});
process.stdin.on("data", () => console.log(JSON.stringify({ connections })));
process.stdin.on("end", () => process.exit(0));
