/**
 * The demo exchange's universe price model: which demo symbols are cointegrated with which, by construction.
 *
 * - Factor symbols follow a log random walk `level·exp(f(t))`, f with Gaussian steps of 3e-4 per √s on a 1-second grid.
 * - Follower symbols are a fixed linear combination of factor prices plus a stationary Ornstein-Uhlenbeck spread
 *   (θ = 1/300 s⁻¹, half-life ≈ 3.5 min; stationary sd 0.3 % of the follower's level), so
 *   `follower − Σ wₖ·leaderₖ` is stationary: cointegrated with vector (1, −w₁, …) by construction.
 * - Every other symbol keeps TradeSimulator's own model (btcusdt/ethusdt as the first two symbols: the pair model;
 *   anything else: an independent random walk).
 *
 * Paths are seeded from the symbol's name and anchored at 00:00 UTC of the simulation's start day, on a 1-second
 * grid, so every simulator of the demo exchange (one per symbol) computes the same factor path: relations hold
 * between symbols whose simulation starts on the same UTC day (always the case for the symbols given at start-up).
 * The data are SIMULATED, as everything from the demo exchange.
 */
import { hashString, mulberry32 } from "../seeded-random";

/** A cointegration relation of the demo universe, for labelling ("cointegrated by construction"). */
export interface DemoRelation {
  /** "pair" (2 symbols) or "basket" (3 or more). */
  kind: "pair" | "basket";
  /** The follower, then its legs. */
  symbols: string[];
  /** Price weights: follower = Σ weights[k]·legs[k] + stationary spread (price units). */
  weights: number[];
}

interface FactorSpec {
  level: number;
}
interface FollowerSpec {
  legs: Record<string, number>;
}

const FACTORS: Record<string, FactorSpec> = {
  solusdt: { level: 150 },
  ltcusdt: { level: 90 },
  dotusdt: { level: 7 },
  atomusdt: { level: 9 },
  bnbusdt: { level: 600 },
};

const FOLLOWERS: Record<string, FollowerSpec> = {
  avaxusdt: { legs: { solusdt: 0.25 } },
  bchusdt: { legs: { ltcusdt: 4 } },
  linkusdt: { legs: { dotusdt: 1.2, atomusdt: 0.8 } },
};

/** Per-√s volatility of a factor's log price. */
const SIGMA = 3e-4;
/** OU mean-reversion speed of a follower's spread, 1/s. */
const THETA = 1 / 300;
/** Stationary sd of a follower's spread relative to its level. */
const SPREAD_SD = 0.003;
const DAY = 86_400_000;

/**
 * The relations built into the demo universe (pairs and baskets cointegrated by construction). O(1).
 * @example
 * demoUniverseRelations()[0] // { kind: "pair", symbols: ["avaxusdt", "solusdt"], weights: [0.25] }
 */
export function demoUniverseRelations(): DemoRelation[] {
  const out: DemoRelation[] = [{ kind: "pair", symbols: ["ethusdt", "btcusdt"], weights: [0.03] }];
  for (const [follower, spec] of Object.entries(FOLLOWERS)) {
    const legs = Object.keys(spec.legs);
    out.push({ kind: legs.length === 1 ? "pair" : "basket", symbols: [follower, ...legs], weights: legs.map((l) => spec.legs[l]) });
  }
  return out;
}

/** Symbols with a modelled price (factors and followers), in a stable order. O(1). */
export function demoUniverseSymbols(): string[] {
  return [...Object.keys(FACTORS), ...Object.keys(FOLLOWERS)];
}

/** A modelled symbol's price path, queried at non-decreasing times (the simulator's event times). */
export interface UniverseLeg {
  /** Price tick of the symbol. */
  tick: number;
  /** Model price at epoch ms `t` (t must not decrease between calls). O(seconds elapsed since the last call). */
  price(t: number): number;
}

/** FNV-1a of the seed text, then mulberry32 (the simulator's generator). */
function seededUniform(text: string): () => number {
  return mulberry32(hashString(text));
}

/** A seeded Gaussian walk on a 1-second grid from `anchor`, advanced sequentially. */
class GridPath {
  private readonly normal: () => number;
  private step = 0;
  value = 0;
  constructor(seedText: string, private readonly anchor: number, private readonly next: (v: number, z: number) => number) {
    const rand = seededUniform(seedText);
    this.normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  }
  at(t: number): number {
    const target = Math.floor((t - this.anchor) / 1000);
    while (this.step < target) {
      this.value = this.next(this.value, this.normal());
      this.step++;
    }
    return this.value;
  }
}

function factorPath(symbol: string, anchor: number): (t: number) => number {
  const level = FACTORS[symbol].level;
  const path = new GridPath(`pairlab-universe:${symbol}`, anchor, (v, z) => v + SIGMA * z);
  return (t) => level * Math.exp(path.at(t));
}

function tickFor(level: number): number {
  return Math.pow(10, Math.floor(Math.log10(level)) - 4);
}

/**
 * The modelled price path of `symbol` for a simulation starting at `startTime`, or undefined when the symbol is not
 * part of the demo universe model (TradeSimulator then keeps its own model). O(seconds since the day's start) to set up.
 * @example
 * universeLegFor("avaxusdt", Date.UTC(2026, 0, 1))?.price(Date.UTC(2026, 0, 1, 1)) // ≈ 0.25·solusdt + spread
 */
export function universeLegFor(symbol: string, startTime: number): UniverseLeg | undefined {
  const anchor = Math.floor(startTime / DAY) * DAY;
  if (FACTORS[symbol] !== undefined) return { tick: tickFor(FACTORS[symbol].level), price: factorPath(symbol, anchor) };
  const spec = FOLLOWERS[symbol];
  if (spec === undefined) return undefined;
  const legs = Object.entries(spec.legs).map(([leader, w]) => ({ w, level: FACTORS[leader].level, price: factorPath(leader, anchor) }));
  const level = legs.reduce((acc, l) => acc + l.w * l.level, 0);
  const decay = Math.exp(-THETA);
  const sd = SPREAD_SD * level;
  const spread = new GridPath(`pairlab-universe:${symbol}:spread`, anchor, (v, z) => v * decay + sd * Math.sqrt(1 - decay * decay) * z);
  return {
    tick: tickFor(level),
    price: (t) => {
      let p = spread.at(t);
      for (const l of legs) p += l.w * l.price(t);
      return p;
    },
  };
}
