// Child process of bench/alerts.bench.ts: a Binance-like book-ticker server on 127.0.0.1:0. Connections whose path
// asks for @bookTicker streams get `rate` updates per second in total, round-robin over the symbols, for `seconds`;
// other connections (the trade stream) get nothing. Ids u contiguous per symbol; T advances 1 ms per 2 updates, so
// about half the updates are conflated by the per-ms storage rule.
// argv: <rate per s> <seconds> <symbols, comma-separated>
// stdout (JSON lines): {"port":n} when listening; {"done":true,"sent":n} once all were sent.
import WebSocket, { WebSocketServer } from "ws";

const rate = Number(process.argv[2] ?? 5000);
const seconds = Number(process.argv[3] ?? 5);
const symbols = (process.argv[4] ?? "btcusdt").split(",");
const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
wss.on("listening", () => console.log(JSON.stringify({ port: (wss.address() as { port: number }).port })));
wss.on("connection", (ws: WebSocket, req) => {
  ws.on("error", () => undefined);
  if (!(req.url ?? "").includes("@bookTicker")) return;
  const u: Record<string, number> = Object.fromEntries(symbols.map((s) => [s, 0]));
  const total = rate * seconds;
  const t0 = Date.now();
  let n = 0;
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((Date.now() - t0) * rate) / 1000));
    while (n < due && ws.readyState === WebSocket.OPEN) {
      const s = symbols[n % symbols.length];
      const id = ++u[s];
      const T = 1_780_000_000_000 + Math.floor(id / 2);
      const bid = 100 + (id % 50) / 10;
      ws.send(`{"stream":"${s}@bookTicker","data":{"e":"bookTicker","u":${id},"s":"${s.toUpperCase()}","b":"${bid.toFixed(1)}","B":"${(id % 7) + 1}.000","a":"${(bid + 0.1).toFixed(1)}","A":"${(id % 5) + 1}.000","T":${T},"E":${T}}}`);
      n++;
    }
    if (n >= total) {
      clearInterval(timer);
      console.log(JSON.stringify({ done: true, sent: n }));
    }
  }, 5);
});
