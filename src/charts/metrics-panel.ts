import { escapeHtml, htmlBundle, type MimeBundle } from "./mime-bundle";
import type { PairAnalytics } from "../pair";
import { formatHalfLife } from "./spread-figure";

function lastFinite(x: ArrayLike<number>): number {
  for (let i = x.length - 1; i >= 0; i--) if (Number.isFinite(x[i])) return x[i];
  return NaN;
}

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : "–";
}

/**
 * The pair's metric tiles: current hedge ratio β (and α), latest z-score, correlation,
 * half-life, bars and alerts, labelled SIMULATED when so. O(n) (finds the last finite values).
 * @example show(pairMetricsBundle(an))
 */
export function pairMetricsBundle(an: PairAnalytics): MimeBundle {
  const [y, x] = an.params.symbols;
  const tiles: [string, string][] = [
    [an.params.hedge === "kalman" ? "Kalman hedge ratio β" : "hedge ratio β", fmt(an.currentHedgeRatio, 4)],
    ["intercept α", fmt(an.currentIntercept, 2)],
    [an.params.hedge === "kalman" ? "Kalman z-score e/√Q" : "z-score", fmt(lastFinite(an.zscore), 2)],
    ["correlation", fmt(lastFinite(an.correlation), 3)],
    ["half-life", formatHalfLife(an.halfLife, an.barSeconds)],
    ["bars", an.bars.toLocaleString("en-US")],
    ["alerts", String(an.alerts.length)],
  ];
  const title = `${y} ~ ${x}${an.params.simulated ? " — SIMULATED" : ""}`;
  const notes: string[] = [];
  if (an.latestWindowDegenerate) notes.push(`No current hedge ratio: ${x} was constant over the last hedgeWindow = ${an.params.hedgeWindow} bars (regression undefined).`);
  if (an.degenerateWindows > 0) notes.push(`${an.degenerateWindows} regression window(s) had a constant ${x}; β is undefined (NaN) there.`);
  if (an.halfLifeNote) notes.push(`Half-life n/a: ${an.halfLifeNote}.`);
  const html =
    `<div class="pairlab-metrics" style="font-family:sans-serif"><div style="font-size:13px;font-weight:bold">${escapeHtml(title)}</div>` +
    `<div style="display:flex;gap:8px;flex-wrap:wrap;margin-top:4px">` +
    tiles
      .map(
        ([k, v]) =>
          `<div style="border:1px solid #cbd5e1;border-radius:4px;padding:4px 10px;min-width:90px"><div style="font-size:11px;color:#475569">${escapeHtml(k)}</div><div style="font-size:18px">${escapeHtml(v)}</div></div>`,
      )
      .join("") +
    `</div>` +
    notes.map((note) => `<div style="color:#b45309;font-size:12px;margin-top:4px">⚠ ${escapeHtml(note)}</div>`).join("") +
    `</div>`;
  return htmlBundle(html, [title, ...tiles.map(([k, v]) => `  ${k}: ${v}`), ...notes.map((note) => `  warning: ${note}`)].join("\n"));
}
