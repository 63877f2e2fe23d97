import { assertInteger } from "../validate";
import { escapeHtml, type MimeBundle } from "./mime-bundle";
import type { DataFrame } from "../export/load-danfo";

/** Options of {@link frameHtml}. */
export interface FrameHtmlOptions {
  /** Maximum rows shown: the first ⌈max/2⌉ and the last ⌊max/2⌋ with a "…" row between. Default 20. */
  maxRows?: number;
  /** Caption above the table (escaped). */
  caption?: string;
  /** Significant digits for numbers. Default 8. */
  digits?: number;
}

function cell(value: unknown, digits: number): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(Number(value.toPrecision(digits))) : Number.isNaN(value) ? "NaN" : String(value);
  if (value === null || value === undefined) return "";
  return String(value);
}

function rowsToShow(n: number, maxRows: number): { head: number; tail: number } {
  if (n <= maxRows) return { head: n, tail: 0 };
  const head = Math.ceil(maxRows / 2);
  return { head, tail: maxRows - head };
}

/**
 * An HTML table of a danfo DataFrame (danfo has no notebook HTML repr): header, at most `maxRows`
 * rows (head and tail around a "…" row), the row index, and a "rows × columns" footer. Every column
 * name and value is HTML-escaped. O(maxRows × columns) — only the shown rows are read.
 *
 * @throws RangeError (E_PARAM) for `maxRows` < 2.
 * @example frameHtml(df, { maxRows: 10 }) // '<div class="pairlab-frame"><table>…</table><div>86,400 rows × 11 columns</div></div>'
 */
export function frameHtml(df: DataFrame, options: FrameHtmlOptions = {}): string {
  const maxRows = options.maxRows ?? 20;
  assertInteger("DataFrame HTML", "maxRows", maxRows, 2);
  const digits = options.digits ?? 8;
  const [n, m] = df.shape;
  const columns = df.columns.map(String);
  const { head, tail } = rowsToShow(n, maxRows);
  const values = df.values as unknown[][];
  const index = df.index as unknown[];
  const row = (i: number): string =>
    `<tr><th>${escapeHtml(cell(index[i], digits))}</th>${(values[i] ?? []).map((v) => `<td>${escapeHtml(cell(v, digits))}</td>`).join("")}</tr>`;
  const body: string[] = [];
  for (let i = 0; i < head; i++) body.push(row(i));
  if (tail > 0) {
    body.push(`<tr><th>…</th>${columns.map(() => "<td>…</td>").join("")}</tr>`);
    for (let i = n - tail; i < n; i++) body.push(row(i));
  }
  return (
    `<div class="pairlab-frame" style="overflow-x:auto;font-size:12px">` +
    (options.caption ? `<div style="font-weight:bold;margin-bottom:2px">${escapeHtml(options.caption)}</div>` : "") +
    `<table class="dataframe" border="1" style="border-collapse:collapse">` +
    `<thead><tr style="text-align:right"><th></th>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead>` +
    `<tbody>${body.join("")}</tbody></table>` +
    `<div>${n.toLocaleString("en-US")} rows × ${m} columns</div></div>`
  );
}

/**
 * A plain-text table (index first) of the same rows as {@link frameHtml} (the `text/plain` of the bundle). O(maxRows × columns).
 */
export function frameText(df: DataFrame, options: FrameHtmlOptions = {}): string {
  const maxRows = options.maxRows ?? 20;
  assertInteger("DataFrame text", "maxRows", maxRows, 2);
  const digits = options.digits ?? 8;
  const [n, m] = df.shape;
  const { head, tail } = rowsToShow(n, maxRows);
  const values = df.values as unknown[][];
  const index = df.index as unknown[];
  const line = (i: number): string => [cell(index[i], digits), ...(values[i] ?? []).map((v) => cell(v, digits))].join("  ");
  const lines = [["", ...df.columns.map(String)].join("  ")];
  for (let i = 0; i < head; i++) lines.push(line(i));
  if (tail > 0) {
    lines.push("…");
    for (let i = n - tail; i < n; i++) lines.push(line(i));
  }
  lines.push(`[${n} rows × ${m} columns]`);
  return (options.caption ? options.caption + "\n" : "") + lines.join("\n");
}

/** The DataFrame as a notebook MIME bundle (`text/html` table + `text/plain`). */
export function frameBundle(df: DataFrame, options: FrameHtmlOptions = {}): MimeBundle {
  return { "text/html": frameHtml(df, options), "text/plain": frameText(df, options) };
}
