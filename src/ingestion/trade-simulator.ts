import { hashString, mulberry32 } from "../seeded-random";
import { assertFiniteNumber, assertInteger } from "../validate";
import { parameterRangeError } from "../errors";
import { universeLegFor, type UniverseLeg } from "./universe-model";

/** Options of {@link TradeSimulator}. */
export interface TradeSimulatorOptions {
  /** Lower-case symbols. With `pair` (default true) the first is BTC-like, the second its ETH-like partner. */
  symbols: string[];
  /** PRNG seed (default 1). Same seed, same options, same start → same trades. */
  seed?: number;
  /** Mean trades per second per symbol (Poisson arrivals; default 10). */
  rate?: number;
  /** Epoch ms where the simulation starts. */
  startTime: number;
  /** Treat symbols[0]/symbols[1] as a cointegrated pair (default true). */
  pair?: boolean;
  /** Hedge ratio β of the pair: second = β·first + spread (default 0.03, i.e. 3,000 vs 100,000). */
  beta?: number;
  /** Start price of the first symbol (default 100,000). */
  basePrice?: number;
  /** Ids are `idBase + 1, idBase + 2, …` per symbol (default 0). The demo exchange uses {@link demoTradeIdBase}. */
  idBase?: number;
}

/**
 * The demo exchange's first trade id − 1 for a tape that starts at `startTime`: `floor(startTime) × 1000`, so two
 * demo sessions recorded into one archive never share ids unless one made over 1,000 trades per ms of the time
 * between their starts (and the same start with the same seed is the same tape, so equal ids are equal trades).
 * Ids stay exact doubles (below 2^53) up to the year 2255; a negative or later start gives 0. O(1).
 *
 * @example
 * demoTradeIdBase(Date.UTC(2026, 11, 7)); // 1796601600000000: the first trade is 1796601600000001
 * demoTradeIdBase(0);                     // 0: ids 1, 2, …
 */
export function demoTradeIdBase(startTime: number): number {
  const ms = Math.floor(startTime);
  return ms >= 0 && ms <= 9e12 ? ms * 1000 : 0;
}

/** Receives one simulated trade; `index` is the symbol's position in `symbols`. */
export type TradeSink = (index: number, id: number, time: number, price: number, qty: number, buyerIsMaker: boolean) => void;

// The demo generator and hash live in the foundation (src/seeded-random.ts); re-exported here for existing callers.
export { mulberry32, hashString } from "../seeded-random";

/** Per-√second volatility of the BTC-like log price (≈ 1.2 %/√h: lively but plausible). */
const SIGMA_BTC = 2e-4;
/** Mean-reversion speed of the spread, 1/s (half-life ln2/θ ≈ 3.5 min). */
const THETA = 1 / 300;
/** Stationary standard deviation of the spread, in quote currency (≈ 0.2 % of an ETH-like price). */
const SPREAD_SD = 6;

/**
 * A seeded generator of plausible trades for the demo exchange. Model (continuous time, advanced exactly
 * between events):
 * - BTC-like (symbols[0]): log price random walk with fat-tailed increments (Student-t, ν = 4, scaled to
 *   unit variance) of volatility 2e-4 per √s; price tick 0.1.
 * - ETH-like (symbols[1]): `β·BTC + S`, S an Ornstein-Uhlenbeck spread (θ = 1/300 s⁻¹, stationary sd 6),
 *   updated with the exact OU transition; tick 0.01. The pair is cointegrated with vector (1, −β) by construction.
 * - Any other symbol: an independent Gaussian log random walk from a hash-derived price level.
 * Trade arrivals are independent Poisson processes (`rate` per symbol per second); times are integer ms;
 * quantities are log-normal. Ids are `idBase + 1, idBase + 2, …` per symbol, contiguous. O(1) per trade.
 *
 * @throws RangeError (E_PARAM) for non-finite options, rate ≤ 0 or an empty symbol list.
 * @example
 * const sim = new TradeSimulator({ symbols: ["btcusdt", "ethusdt"], seed: 7, rate: 5, startTime: 0 });
 * sim.advanceTo(1000, (i, id, t, p) => console.log(i, id, t, p)); // ≈ 10 trades in the first second
 */
export class TradeSimulator {
  readonly symbols: string[];
  private readonly rand: () => number;
  private readonly rate: number;
  /** First id − 1 of every symbol. */
  readonly idBase: number;
  private readonly pair: boolean;
  private readonly beta: number;
  private now: number;
  private readonly nextAt: Float64Array;
  private readonly ids: Float64Array;
  private readonly logPrice: Float64Array;
  private readonly tick: Float64Array;
  private spread = 0;
  private spareNormal = NaN;
  /** Symbols priced by the demo universe model (universe-model.ts; own seeded paths, this RNG untouched). */
  private readonly legs: (UniverseLeg | undefined)[];

  constructor(options: TradeSimulatorOptions) {
    const what = "TradeSimulator";
    if (!Array.isArray(options.symbols) || options.symbols.length === 0) throw parameterRangeError(what, "symbols", "a non-empty array", options.symbols);
    const seed = options.seed ?? 1;
    assertInteger(what, "seed", seed, -(2 ** 31), 2 ** 32);
    this.rate = options.rate ?? 10;
    assertFiniteNumber(what, "rate", this.rate);
    if (this.rate <= 0) throw parameterRangeError(what, "rate", "a number > 0 (trades per second per symbol)", this.rate);
    assertFiniteNumber(what, "startTime", options.startTime);
    this.idBase = options.idBase ?? 0;
    assertInteger(what, "idBase", this.idBase, 0, Number.MAX_SAFE_INTEGER);
    this.beta = options.beta ?? 0.03;
    assertFiniteNumber(what, "beta", this.beta);
    const base = options.basePrice ?? 100_000;
    assertFiniteNumber(what, "basePrice", base);
    this.symbols = [...options.symbols];
    this.pair = (options.pair ?? true) && this.symbols.length >= 2;
    this.rand = mulberry32(seed);
    this.now = options.startTime;
    const n = this.symbols.length;
    this.nextAt = new Float64Array(n);
    this.ids = new Float64Array(n).fill(this.idBase);
    this.logPrice = new Float64Array(n);
    this.tick = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.nextAt[i] = this.now + this.exponential();
      if (i === 0) {
        this.logPrice[i] = Math.log(base);
        this.tick[i] = 0.1;
      } else if (i === 1 && this.pair) {
        this.tick[i] = 0.01;
      } else {
        const h = hashString(this.symbols[i]);
        const level = Math.pow(10, -1 + ((h % 4000) / 1000)); // 0.1 … 1000
        this.logPrice[i] = Math.log(level);
        this.tick[i] = Math.pow(10, Math.floor(Math.log10(level)) - 4);
      }
    }
    this.legs = this.symbols.map((s, i) => (i < 2 && this.pair ? undefined : universeLegFor(s, this.now)));
    this.legs.forEach((leg, i) => leg !== undefined && (this.tick[i] = leg.tick));
  }

  /** Decimal places of a symbol's price tick (for formatting). */
  decimals(index: number): number {
    return Math.max(0, Math.round(-Math.log10(this.tick[index])));
  }

  /** Generates, in time order, every trade with time ≤ `untilMs` not generated yet. O(k) for k trades. */
  advanceTo(untilMs: number, sink: TradeSink): void {
    const n = this.symbols.length;
    for (;;) {
      let i = 0;
      for (let j = 1; j < n; j++) if (this.nextAt[j] < this.nextAt[i]) i = j;
      const at = this.nextAt[i];
      if (at > untilMs) break;
      this.evolve((at - this.now) / 1000);
      this.now = at;
      this.nextAt[i] = at + this.exponential();
      const id = ++this.ids[i];
      const t = this.tick[i];
      const leg = this.legs[i];
      const raw = leg !== undefined ? leg.price(at) : this.pair && i === 1 ? this.beta * Math.exp(this.logPrice[0]) + this.spread : Math.exp(this.logPrice[i]);
      const bounce = this.rand() < 0.5 ? -t : 0; // bid/ask bounce of one tick
      const price = Math.max(t, Math.round(raw / t) * t + bounce);
      const qtyScale = i === 0 ? 0.05 : i === 1 && this.pair ? 1 : 10;
      const qty = Math.max(0.001, Math.round(qtyScale * Math.exp(this.normal()) * 1000) / 1000);
      sink(i, id, Math.floor(at), Number(price.toFixed(this.decimals(i))), qty, bounce < 0);
    }
  }

  private evolve(dt: number): void {
    if (dt <= 0) return;
    const sq = Math.sqrt(dt);
    this.logPrice[0] += SIGMA_BTC * sq * this.studentT4();
    if (this.pair) {
      const decay = Math.exp(-THETA * dt);
      this.spread = this.spread * decay + SPREAD_SD * Math.sqrt(1 - decay * decay) * this.normal();
    }
    for (let j = this.pair ? 2 : 1; j < this.symbols.length; j++) this.logPrice[j] += 1.5 * SIGMA_BTC * sq * this.normal();
  }

  private exponential(): number {
    return (-Math.log(1 - this.rand()) / this.rate) * 1000;
  }

  private normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const v = this.spareNormal;
      this.spareNormal = NaN;
      return v;
    }
    const u = 1 - this.rand();
    const v = this.rand();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Student-t with 4 degrees of freedom scaled to unit variance (Var t_ν = ν/(ν−2) = 2). */
  private studentT4(): number {
    let chi = 0;
    for (let k = 0; k < 4; k++) {
      const z = this.normal();
      chi += z * z;
    }
    return this.normal() / Math.sqrt(chi / 4) / Math.SQRT2;
  }
}
