/**
 * Seeded pseudo-random numbers shared by the demo exchange, the demo universe, demo book tickers, tests and
 * benchmarks: one generator, so a seed means the same sequence everywhere.
 */

/**
 * mulberry32: a small, fast, seeded PRNG returning uniforms in [0, 1). Not cryptographic. O(1) per draw.
 * @example
 * const r = mulberry32(1); r(); // 0.6270739405881613
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * FNV-1a 32-bit hash of a string (UTF-16 code units), as an unsigned integer: gives each demo symbol or seed text
 * its own seed. O(length).
 * @example
 * hashString(""); // 2166136261
 */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
