import { parameterRangeError } from "../errors";

/** Bytes one bar takes in memory: eight Float64 columns (time, open, high, low, close, volume, vwap, count). */
export const BAR_BYTES = 64;

/** Default memory bound of one bar series, bytes (256 MiB ≈ 4.2 million bars). */
export const DEFAULT_MAX_BAR_BYTES = 256 * 1024 * 1024;

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${bytes} B`;
}

function formatSpan(ms: number): string {
  if (ms >= 86_400_000) return `${(ms / 86_400_000).toFixed(1)} d`;
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  return `${ms} ms`;
}

/**
 * Validates a caller's memory bound (`maxBytes`): a finite number > 0, or undefined for the default
 * {@link DEFAULT_MAX_BAR_BYTES}. O(1).
 * @throws RangeError (E_PARAM) naming `maxBytes` otherwise.
 * @example resolveMaxBytes("resampling", undefined) // 268435456
 */
export function resolveMaxBytes(what: string, maxBytes: number | undefined): number {
  if (maxBytes === undefined) return DEFAULT_MAX_BAR_BYTES;
  if (typeof maxBytes !== "number" || !Number.isFinite(maxBytes) || maxBytes <= 0) {
    throw parameterRangeError(what, "maxBytes", "a finite number of bytes > 0 (default 268435456 = 256 MB)", maxBytes);
  }
  return maxBytes;
}

/**
 * The memory bound checked **before** any bar buffer is allocated: `bars × bytesPerBar ≤ maxBytes`.
 * A typo such as a 1 ms interval over a day of ticks (86 million bars, 5.5 GB) fails here, with a
 * message naming the interval, the span and the size it would take, instead of exhausting the kernel. O(1).
 *
 * @param what - the computation, for the message ("resampling").
 * @param interval - bar width, ms (as the caller wrote it: shown in the message).
 * @param bars - number of bars the request would hold.
 * @param spanMs - time span those bars cover, ms.
 * @param maxBytes - the bound, bytes.
 * @param bytesPerBar - memory per bar (default {@link BAR_BYTES}; the pair object counts both legs and its analytics).
 * @throws RangeError (E_PARAM) on `interval` when the bars would exceed `maxBytes`.
 * @example assertBarMemory("resampling", 1, 86_400_000, 86_400_000, DEFAULT_MAX_BAR_BYTES)
 * // RangeError: Cannot compute resampling: 'interval' must be coarse enough for the 1 d span of ticks to fit in 256.0 MB of bars
 * //   (raise 'maxBytes' to allow more): 86,400,000 bars of 1 ms would take 5.1 GB, got 1
 */
export function assertBarMemory(what: string, interval: number | string, bars: number, spanMs: number, maxBytes: number, bytesPerBar = BAR_BYTES): void {
  const bytes = bars * bytesPerBar;
  if (bytes <= maxBytes) return;
  const label = typeof interval === "number" ? `${interval} ms` : interval;
  throw parameterRangeError(
    what,
    "interval",
    `coarse enough for the ${formatSpan(spanMs)} span of ticks to fit in ${formatBytes(maxBytes)} of bars (raise 'maxBytes' to allow more): ` +
      `${Math.round(bars).toLocaleString("en-US")} bars of ${label} would take ${formatBytes(bytes)}`,
    interval,
  );
}
