/**
 * Universe benchmarks (issue 13), ours and the reference on the same data in the same run:
 * - screenPairs over 50 symbols × 1,440 one-minute bars (1,225 pairs, every statistic of the row: Engle-Granger both
 *   ways, ADF of the spread, half-life, Hurst, crossings, correlation, Holm/BH), single thread and with worker threads,
 *   against statsmodels `coint(a, b)` in a Python loop over the same 1,225 pairs (one direction: less work than our row).
 * - johansenTest vs statsmodels `coint_johansen` for 3 and 6 series of 10,000 points (kArDiff 1 and 2), with its
 *   default WebAssembly SIMD kernels; the note gives the time of the JS kernels too ({ kernels: "js" }).
 * - kalmanHedge over 86,400 bars vs a NumPy loop of the same recursion (scripts/fixtures/universe.py's kalman_numpy).
 * Run: npx tsx bench/universe.bench.ts   (or npm run bench -- universe).
 * Only some rows: UNIVERSE_BENCH=johansen npx tsx bench/universe.bench.ts (comma-separated among screen, johansen,
 * kalman; default all).
 */
import { cpus, loadavg } from "node:os";
import { normalFrom, report, runPythonReference, seededRandom, timeIt } from "./harness";
import { johansenTest, kalmanHedge, screenPairs, screenPairsParallel } from "../src/universe";

/** N log random walks of n bars; every 10th symbol is a cointegrated follower of the previous one (5 true pairs). */
function universe(N: number, n: number, seed: number): Float64Array[] {
  const z = normalFrom(seededRandom(seed));
  const out: Float64Array[] = [];
  for (let k = 0; k < N; k++) {
    const x = new Float64Array(n);
    if (k % 10 === 9) {
      const lead = out[k - 1];
      let s = 0;
      for (let t = 0; t < n; t++) {
        s = 0.9 * s + 0.0003 * lead[0] * z();
        x[t] = 0.5 * lead[t] + 0.1 * lead[0] + s;
      }
    } else {
      let p = Math.log(10 + 1000 * ((k * 0.37) % 1));
      for (let t = 0; t < n; t++) x[t] = Math.exp((p += 1e-3 * z()));
    }
    out.push(x);
  }
  return out;
}

/**
 * Best process CPU time (user + system, all threads of this process) of `repeats` runs after `warmup`, ms. Other
 * agents load this machine: wall-clock time then includes waiting for a core, CPU time does not.
 */
function cpuTimeIt(fn: () => unknown, repeats: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) fn();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  return best;
}

/**
 * Best wall-clock time (ms) of `fn` over `windows` windows of `repeats` runs (after `warmup` runs), the windows
 * `gapMs` apart, plus each window's best. One window of 50 runs of a 0.3 ms function lasts ~20 ms: a burst of load
 * from other processes on this shared 2-core machine can cover all of it, and best-of-50 then measures the burst
 * (issue 13: 565 µs for 6 × 10,000 kArDiff 1 in one full run, ~310 µs otherwise, same CPU time 0.46 ms). Spread over
 * ~0.5 s, a burst no longer decides the row; each window's best is printed so a slow one stays visible.
 */
async function spreadTimeIt(fn: () => unknown, windows: number, repeats: number, warmup: number, gapMs: number): Promise<{ best: number; perWindow: number[] }> {
  const perWindow: number[] = [];
  for (let w = 0; w < windows; w++) {
    if (w > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    perWindow.push(timeIt(fn, repeats, w === 0 ? warmup : 1));
  }
  return { best: Math.min(...perWindow), perWindow };
}

const ONLY = (process.env.UNIVERSE_BENCH ?? "screen,johansen,kalman").split(",").map((s) => s.trim());

async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((v) => v.toFixed(2)).join(", ")} on ${cpus().length} cores`);
  // ---- screenPairs
  if (ONLY.includes("screen")) {
    const N = 50;
    const n = 1440;
    const series = universe(N, n, 13);
    const flat = new Float64Array(N * n);
    series.forEach((s, k) => flat.set(s, k * n));
    const ref = runPythonReference(
      `
import statsmodels, warnings
from statsmodels.tsa.stattools import coint
warnings.simplefilter("ignore")
S = flat.reshape(${N}, ${n})
stats = []
t0 = time.perf_counter()
c0 = time.process_time()
for i in range(${N}):
    for j in range(i + 1, ${N}):
        stats.append(coint(S[i], S[j], trend="c", autolag="aic")[0])
ms = (time.perf_counter() - t0) * 1000
cpu_ms = (time.process_time() - c0) * 1000
print(json.dumps({"ms": ms, "cpu_ms": cpu_ms, "stats": [float(v) for v in stats], "version": statsmodels.__version__}))
`,
      { flat },
    ) as { ms: number; cpu_ms: number; stats: number[]; version: string };
    const result = screenPairs(series);
    // Accuracy: our a-on-b statistic (the kept one or the reverse) against statsmodels' coint(a, b).
    let worst = 0;
    let k = 0;
    for (let i = 0; i < N; i++) {
      for (let j = i + 1; j < N; j++, k++) {
        const row = result.rows.find((r) => (r.yIndex === i && r.xIndex === j) || (r.yIndex === j && r.xIndex === i));
        if (!row) continue;
        const ab = row.yIndex === i ? row.egStatistic : row.egStatisticReverse;
        worst = Math.max(worst, Math.abs(ab - ref.stats[k]) / Math.abs(ref.stats[k]));
      }
    }
    const passing = result.rows.filter((r) => r.passes).length;
    const passingBH = screenPairs(series, { pValueFilter: "bh" }).rows.filter((r) => r.passes);
    const trueFound = passingBH.filter((r) => Math.max(r.yIndex, r.xIndex) % 10 === 9 && Math.abs(r.yIndex - r.xIndex) === 1).length;
    const oursMs = timeIt(() => screenPairs(series), 3, 1);
    const oursCpu = cpuTimeIt(() => screenPairs(series), 3, 0);
    report({
      case: `screenPairs 50 symbols x 1,440 bars (1,225 pairs, full rows), 1 thread`,
      oursMs,
      referenceMs: ref.ms,
      reference: `statsmodels ${ref.version} coint loop (1 direction)`,
      goal: 50,
      note: `target <= 1 s: ${oursMs <= 1000 ? "met" : "NOT met"}; process CPU time ours ${oursCpu.toFixed(0)} ms, statsmodels ${ref.cpu_ms.toFixed(0)} ms (CPU ratio ${(ref.cpu_ms / oursCpu).toFixed(1)}x); EG statistic max rel diff vs coint ${worst.toExponential(1)}; ${passing} rows pass the filters with raw p-values, ${passingBH.length} with BH-adjusted ones (${trueFound} of the 5 pairs cointegrated by construction among them)`,
    });
    for (const workers of [2, 4]) {
      let best = Infinity;
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        const par = await screenPairsParallel(series, { workers });
        best = Math.min(best, performance.now() - t0);
        if (par.rows.length !== result.rows.length || par.rows.some((row, i) => row.egStatistic !== result.rows[i].egStatistic)) throw new Error("parallel rows differ");
      }
      report({
        case: `screenPairsParallel 50 x 1,440, ${workers} threads (incl. worker start-up)`,
        oursMs: best,
        referenceMs: ref.ms,
        reference: `statsmodels ${ref.version} coint loop (1 direction)`,
        goal: 50,
        note: `target <= 1 s: ${best <= 1000 ? "met" : "NOT met"}; rows identical to the 1-thread screen`,
      });
    }
  }

  // ---- johansenTest
  for (const m of ONLY.includes("johansen") ? [3, 6] : []) {
    for (const k of [1, 2]) {
      const n = 10_000;
      const z = normalFrom(seededRandom(100 + m));
      const series: Float64Array[] = [];
      for (let j = 0; j < m; j++) {
        const x = new Float64Array(n);
        let p = 100 * (j + 1);
        for (let t = 0; t < n; t++) x[t] = j === m - 1 ? 0.5 * series[0][t] + 0.3 * series[1][t] + 2 * z() : (p += z());
        series.push(x);
      }
      const flat = new Float64Array(m * n);
      series.forEach((s, j) => flat.set(s, j * n));
      const ref = runPythonReference(
        `
import statsmodels
from statsmodels.tsa.vector_ar.vecm import coint_johansen
X = flat.reshape(${m}, ${n}).T
best = float("inf")
best_cpu = float("inf")
for _ in range(20):
    t0 = time.perf_counter()
    c0 = time.process_time()
    r = coint_johansen(X, 0, ${k})
    best = min(best, (time.perf_counter() - t0) * 1000)
    best_cpu = min(best_cpu, (time.process_time() - c0) * 1000)
print(json.dumps({"ms": best, "cpu_ms": best_cpu, "eig": r.eig.tolist(), "lr1": r.lr1.tolist(), "version": statsmodels.__version__}))
`,
        { flat },
      ) as { ms: number; cpu_ms: number; eig: number[]; lr1: number[]; version: string };
      const ours = johansenTest(series, { detOrder: 0, kArDiff: k });
      const oursCpu = cpuTimeIt(() => johansenTest(series, { detOrder: 0, kArDiff: k }), 50, 10);
      const eigRel = Math.max(...ref.eig.map((e, i) => Math.abs(ours.eigenvalues[i] - e) / ref.eig[0]));
      const trRel = Math.max(...ref.lr1.map((e, i) => Math.abs(ours.traceStatistic[i] - e) / Math.abs(e)));
      const jsMs = timeIt(() => johansenTest(series, { detOrder: 0, kArDiff: k, kernels: "js" }), 50, 10);
      const wall = await spreadTimeIt(() => johansenTest(series, { detOrder: 0, kArDiff: k }), 5, 20, 10, 100);
      report({
        case: `johansenTest ${m} series x 10,000, detOrder 0, kArDiff ${k}`,
        oursMs: wall.best,
        referenceMs: ref.ms,
        reference: `statsmodels ${ref.version} coint_johansen`,
        goal: 20,
        note: `best of 5 windows x 20 runs, 100 ms apart (each window's best: ${wall.perWindow.map((v) => (v * 1000).toFixed(0)).join(", ")} µs); JS kernels ${(jsMs * 1000).toFixed(0)} µs (${(ref.ms / jsMs).toFixed(1)}x); process CPU time ours ${oursCpu.toFixed(2)} ms, statsmodels ${ref.cpu_ms.toFixed(2)} ms (CPU ratio ${(ref.cpu_ms / oursCpu).toFixed(1)}x, Python's includes BLAS threads); eigenvalues max diff / λ₀ ${eigRel.toExponential(1)}, trace statistics max rel diff ${trRel.toExponential(1)}, rank ${ours.rank}`,
      });
    }
  }

  // ---- kalmanHedge
  if (ONLY.includes("kalman")) {
    const n = 86_400;
    const z = normalFrom(seededRandom(77));
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    let p = Math.log(100_000);
    let s = 0;
    for (let t = 0; t < n; t++) {
      x[t] = Math.exp((p += 1e-4 * z()));
      s = 0.99 * s + 0.5 * z();
      y[t] = 0.03 * x[t] + 40 + s;
    }
    const ref = runPythonReference(
      `
import math
def kalman_numpy(y, x, delta=1e-4, ve=1e-3):
    n = len(y)
    vw = delta / (1 - delta) * np.eye(2)
    theta = np.zeros((2, 1))
    P = np.zeros((2, 2))
    beta = np.empty(n)
    for t in range(n):
        F = np.array([[x[t], 1.0]])
        R = P + vw if t > 0 else P
        yhat = (F @ theta)[0, 0]
        Q = (F @ R @ F.T)[0, 0] + ve
        e = y[t] - yhat
        K = R @ F.T / Q
        theta = theta + K * e
        P = R - K @ F @ R
        beta[t] = theta[0, 0]
    return beta
t0 = time.perf_counter()
b = kalman_numpy(y, x, 1e-4, 1e-3)
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"ms": ms, "beta": [float(v) for v in b[::997]], "version": np.__version__}))
`,
      { x, y },
    ) as { ms: number; beta: number[]; version: string };
    const ours = kalmanHedge(y, x);
    let worst = 0;
    ref.beta.forEach((b, k) => (worst = Math.max(worst, Math.abs(ours.beta[k * 997] - b) / Math.max(Math.abs(b), Number.MIN_VALUE))));
    report({
      case: "kalmanHedge 86,400 bars (defaults)",
      oursMs: timeIt(() => kalmanHedge(y, x), 10, 2),
      referenceMs: ref.ms,
      reference: `NumPy ${ref.version} loop`,
      goal: 50,
      note: `beta max rel diff (every 997th bar) ${worst.toExponential(1)}`,
    });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
