import { MessageChannel, receiveMessageOnPort, type MessagePort } from "node:worker_threads";

/** The worker's end of a {@link SyncCaller}: a port and the shared wake-up flag (structured-cloneable with the port transferred). */
export interface SyncCallEnd {
  port: MessagePort;
  flag: SharedArrayBuffer;
}

/**
 * Synchronous request → reply across threads, for the few calls that must answer at once on the kernel
 * thread (`stats()`, the demo feed's counters): the caller posts the request, blocks in `Atomics.wait`
 * (at most `timeoutMs`) until the other thread has posted its reply and set the flag, then takes the reply
 * with `receiveMessageOnPort`. The other thread answers from its event loop ({@link serveSyncCalls}), so a
 * reply comes within one loop turn. O(1) plus the reply's structured clone.
 *
 * @example
 * const caller = new SyncCaller();  // pass caller.remote to the worker (transfer its port)
 * caller.call({ what: "stats" }, 1000); // the reply, or undefined after 1 s
 */
export class SyncCaller {
  private readonly local: MessagePort;
  /** The end to hand to the other thread. */
  readonly remote: SyncCallEnd;
  private readonly flag: Int32Array;
  private nextId = 1;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.local = port1;
    this.local.unref();
    const flag = new SharedArrayBuffer(4);
    this.flag = new Int32Array(flag);
    this.remote = { port: port2, flag };
  }

  /** Sends `request` and waits for the reply; undefined when none came within `timeoutMs`. */
  call<T>(request: unknown, timeoutMs: number): T | undefined {
    const id = this.nextId++;
    Atomics.store(this.flag, 0, 0);
    this.local.postMessage({ id, request });
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      for (;;) {
        const m = receiveMessageOnPort(this.local);
        if (m === undefined) break;
        const reply = m.message as { id: number; value: T };
        if (reply.id === id) return reply.value;
      }
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      Atomics.wait(this.flag, 0, 0, left);
      Atomics.store(this.flag, 0, 0);
    }
  }

  /** Closes the local port. */
  close(): void {
    this.local.close();
  }
}

/**
 * The answering side of a {@link SyncCaller}: replies to every request with `handler(request)` (a thrown
 * error replies `undefined`). Returns the function that stops serving (closes the port). O(1) per call
 * plus `handler`.
 *
 * @example
 * const stop = serveSyncCalls(workerData.stats, () => runner.stats());
 */
export function serveSyncCalls(end: SyncCallEnd, handler: (request: unknown) => unknown): () => void {
  const flag = new Int32Array(end.flag);
  end.port.on("message", (m: { id: number; request: unknown }) => {
    let value: unknown;
    try {
      value = handler(m.request);
    } catch {
      value = undefined;
    }
    end.port.postMessage({ id: m.id, value });
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
  return () => end.port.close();
}
