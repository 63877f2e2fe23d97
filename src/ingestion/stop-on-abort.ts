/**
 * Wires an `AbortSignal` to an ingestion's stop: an already-aborted signal stops it now; otherwise an abort
 * stops it later, and the listener is removed by one of the ingestion's stop hooks (no listener outlives the
 * ingestion). Nothing happens without a signal. O(1).
 *
 * @param signal the `signal` option of startIngestion, or undefined.
 * @param stop the ingestion's stop(); its promise is not awaited here.
 * @param stopHooks the ingestion's hooks run at stop().
 */
export function stopOnAbort(signal: AbortSignal | undefined, stop: () => Promise<void>, stopHooks: Set<() => void>): void {
  if (signal === undefined) return;
  if (signal.aborted) {
    void stop();
    return;
  }
  const onAbort = (): void => void stop();
  signal.addEventListener("abort", onAbort, { once: true });
  stopHooks.add(() => signal.removeEventListener("abort", onAbort));
}
