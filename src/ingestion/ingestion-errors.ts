import { PairlabError } from "../errors";

/**
 * Thrown when a data source cannot be used: an invalid `PAIRLAB_SOURCE` value, or the demo exchange
 * failing to listen on 127.0.0.1. Code `E_SOURCE`. (Bad `startIngestion` *parameters* throw
 * `RangeError`/`TypeError` with code `E_PARAM` instead.) Network failures at run time never throw into
 * the kernel: they show up in `stats()` and are retried with backoff.
 *
 * @example
 * try { resolveSource(undefined, { PAIRLAB_SOURCE: "ftp://x" }); } catch (e) { (e as SourceError).code; } // "E_SOURCE"
 */
export class SourceError extends PairlabError {
  /** The offending source text. */
  readonly source: string;
  constructor(source: string, message: string) {
    super("E_SOURCE", message);
    this.source = source;
  }
}

/**
 * Rejection of `Ingestion.waitForTrades()` when the ingestion is stopped before enough trades arrived.
 * Code `E_STOPPED`. (`trades()` iterators simply end on stop.)
 *
 * @example
 * const p = ing.waitForTrades(1e9); await ing.stop(); await p.catch((e) => e.code); // "E_STOPPED"
 */
export class IngestionStoppedError extends PairlabError {
  constructor(message = "Ingestion stopped") {
    super("E_STOPPED", message);
  }
}
