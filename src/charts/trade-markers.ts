import { parameterRangeError } from "../errors";
import type { Trade } from "../backtest/types";
import type { AlertMarker } from "./zscore-figure";

/**
 * The backtest's decisions as z-score chart markers (`zScoreFigure(time, z, { alerts })`): an `enter` marker at
 * each trade's entry signal bar and an `exit` marker at its exit signal bar (`side` reads "long spread", "short
 * spread", "stop"), at the z of that bar. Open trades have no exit marker. O(trades · log n).
 *
 * @param run - `{ time, zscore, trades }` (a `BacktestRun`).
 * @returns markers in time order.
 * @throws RangeError (E_PARAM) when a trade's signal time is not a bar time of the run.
 * @example zScoreFigure(run.time, run.zscore, { threshold: 2, exit: 0.5, alerts: tradeMarkers(run) })
 */
export function tradeMarkers(run: { time: ArrayLike<number>; zscore: ArrayLike<number>; trades: readonly Trade[] }): AlertMarker[] {
  const zAt = (t: number): number => {
    let lo = 0, hi = run.time.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (run.time[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    if (run.time[lo] !== t) throw parameterRangeError("trade markers", "trades", "signal times that are bar times of the run", t);
    return run.zscore[lo];
  };
  const markers: AlertMarker[] = [];
  for (const t of run.trades) {
    markers.push({ time: t.entrySignalTime, kind: "enter", side: `${t.side} spread`, z: zAt(t.entrySignalTime) });
    if (t.exitReason !== "open") markers.push({ time: t.exitSignalTime, kind: "exit", side: t.exitReason === "stop" ? "stop" : `${t.side} spread`, z: zAt(t.exitSignalTime) });
  }
  return markers;
}
