import { escapeHtml, htmlBundle, type MimeBundle } from "./mime-bundle";

/** One alert row (an `AlertEvent` fits). */
export interface AlertRowLike {
  id: string;
  ruleName: string;
  key: string;
  barTime: number;
  barClosed: boolean;
  firedAt: number;
  value: number;
  message: string;
  simulated: boolean;
}

/** One rule row (a `RuleStatus` fits). */
export interface RuleRowLike {
  id: string;
  kind: string;
  frequency: string;
  status: string;
  value: number;
  fired: number;
  suppressed: number;
}

/** One delivery row (a `DeliveryRecord` fits). Never holds a secret. */
export interface DeliveryRowLike {
  id: string;
  target: string;
  outcome: string;
  attempts: number;
  latencyMs: number;
  error: string;
}

/** What {@link alertPanelBundle} shows. */
export interface AlertPanelInput {
  /** Recent alerts, newest last (only the last `maxRows` are shown, newest first). */
  alerts: readonly AlertRowLike[];
  rules?: readonly RuleRowLike[];
  deliveries?: readonly DeliveryRowLike[];
  /** Delivery counters (an `OutboxStats` fits). */
  delivery?: { delivered: number; failed: number; pending: number; retries: number; latencyP99Ms: number };
  /** Target names (never URLs). */
  targets?: readonly string[];
  /** Label the panel SIMULATED. */
  simulated: boolean;
  /** Rows per table (default 10). */
  maxRows?: number;
  /** Snapshot time, epoch ms (default now). */
  updatedAt?: number;
}

const utc = (t: number): string => (Number.isFinite(t) ? new Date(t).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "–");
const num = (v: number, d = 3): string => (Number.isFinite(v) ? v.toFixed(d) : "–");
const TABLE = `style="border-collapse:collapse;text-align:left;margin:2px 0 6px 0"`;
const CELL = `style="padding:1px 8px;border-bottom:1px solid #e2e8f0"`;

function table(head: string[], rows: string[][]): string {
  return (
    `<table ${TABLE}><thead><tr>${head.map((h) => `<th ${CELL}>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c) => `<td ${CELL}>${escapeHtml(c)}</td>`).join("")}</tr>`).join("") +
    `</tbody></table>`
  );
}

/**
 * The live alert panel: rules (status, latest value, fired/suppressed), the latest alerts (newest first)
 * and webhook deliveries (outcome, attempts, latency), with delivery counters, target names and a
 * SIMULATED badge. Every value is HTML-escaped; no URL or token is ever part of the input types. HTML and a
 * plain-text alternative (which also says SIMULATED). Feed it to `liveDisplay().show(...)` for in-place
 * updates. O(rules + maxRows).
 * @example alertPanelBundle({ alerts: run.alerts(), rules: run.status().engine.rules, deliveries: run.deliveries(), delivery: run.status().delivery, simulated: true })
 */
export function alertPanelBundle(input: AlertPanelInput): MimeBundle {
  const max = input.maxRows ?? 10;
  const sim = input.simulated || input.alerts.some((a) => a.simulated);
  const badge = sim ? ` <span style="background:#b45309;color:#fff;border-radius:3px;padding:1px 6px;font-size:12px">SIMULATED</span>` : "";
  const alerts = input.alerts.slice(-max).reverse();
  const d = input.delivery;
  const header =
    `<b>pairlab alerts</b>${badge} — updated ${escapeHtml(utc(input.updatedAt ?? Date.now()))}` +
    (d ? ` · delivered <b>${d.delivered}</b>, pending ${d.pending}, failed ${d.failed}, retries ${d.retries}, p99 ${escapeHtml(num(d.latencyP99Ms, 1))} ms` : "") +
    (input.targets ? ` · targets ${escapeHtml(input.targets.length > 0 ? input.targets.join(", ") : "none configured")}` : "");
  const parts = [`<div style="margin-bottom:4px">${header}</div>`];
  if (input.rules) {
    parts.push(table(["rule", "kind", "frequency", "status", "value", "fired", "suppressed"], input.rules.map((r) => [r.id, r.kind, r.frequency, r.status, num(r.value, 4), String(r.fired), String(r.suppressed)])));
  }
  parts.push(
    alerts.length === 0
      ? `<div style="color:#64748b">no alert yet</div>`
      : table(["bar (UTC)", "rule", "signal", "value", "message"], alerts.map((a) => [utc(a.barTime) + (a.barClosed ? "" : " (intra-bar)"), a.ruleName, a.key, num(a.value, 4), (a.simulated ? "[SIMULATED] " : "") + a.message])),
  );
  if (input.deliveries && input.deliveries.length > 0) {
    parts.push(table(["alert id", "target", "outcome", "attempts", "latency ms", "error"], input.deliveries.slice(-max).reverse().map((r) => [r.id, r.target, r.outcome, String(r.attempts), num(r.latencyMs, 1), r.error])));
  }
  const html = `<div class="pairlab-alerts" style="font-family:sans-serif;font-size:13px;border:1px solid #cbd5e1;border-radius:4px;padding:6px 10px;display:inline-block">${parts.join("")}</div>`;
  const text = [
    `pairlab alerts${sim ? " — SIMULATED" : ""} — ${utc(input.updatedAt ?? Date.now())}${d ? ` — delivered ${d.delivered}, pending ${d.pending}, failed ${d.failed}` : ""}`,
    ...(input.rules ?? []).map((r) => `  rule ${r.id} (${r.kind}, ${r.frequency}): ${r.status}, value ${num(r.value, 4)}, fired ${r.fired}`),
    ...alerts.map((a) => `  ${utc(a.barTime)} ${a.ruleName} ${a.key}: ${a.simulated ? "[SIMULATED] " : ""}${a.message}`),
  ].join("\n");
  return htmlBundle(html, text);
}

/**
 * The alert log as a table (e.g. `AlertLog.read(path).alerts`): newest first, at most `maxRows` (default
 * 50), with the id receivers deduplicate on. Escaped HTML plus plain text. O(maxRows).
 * @example alertLogBundle(AlertLog.read(run.engine.logPath).alerts)
 */
export function alertLogBundle(alerts: readonly AlertRowLike[], options: { maxRows?: number } = {}): MimeBundle {
  const rows = alerts.slice(-(options.maxRows ?? 50)).reverse();
  const sim = alerts.some((a) => a.simulated);
  const html =
    `<div class="pairlab-alert-log" style="font-family:sans-serif;font-size:13px"><div><b>alert log</b> — ${alerts.length} alert${alerts.length === 1 ? "" : "s"}${sim ? " (SIMULATED data)" : ""}, newest first</div>` +
    table(["fired (UTC)", "bar (UTC)", "rule", "signal", "value", "message", "id"], rows.map((a) => [utc(a.firedAt), utc(a.barTime), a.ruleName, a.key, num(a.value, 4), (a.simulated ? "[SIMULATED] " : "") + a.message, a.id])) +
    `</div>`;
  const text = [`alert log — ${alerts.length} alerts${sim ? " (SIMULATED data)" : ""}`, ...rows.map((a) => `  ${utc(a.firedAt)} ${a.id}: ${a.simulated ? "[SIMULATED] " : ""}${a.message}`)].join("\n");
  return htmlBundle(html, text);
}
