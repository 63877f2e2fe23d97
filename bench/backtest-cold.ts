/**
 * The first five calls of the backtest's hot stages (rolling OLS + spread, rolling z-score) in a fresh process — the
 * usual case in a notebook, where V8 has optimised nothing yet — with the JS kernels (`js`) or the WebAssembly stages
 * (`wasm`, including compiling the module on the first call). Prints the CPU ms of each call as a JSON array (process
 * CPU: includes V8's background compiler threads). Run by bench/backtest.bench.ts:
 * node --import tsx bench/backtest-cold.ts js|wasm
 */
import { rollingZScore } from "../src/analytics/rolling-zscore";
import { hedgeSpreadKernel } from "../src/backtest/hedge-spread";
import { wasmHedgeSignal } from "../src/backtest/wasm-stages";
import { dayOfBars } from "./backtest-bars";

const mode = process.argv[2];
if (mode !== "js" && mode !== "wasm") throw new RangeError(`bench/backtest-cold.ts: mode must be "js" or "wasm", got ${JSON.stringify(mode)}`);
const n = 86_400;
const { y, x } = dayOfBars(n);
const closeY = y.close as Float64Array, closeX = x.close as Float64Array;
const cpuMs: number[] = [];
for (let k = 0; k < 5; k++) {
  const c0 = process.cpuUsage();
  if (mode === "wasm") {
    if (wasmHedgeSignal(closeY, closeX, 600, 300) === null) throw new Error("bench/backtest-cold.ts: WebAssembly SIMD unavailable");
  } else {
    const beta = new Float64Array(n), spread = new Float64Array(n);
    hedgeSpreadKernel(closeY, closeX, 600, beta, spread);
    rollingZScore(spread, 300);
  }
  const c = process.cpuUsage(c0);
  cpuMs.push((c.user + c.system) / 1000);
}
console.log(JSON.stringify(cpuMs));
