import { InsufficientDataError } from "../errors";
import { escapeHtml, htmlBundle, type MimeBundle } from "./mime-bundle";
import { insufficientDataBundle, insufficientDataMessage, warningBundle, type InsufficientDataContext } from "./warning";

/** Critical values keyed by level ("1%", "5%", "10%"), or in that order as an array. */
export type CriticalValuesLike = { "1%": number; "5%": number; "10%": number } | ArrayLike<number>;

/** The fields of an ADF result the panel shows (stationarity's `adfTest` result fits). */
export interface AdfLike {
  statistic: number;
  pValue: number;
  usedLag: number;
  nobs: number;
  criticalValues: CriticalValuesLike;
  icBest?: number;
  regression?: string;
  interpretation?: string;
}

/** The fields of an Engle-Granger result the panel shows (stationarity's `engleGranger` result fits). */
export interface EngleGrangerLike {
  statistic: number;
  pValue: number;
  criticalValues: CriticalValuesLike;
  hedgeRatio: number;
  interpretation?: string;
}

function num(v: number | undefined, digits = 4): string {
  return v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);
}

function criticalRows(cv: CriticalValuesLike): [string, number][] {
  if (typeof (cv as ArrayLike<number>).length === "number") {
    const labels = ["1%", "5%", "10%"];
    return Array.from(cv as ArrayLike<number>, (v, i): [string, number] => [labels[i] ?? String(i), v]);
  }
  const keyed = cv as { "1%": number; "5%": number; "10%": number };
  return [["1%", keyed["1%"]], ["5%", keyed["5%"]], ["10%", keyed["10%"]]];
}

function panel(title: string, rows: [string, string][], interpretation: string | undefined, simulated: boolean): MimeBundle {
  const label = simulated ? " — SIMULATED" : "";
  const html =
    `<div class="pairlab-stationarity" style="font-family:sans-serif;font-size:13px">` +
    `<b>${escapeHtml(title + label)}</b>` +
    `<table style="border-collapse:collapse;margin-top:4px">${rows.map(([k, v]) => `<tr><th style="text-align:left;padding-right:12px">${escapeHtml(k)}</th><td style="text-align:right">${escapeHtml(v)}</td></tr>`).join("")}</table>` +
    (interpretation ? `<div style="margin-top:4px">${escapeHtml(interpretation)}</div>` : "") +
    `</div>`;
  const text = [title + label, ...rows.map(([k, v]) => `  ${k}: ${v}`), ...(interpretation ? [interpretation] : [])].join("\n");
  return htmlBundle(html, text);
}

/**
 * ADF result as a small table: statistic, p-value, lags used, observations, critical values (1/5/10 %),
 * information criterion, regression and the interpretation sentence. O(1).
 * @example show(adfBundle(adfTest(spread), { series: "spread" }))
 */
export function adfBundle(result: AdfLike, options: { series?: string; simulated?: boolean } = {}): MimeBundle {
  const rows: [string, string][] = [
    ["ADF statistic", num(result.statistic)],
    ["p-value", num(result.pValue)],
    ["lags used", String(result.usedLag)],
    ["observations", String(result.nobs)],
    ...criticalRows(result.criticalValues).map(([k, v]): [string, string] => [`critical value ${k}`, num(v)]),
  ];
  if (result.icBest !== undefined) rows.push(["best information criterion", num(result.icBest)]);
  if (result.regression !== undefined) rows.push(["regression", result.regression]);
  return panel(`Augmented Dickey-Fuller test${options.series ? ` on ${options.series}` : ""}`, rows, result.interpretation, Boolean(options.simulated));
}

/**
 * Engle-Granger cointegration result as a table: statistic, p-value, critical values, hedge ratio and
 * the interpretation. O(1).
 * @example show(engleGrangerBundle(engleGranger(y, x), { pair: "BTCUSDT ~ ETHUSDT" }))
 */
export function engleGrangerBundle(result: EngleGrangerLike, options: { pair?: string; simulated?: boolean } = {}): MimeBundle {
  const rows: [string, string][] = [
    ["test statistic", num(result.statistic)],
    ["p-value", num(result.pValue)],
    ...criticalRows(result.criticalValues).map(([k, v]): [string, string] => [`critical value ${k}`, num(v)]),
    ["hedge ratio β", num(result.hedgeRatio, 6)],
  ];
  return panel(`Engle-Granger cointegration test${options.pair ? ` (${options.pair})` : ""}`, rows, result.interpretation, Boolean(options.simulated));
}

/**
 * Runs `compute` and returns its bundle; if it throws {@link InsufficientDataError}, returns the
 * insufficient-data warning instead (with how long the missing data take), so an on-demand test never
 * raises in the notebook. Other errors become a warning with their message. When the context gives
 * `needed` and `got` and `got < needed`, the warning is returned without computing — for a policy
 * minimum stricter than the estimator's (e.g. the notebooks run ADF only from 50 observations, where
 * the test starts to have power). O(compute).
 * @example show(bundleOrWarning(() => adfBundle(adfTest(x)), { what: "ADF on the spread", unit: "bars", secondsPerUnit: 1, needed: 50, got: x.length }))
 */
export function bundleOrWarning(
  compute: () => MimeBundle,
  context: Omit<InsufficientDataContext, "needed" | "got"> & { needed?: number; got?: number },
): MimeBundle {
  if (context.needed !== undefined && context.got !== undefined && context.got < context.needed) {
    return warningBundle(insufficientDataMessage({ ...context, needed: context.needed, got: context.got }));
  }
  try {
    return compute();
  } catch (error) {
    if (error instanceof InsufficientDataError) return insufficientDataBundle(error, context);
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return warningBundle(`${context.what} could not be computed: ${message}`);
  }
}
