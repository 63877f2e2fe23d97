import { InsufficientDataError } from "../errors";
import { escapeHtml, htmlBundle, type MimeBundle } from "./mime-bundle";
import { formatDuration } from "./spread-figure";

/** What is short and how fast it arrives, for {@link insufficientDataMessage}. */
export interface InsufficientDataContext {
  /** What cannot be shown yet, e.g. "5m bars for the z-score" or "ADF on the spread". */
  what: string;
  /** Observations needed. */
  needed: number;
  /** Observations available now. */
  got: number;
  /** Unit of the observations ("bars", "points", "trades"). Default "points". */
  unit?: string;
  /** Seconds each observation takes to arrive when it is time-based (a bar's width: 300 for 5m bars). */
  secondsPerUnit?: number;
  /** Current trade rate (trades/s) when the observations are trades, or to say data are not flowing. */
  tradesPerSecond?: number;
}

/**
 * The sentence a notebook shows instead of an empty chart or an exception when there is too little
 * data: how much is needed, how much is there, and how long the rest takes at the current rate.
 * Time-based units (bars) take `(needed − got) · secondsPerUnit`; trade-based units take
 * `(needed − got) / tradesPerSecond`; when trades are not flowing (rate 0) it says so. O(1).
 *
 * @example insufficientDataMessage({ what: "5m bars", needed: 30, got: 2, unit: "bars", secondsPerUnit: 300 })
 * // "Not enough data for 5m bars yet: needs 30 bars, has 2. 28 more bars take about 2.3 h."
 */
export function insufficientDataMessage(context: InsufficientDataContext): string {
  const unit = context.unit ?? "points";
  const units = (n: number): string => (n === 1 && unit.endsWith("s") ? unit.slice(0, -1) : unit);
  const missing = Math.max(0, Math.ceil(context.needed - context.got));
  let eta = "";
  if (context.secondsPerUnit !== undefined && context.secondsPerUnit > 0) {
    eta = ` ${missing} more ${units(missing)} ${missing === 1 ? "takes" : "take"} about ${formatDuration(missing * context.secondsPerUnit)}.`;
    if (context.tradesPerSecond !== undefined && context.tradesPerSecond <= 0) eta += " No trades are arriving right now.";
  } else if (context.tradesPerSecond !== undefined) {
    eta =
      context.tradesPerSecond > 0
        ? ` At the current rate (${context.tradesPerSecond.toFixed(1)} trades/s) that takes about ${formatDuration(missing / context.tradesPerSecond)}.`
        : " No trades are arriving right now, so it cannot be estimated.";
  }
  return `Not enough data for ${context.what} yet: needs ${context.needed} ${units(context.needed)}, has ${context.got}.${eta}`;
}

/**
 * A visible warning output (amber box in HTML, "WARNING: …" in text) — what notebooks display
 * instead of raising. O(length of the message).
 * @example showHtml(...Object.values(warningBundle("ADF needs 20 points")))
 */
export function warningBundle(message: string): MimeBundle {
  return htmlBundle(
    `<div class="pairlab-warning" style="border-left:4px solid #d97706;background:#fffbeb;color:#78350f;padding:6px 10px;margin:4px 0;font-family:sans-serif;font-size:13px">` +
      `⚠ ${escapeHtml(message)}</div>`,
    `WARNING: ${message}`,
  );
}

/**
 * Warning bundle for an {@link InsufficientDataError}, using its `needed`/`got` with the rate context.
 * @example insufficientDataBundle(err, { what: "ADF on the spread", unit: "bars", secondsPerUnit: 60 })
 */
export function insufficientDataBundle(error: InsufficientDataError, context: Omit<InsufficientDataContext, "needed" | "got">): MimeBundle {
  return warningBundle(insufficientDataMessage({ ...context, needed: error.needed, got: error.got }));
}
