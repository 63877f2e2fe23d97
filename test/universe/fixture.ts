// Loads test/fixtures/universe.json (written by scripts/fixtures/universe.py with Debian's statsmodels 0.13.5).
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** JSON has no NaN/Infinity: the fixture script writes them as strings. */
export type Num = number | "NaN" | "Infinity" | "-Infinity";
export function num(v: Num): number {
  return typeof v === "number" ? v : v === "NaN" ? NaN : v === "Infinity" ? Infinity : -Infinity;
}

export interface JohansenCase {
  data: string;
  detOrder: -1 | 0 | 1;
  kArDiff: number;
  eig: number[];
  evec: number[][];
  lr1: number[];
  lr2: number[];
  cvt: number[][];
  cvm: number[][];
  nobs: number;
}

export interface ScreenFixtureRow {
  a: string;
  b: string;
  y: string;
  x: string;
  correlation: number;
  egStatistic: number;
  egPValue: number;
  egStatisticReverse: number;
  egPValueReverse: number;
  hedgeRatio: number;
  intercept: number;
  halfLifeBars: Num;
  hurst: number;
  meanCrossings: number;
  adfPValue: number;
  pValueHolm: number;
  pValueBH: number;
}

export interface UniverseFixture {
  versions: Record<string, string>;
  johansenData: Record<string, number[][]>;
  johansen: JohansenCase[];
  statsmodelsTests: {
    data: number[][];
    cases: { name: string; detOrder: -1 | 0 | 1; kArDiff: number; res1_m: number[][]; res2_m: number[][]; evec?: number[][]; eig_m?: number[] }[];
  };
  kalmanInput: { y: number[]; x: number[] };
  kalman: { options: Record<string, unknown>; beta: number[]; alpha: number[]; e: number[]; q: number[]; z: number[] }[];
  padjust: { p: number[]; holm: number[]; bh: number[] }[];
  hurstSeries: Record<string, number[]>;
  hurst: { series: string; maxLag: number; hurst: number; crossings: number }[];
  screenInput: Record<string, number[]>;
  screen: ScreenFixtureRow[];
}

export const fixture: UniverseFixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "universe.json"), "utf8")) as UniverseFixture;

/** max_i |a_i − b_i| / max(|b_i|, floor): relative error with a floor for values near 0. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 0): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
  return worst;
}
