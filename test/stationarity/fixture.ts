// Loads test/fixtures/stationarity.json (written by scripts/fixtures/stationarity.py with Debian's statsmodels).
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** JSON has no NaN/Infinity: the fixture script writes them as strings. */
export type Num = number | "NaN" | "Infinity" | "-Infinity";

export function num(v: Num): number {
  return typeof v === "number" ? v : v === "NaN" ? NaN : v === "Infinity" ? Infinity : -Infinity;
}

export interface AdfCase {
  series: string;
  regression: "c" | "ct" | "ctt" | "n";
  autolag: "AIC" | "BIC" | "t-stat" | null;
  maxlag: number | null;
  requestedMaxlag?: number | null;
  statistic?: Num;
  pValue?: number;
  usedLag?: number;
  nobs?: number;
  criticalValues?: Record<"1%" | "5%" | "10%", number>;
  icBest?: number | null;
  dfResid?: number;
  allIc?: number[];
  /** 40-digit (mpmath) statistic of the same regression, for ill-conditioned series (I(3), I(4)). */
  statisticExact?: number;
  /** 40-digit AIC of every candidate (I(4) series, regressions c and ct). */
  allIcExact?: number[];
  /** 40-digit icBest of the chosen candidate on the search sample. */
  icBestExact?: number;
  degenerate?: boolean;
  error?: string;
}

export interface CointCase {
  pair: string;
  trend: "c" | "ct" | "ctt" | "n";
  autolag: "AIC" | "BIC" | "t-stat" | null;
  maxlag?: number;
  statistic: Num;
  pValue: number;
  criticalValues: Record<"1%" | "5%" | "10%", Num>;
  hedgeRatio?: number;
  intercept?: number;
  hedgeRatioExact?: number;
  interceptExact?: number;
  rsquared?: number;
  usedLag?: number;
  nobs?: number;
  icBest?: number | null;
}

export interface StationarityFixture {
  versions: Record<string, string>;
  series: { name: string; x: number[] }[];
  adf: AdfCase[];
  pvalues: { regression: "c" | "ct" | "ctt" | "n"; N: number; stats: number[]; p: number[] }[];
  crit: { regression: "c" | "ct" | "ctt" | "n"; N: number; nobs: number; crit: number[] }[];
  pairs: { name: string; y: number[]; x: number[] }[];
  coint: CointCase[];
}

export const fixture: StationarityFixture = JSON.parse(
  readFileSync(join(__dirname, "..", "fixtures", "stationarity.json"), "utf8"),
) as StationarityFixture;

export function seriesByName(name: string): number[] {
  const s = fixture.series.find((v) => v.name === name);
  if (!s) throw new Error(`fixture series ${name} missing`);
  return s.x;
}

export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}
