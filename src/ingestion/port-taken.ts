import { spawnSync } from "node:child_process";

/**
 * True when TCP `port` on 127.0.0.1 cannot be bound right now (EADDRINUSE or EACCES), checked synchronously
 * by a short-lived child process that binds and releases it (Node has no synchronous bind). Used only for a
 * fixed demo port, so that `startIngestion` can throw at call time. ~50–100 ms. A port taken between this
 * check and the real bind is still reported asynchronously.
 *
 * @example
 * portTaken(0); // false (never: 0 means any free port)
 */
export function portTaken(port: number): boolean {
  if (port === 0) return false;
  const script = `const s=require("net").createServer();s.once("error",(e)=>{process.stdout.write(String(e.code));process.exit(0)});s.listen(${port},"127.0.0.1",()=>s.close(()=>process.exit(0)))`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 10_000 });
  return r.stdout === "EADDRINUSE" || r.stdout === "EACCES";
}
