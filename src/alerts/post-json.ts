import { request as httpRequest, Agent as HttpAgent } from "node:http";
import { request as httpsRequest, Agent as HttpsAgent } from "node:https";

/** Outcome of one POST: the status (0 for a network error or timeout), its Retry-After header and an error text. */
export interface PostResult {
  status: number;
  retryAfter: string | undefined;
  error: string;
}

/** Keep-alive agents for webhook POSTs; `destroy()` closes their sockets. */
export interface PostAgents {
  http: HttpAgent;
  https: HttpsAgent;
  destroy(): void;
}

/** Creates keep-alive agents (one per outbox). O(1). */
export function createPostAgents(): PostAgents {
  const http = new HttpAgent({ keepAlive: true, maxSockets: 16 });
  const https = new HttpsAgent({ keepAlive: true, maxSockets: 16 });
  return {
    http,
    https,
    destroy() {
      http.destroy();
      https.destroy();
    },
  };
}

/**
 * POSTs `body` (JSON text) to `url` with `headers`; resolves — never rejects — with the status, or status 0
 * and an error text on a network error, an abort or after `timeoutMs` without a complete response (the
 * socket is destroyed). The response body is drained and discarded. O(body).
 * @example await postJson("http://127.0.0.1:8080/hook", "{}", {}, 5000, agents) // { status: 200, retryAfter: undefined, error: "" }
 */
export function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number, agents: PostAgents, signal?: AbortSignal): Promise<PostResult> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: PostResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(r);
    };
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      resolve({ status: 0, retryAfter: undefined, error: "invalid URL" });
      return;
    }
    const isHttps = u.protocol === "https:";
    const req = (isHttps ? httpsRequest : httpRequest)(
      u,
      { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, agent: isHttps ? agents.https : agents.http },
      (res) => {
        res.on("data", () => undefined);
        res.on("end", () => finish({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"], error: "" }));
        res.on("error", (e) => finish({ status: 0, retryAfter: undefined, error: e.message }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: 0, retryAfter: undefined, error: `timeout after ${timeoutMs} ms` });
    }, timeoutMs);
    timer.unref();
    const onAbort = (): void => {
      req.destroy();
      finish({ status: 0, retryAfter: undefined, error: "aborted" });
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (e) => finish({ status: 0, retryAfter: undefined, error: e.message }));
    req.end(body);
  });
}
