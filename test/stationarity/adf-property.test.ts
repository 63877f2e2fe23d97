import { describe, expect, it } from "vitest";
import { normalFrom, seededRandom } from "../../bench/harness";
import { adfTest, householderCandidates, householderStatistic } from "../../src/stationarity/adf";
import type { Regression } from "../../src/stationarity/mackinnon";

/**
 * Seeded randomised comparison of adfTest (cross-product fast path) with a slow exact ADF built only from
 * Householder QR fits (every candidate, then the refit): same lag choice, statistic within 1e-9 relative.
 */
const REGRESSIONS: Regression[] = ["c", "ct", "ctt", "n"];
const AUTOLAGS = ["AIC", "BIC", "t-stat"] as const;

function slowAdf(x: Float64Array, regression: Regression, autolag: (typeof AUTOLAGS)[number], maxlag: number): { usedLag: number; statistic: number } {
  const cands = householderCandidates(x, regression, maxlag);
  let usedLag: number;
  if (autolag === "t-stat") {
    usedLag = 0;
    for (let i = cands.length - 1; i >= 0; i--) {
      usedLag = i;
      if (Math.abs(cands[i].tLast) >= 1.6448536269514722) break;
    }
  } else {
    const v = cands.map((c) => (autolag === "AIC" ? c.aic : c.bic));
    usedLag = v.indexOf(Math.min(...v));
  }
  return { usedLag, statistic: householderStatistic(x, regression, usedLag) };
}

describe("adfTest vs a slow exact Householder ADF (seeded random series)", () => {
  it("adfTest(random AR/price series, every regression x autolag) picks the same lag and statistic (1e-9 relative) in 100 seeded cases", () => {
    const u = seededRandom(424242);
    const z = normalFrom(u);
    let cases = 0;
    for (let k = 0; k < 100; k++) {
      const n = 30 + Math.floor(u() * 3000);
      const phi = [0.3, 0.9, 0.99, 1][Math.floor(u() * 4)];
      const a1 = u() * 0.8 - 0.4;
      const level = [1, 1e2, 1e5][Math.floor(u() * 3)];
      // Every 5th case integrates once or twice more (I(2)/I(3)-like, ill-conditioned lag columns).
      const extra = k % 5 === 4 ? 1 + (k % 2) : 0;
      const x = new Float64Array(n);
      let v = 0;
      let d = 0;
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        d = a1 * d + z();
        v = phi * v + d;
        s1 += v;
        s2 += s1;
        const w = extra === 0 ? v : extra === 1 ? s1 / 100 : s2 / 1e4;
        x[i] = level + w * (level / 100);
      }
      const regression = REGRESSIONS[k % 4];
      const autolag = AUTOLAGS[Math.floor(k / 4) % 3];
      const r = adfTest(x, { regression, autolag });
      const slow = slowAdf(x, regression, autolag, r.maxlag);
      const label = `case ${k}: n=${n} extra=${extra} phi=${phi} a1=${a1.toFixed(2)} level=${level} ${regression}/${autolag}`;
      expect(r.usedLag, label).toBe(slow.usedLag);
      expect(Math.abs(r.statistic - slow.statistic) / Math.abs(slow.statistic), label).toBeLessThan(1e-9);
      cases++;
    }
    expect(cases).toBe(100);
  });
});
