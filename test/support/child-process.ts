// Child processes for the crash / concurrency tests (archive faults, recording processes): a TypeScript
// script run with tsx as a loader inside the child's own node process (tsx's CLI would leave a grandchild
// that kill -9 misses), and its stdout read line by line.
import { spawn, type ChildProcess } from "node:child_process";

/** Starts `node --import tsx <script> ...args` with stdout and stderr piped. */
export function spawnTsx(script: string, args: ReadonlyArray<string | number>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", script, ...args.map(String)], { stdio: ["ignore", "pipe", "pipe"] });
}

/** Calls `onLine` for each stdout line of `child`; resolves with its exit code, signal and whole stderr. */
export function readLines(child: ChildProcess, onLine: (line: string) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let buffered = "";
  let stderr = "";
  child.stdout!.on("data", (data: Buffer) => {
    buffered += data.toString();
    let end: number;
    while ((end = buffered.indexOf("\n")) >= 0) {
      onLine(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
    }
  });
  child.stderr!.on("data", (data: Buffer) => (stderr += data.toString()));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
}
