import type { StatusPanelInput } from "../pair";
import { escapeHtml, htmlBundle, type MimeBundle } from "./mime-bundle";

function fmt(v: number | undefined, digits: number): string {
  return v === undefined || !Number.isFinite(v) ? "–" : v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/**
 * The live status panel: per symbol trades, trades/s, last price, lag and gaps, plus route, source,
 * connection state, warnings and a SIMULATED badge when so. HTML (every value escaped) and a
 * plain-text alternative that also carries "SIMULATED". O(symbols + warnings).
 *
 * @example statusPanelBundle({ symbols: [{ symbol: "BTCUSDT", trades: 120 }], source: "demo", simulated: true })["text/plain"]
 * // "pairlab status — source demo — SIMULATED …"
 */
export function statusPanelBundle(input: StatusPanelInput): MimeBundle {
  const updated = new Date(input.updatedAt ?? Date.now()).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  const header = [
    `source <b>${escapeHtml(input.source)}</b>`,
    input.route ? `route <b>${escapeHtml(input.route)}</b>` : "",
    input.status ? `status <b>${escapeHtml(input.status)}</b>` : "",
    `updated ${escapeHtml(updated)}`,
  ].filter(Boolean);
  const badge = input.simulated
    ? ` <span class="pairlab-simulated" style="background:#b45309;color:#fff;border-radius:3px;padding:1px 6px;font-size:12px">SIMULATED</span>`
    : "";
  const rows = input.symbols
    .map(
      (s) =>
        `<tr><td style="text-align:left"><b>${escapeHtml(s.symbol)}</b></td><td>${fmt(s.trades, 0)}</td><td>${fmt(s.tradesPerSecond, 1)}</td>` +
        `<td>${fmt(s.lastPrice, 2)}</td><td>${fmt(s.lagMs, 0)}</td><td>${fmt(s.gaps, 0)}</td></tr>`,
    )
    .join("");
  const warnings = (input.warnings ?? []).map((w) => `<li>${escapeHtml(w)}</li>`).join("");
  const html =
    `<div class="pairlab-status" style="font-family:sans-serif;font-size:13px;border:1px solid #cbd5e1;border-radius:4px;padding:6px 10px;display:inline-block">` +
    `<div style="margin-bottom:4px"><b>pairlab status</b>${badge} — ${header.join(" · ")}</div>` +
    `<table style="border-collapse:collapse;text-align:right"><thead><tr><th style="text-align:left">symbol</th><th>trades</th><th>trades/s</th><th>last price</th><th>lag ms</th><th>gaps</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>` +
    (warnings ? `<ul style="color:#92400e;margin:4px 0 0 0">${warnings}</ul>` : "") +
    `</div>`;
  const text = [
    `pairlab status — source ${input.source}${input.route ? ` — route ${input.route}` : ""}${input.status ? ` — ${input.status}` : ""}${input.simulated ? " — SIMULATED" : ""} — ${updated}`,
    ...input.symbols.map(
      (s) => `  ${s.symbol}: ${fmt(s.trades, 0)} trades, ${fmt(s.tradesPerSecond, 1)} trades/s, last ${fmt(s.lastPrice, 2)}, lag ${fmt(s.lagMs, 0)} ms, gaps ${fmt(s.gaps, 0)}`,
    ),
    ...(input.warnings ?? []).map((w) => `  warning: ${w}`),
  ].join("\n");
  return htmlBundle(html, text);
}
