import { parameterRangeError } from "../errors";
import { assertInteger } from "../validate";
import { escapeHtml, htmlBundle, type MimeBundle } from "./mime-bundle";
import { formatDuration } from "./spread-figure";

/** The fields of a screenPairs row the table shows (structural: charts do not depend on the screen's module). */
export interface ScreenRowLike {
  rank: number;
  y: string;
  x: string;
  correlation: number;
  egPValue: number;
  pValueHolm: number;
  pValueBH: number;
  hedgeRatio: number;
  halfLifeBars: number;
  halfLifeMs: number;
  hurst: number;
  meanCrossings: number;
  adfPValue: number;
  passes: boolean;
  reasons: string[];
}

/** Options of {@link screenTableBundle}. */
export interface ScreenTableOptions {
  /** Rows shown (default 20; the rest are counted in the caption). */
  top?: number;
  /** Labels the table SIMULATED. */
  simulated?: boolean;
  /** Pairs to mark as "cointegrated by construction" (demo universe), as "y/x" in either order. */
  truth?: readonly string[];
}

function p(v: number): string {
  return !Number.isFinite(v) ? "—" : v < 1e-4 ? v.toExponential(1) : v.toFixed(4);
}
function f(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : v === Infinity ? "∞" : "—";
}

/**
 * The ranked screen as an HTML table (and a plain-text fallback): rank, pair, correlation, Engle-Granger p (raw,
 * Holm, BH), hedge ratio, half-life (bars and time), Hurst, crossings, ADF p of the spread, pass/fail with the failed
 * filters. O(top).
 *
 * @throws RangeError (E_PARAM) for a bad `top`.
 * @example
 * show(screenTableBundle(screenPairs(closes).rows, { top: 10, simulated: true }));
 */
export function screenTableBundle(rows: readonly ScreenRowLike[], options: ScreenTableOptions = {}): MimeBundle {
  if (!Array.isArray(rows)) throw parameterRangeError("screen table", "rows", "an array of screenPairs rows", rows);
  const top = options.top ?? 20;
  assertInteger("screen table", "top", top, 1);
  const truth = new Set((options.truth ?? []).map((t) => t.split("/").sort().join("/")));
  const shown = rows.slice(0, top);
  const head = ["#", "y / x", "ρ", "EG p", "Holm p", "BH p", "β", "half-life", "Hurst", "crossings", "ADF p", "filters"];
  const body = shown.map((r) => {
    const isTrue = truth.has([r.y, r.x].sort().join("/"));
    const cells = [
      String(r.rank),
      `${escapeHtml(r.y)} / ${escapeHtml(r.x)}${isTrue ? " ✱" : ""}`,
      f(r.correlation, 3),
      p(r.egPValue),
      p(r.pValueHolm),
      p(r.pValueBH),
      Number.isFinite(r.hedgeRatio) ? r.hedgeRatio.toPrecision(5) : "—",
      Number.isFinite(r.halfLifeBars) ? `${r.halfLifeBars.toFixed(1)} bars (${formatDuration(r.halfLifeMs / 1000)})` : f(r.halfLifeBars, 1),
      f(r.hurst, 3),
      String(r.meanCrossings),
      p(r.adfPValue),
      r.passes ? "✓ pass" : escapeHtml(r.reasons.join("; ")),
    ];
    return `<tr style="background:${r.passes ? "#ecfdf5" : "transparent"}">${cells.map((c) => `<td style="padding:2px 8px;text-align:left">${c}</td>`).join("")}</tr>`;
  });
  const passing = rows.filter((r) => r.passes).length;
  const caption = `Pairs screen: ${rows.length} pairs, ${passing} pass the filters; top ${shown.length} shown${truth.size ? "; ✱ cointegrated by construction (demo universe)" : ""}${options.simulated ? " — SIMULATED DATA" : ""}`;
  const html = `<table style="border-collapse:collapse;font-size:12px"><caption style="text-align:left;font-weight:bold${options.simulated ? ";color:#b45309" : ""}">${escapeHtml(caption)}</caption><thead><tr>${head.map((h) => `<th style="padding:2px 8px;text-align:left;border-bottom:1px solid #999">${h}</th>`).join("")}</tr></thead><tbody>${body.join("")}</tbody></table>`;
  const text = [caption, ...shown.map((r) => `${r.rank}. ${r.y}/${r.x} p=${p(r.egPValue)} BH=${p(r.pValueBH)} beta=${r.hedgeRatio.toPrecision(5)} hl=${f(r.halfLifeBars, 1)} H=${f(r.hurst, 3)} ${r.passes ? "pass" : r.reasons.join("; ")}`)].join("\n");
  return htmlBundle(html, text);
}
