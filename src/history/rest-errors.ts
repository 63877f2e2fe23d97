import { PairlabError } from "../errors";

/**
 * A Binance REST request that failed: unreachable server, timeout, a non-2xx answer, or 429 after the
 * allowed retries. `status` is the HTTP status (0 when no answer came), `url` the request URL,
 * `binanceCode` Binance's own error code from the body when given (e.g. -1121 invalid symbol). Code `E_REST`.
 * Warm start and gap repair catch it and report what is missing; they never let it stop live ingestion.
 *
 * @example
 * try { await client.klines("nosuch", "1m"); } catch (e) { (e as RestError).status; } // 400
 */
export class RestError extends PairlabError {
  readonly status: number;
  readonly url: string;
  readonly binanceCode: number | null;
  constructor(url: string, status: number, detail: string, binanceCode: number | null = null, code: "E_REST" | "E_REST_BANNED" = "E_REST") {
    super(code, `Binance REST ${url}: ${status ? `HTTP ${status}` : "no answer"}: ${detail}`);
    this.status = status;
    this.url = url;
    this.binanceCode = binanceCode;
  }
}

/**
 * HTTP 418: the IP is banned for exceeding the request-weight budget after 429s. The client stops sending
 * (every later call rejects with this error) and reports it; `retryAfterMs` is the ban length when the server
 * gave one (NaN otherwise). Code `E_REST_BANNED`.
 *
 * @example
 * client.stats().banned; // true after a RestBannedError
 */
export class RestBannedError extends RestError {
  readonly retryAfterMs: number;
  constructor(url: string, retryAfterMs: number) {
    super(url, 418, `IP banned by the exchange (HTTP 418)${Number.isFinite(retryAfterMs) ? ` for ${Math.round(retryAfterMs / 1000)} s` : ""}; no further requests are sent`, null, "E_REST_BANNED");
    this.retryAfterMs = retryAfterMs;
  }
}
