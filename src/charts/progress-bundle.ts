import { escapeHtml, htmlBundle, type MimeBundle } from "./mime-bundle";

/** What {@link progressBundle} draws: `done` of `total` units of the step `what` (e.g. a warm start's `Progress`). */
export interface ProgressLike {
  what: string;
  done: number;
  total: number;
}

/**
 * A progress bar as a MIME bundle (HTML `<progress>` plus a text line), for a warm start or any paginated
 * download shown through `liveDisplay().show(...)`. Ratios are clamped to [0, 1]; a non-finite or zero total
 * shows 0 %. O(1).
 *
 * @example
 * progressBundle({ what: "btcusdt 1m klines", done: 30, total: 60 })["text/plain"]; // "btcusdt 1m klines: 50 %"
 */
export function progressBundle(p: ProgressLike): MimeBundle {
  const ratio = p.total > 0 && Number.isFinite(p.done / p.total) ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  const pct = Math.round(ratio * 100);
  const label = `${p.what}: ${pct} %`;
  return htmlBundle(
    `<div class="pairlab-progress" style="font-family:sans-serif;font-size:12px"><progress value="${ratio.toFixed(4)}" max="1" style="width:240px"></progress> ${escapeHtml(label)}</div>`,
    label,
  );
}
