// Generates the WebAssembly kernels of the backtest's hot stages:
//   src/backtest/backtest-kernels.wat      (the readable text, generated here: review this one)
//   src/backtest/backtest-kernels-wasm.ts  (the same module compiled by wabt, base64; imported at run time)
// Check: node scripts/backtest-kernels-wasm.mjs --check (exit 1 when the committed files are stale; run by test/backtest).
// Run: node scripts/backtest-kernels-wasm.mjs   (wabt is a devDependency; the output is committed, so building and
// running pairlab never needs wabt).
//
// The kernels are src/backtest/hedge-spread.ts (hedgeSpreadKernel) and src/analytics/rolling-kernel.ts
// (rollingUnivariate, the rolling z-score) operation for operation: the same compensated (TwoSum) sums of centred
// values, the same exact re-anchoring every RECOMPUTE × window bars, the same evaluation order of every expression, no
// fused multiply-add — so every output is bit-identical (test/backtest/wasm-stages.test.ts). In the OLS kernel the x and
// y accumulators (Σdx, Σdy), their compensations, (Σdx², Σdx·dy) and theirs are paired in f64x2 lanes: IEEE results
// are identical lane-wise, and dy·dx = dx·dy exactly. Arrays are byte offsets into the module's memory.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Must equal RECOMPUTE of src/analytics/rolling-kernel.ts (test/backtest/wasm-stages.test.ts checks it). */
const RECOMPUTE = 4;

/**
 * Knuth's TwoSum of `d` (a local) into the sum `s` and its compensation `k` (locals), with the scratch locals $t, $bp
 * (or $tv, $bpv for f64x2): t = s + d; bp = t − s; k = k + ((s − (t − bp)) + (d − bp)); s = t — the JS
 * `k += s - (t - bp) + (d - bp)`.
 */
function twoSum(type, s, k, d, indent) {
  const [t, bp] = type === "f64x2" ? ["$tv", "$bpv"] : ["$t", "$bp"];
  return [
    `(local.set ${t} (${type}.add (local.get ${s}) (local.get ${d})))`,
    `(local.set ${bp} (${type}.sub (local.get ${t}) (local.get ${s})))`,
    `(local.set ${k} (${type}.add (local.get ${k}) (${type}.add (${type}.sub (local.get ${s}) (${type}.sub (local.get ${t}) (local.get ${bp}))) (${type}.sub (local.get ${d}) (local.get ${bp})))))`,
    `(local.set ${s} (local.get ${t}))`,
  ]
    .map((line) => indent + line)
    .join("\n");
}

/** The pair (x[j], y[j]) as one f64x2 (lane 0 x, lane 1 y); `off` is the byte offset j·8. */
const pair = (off) => `(f64x2.replace_lane 1 (v128.load64_zero (i32.add (local.get $px) ${off})) (f64.load (i32.add (local.get $py) ${off})))`;

/** Bars per block of the two-pass kernels (the scratch holds one block). */
const BLOCK = 256;

/** `text`'s lines (written at column 0) indented by `indent`, without a trailing newline. */
const lines = (indent, text) => text.trimEnd().split("\n").map((line) => indent + line).join("\n");

// The pieces both passes of a kernel's first loop share (the block's first bar, with its re-anchoring, and the bars
// after it), written once. Each is placed with `lines(indent, …)` or inline.
const blockBounds = `        ;; this block: [start, stop), at most BLOCK bars, never across a re-anchoring
        (local.set $start (local.get $i))
        (local.set $len (select (local.get $period) (local.get $countdown) (i32.eqz (local.get $countdown))))
        (local.set $len (select (i32.const ${BLOCK}) (local.get $len) (i32.gt_s (local.get $len) (i32.const ${BLOCK}))))
        (local.set $stop (i32.add (local.get $start) (local.get $len)))
        (local.set $stop (select (local.get $n) (local.get $stop) (i32.gt_s (local.get $stop) (local.get $n))))
        (local.set $so (local.get $pt))
        ;; the block's first bar: the re-anchoring, when due, happens only here (blocks never cross one), so the
        ;; loop below has no call (a call in a loop makes TurboFan spill the values live across it)`;
// The second pass's loop head: bars [start, pairs) two at a time (pairs = stop less an odd last bar), scratch from the top.
const secondPassHead = `        (local.set $so (local.get $pt))
        (local.set $pairs (i32.sub (local.get $stop) (i32.and (i32.sub (local.get $stop) (local.get $start)) (i32.const 1))))
        (local.set $j (local.get $start))
        (block $done3
          (loop $out
            (br_if $done3 (i32.ge_s (local.get $j) (local.get $pairs)))
            (local.set $jo (i32.shl (local.get $j) (i32.const 3)))`;
const olsReadBar = `(local.set $io (i32.shl (local.get $i) (i32.const 3)))
(local.set $xv (f64.load (i32.add (local.get $px) (local.get $io))))
(local.set $runX (select (i32.add (local.get $runX) (i32.const 1)) (i32.const 1) (f64.eq (local.get $xv) (local.get $prevX))))
(local.set $prevX (local.get $xv))
`;
const olsUpdate = (indent) => `${indent};; add bar i: (dx, dy), then (dx·dx, dy·dx)
${indent}(local.set $d (f64x2.sub ${pair("(local.get $io)")} (local.get $C)))
${twoSum("f64x2", "$S", "$K", "$d", indent)}
${indent}(local.set $d (f64x2.mul (local.get $d) (f64x2.splat (f64x2.extract_lane 0 (local.get $d)))))
${twoSum("f64x2", "$Q", "$R", "$d", indent)}
${indent};; remove bar i − w: −(dx, dy), then −(dx·dx, dy·dx)
${indent}(local.set $v (f64x2.sub ${pair("(i32.sub (local.get $io) (i32.shl (local.get $w) (i32.const 3)))")} (local.get $C)))
${indent}(local.set $d (f64x2.neg (local.get $v)))
${twoSum("f64x2", "$S", "$K", "$d", indent)}
${indent}(local.set $d (f64x2.neg (f64x2.mul (local.get $v) (f64x2.splat (f64x2.extract_lane 0 (local.get $v))))))
${twoSum("f64x2", "$Q", "$R", "$d", indent)}`;
const olsScratch = `(local.set $countdown (i32.sub (local.get $countdown) (i32.const 1)))
;; scratch: (ax, ay) = S + K, then (sxx + kxx, sxy + kxy) = Q + R, with NaN for Σdx² where x is constant
(v128.store (local.get $so) (f64x2.add (local.get $S) (local.get $K)))
(v128.store offset=16 (local.get $so)
  (select (result v128) (v128.const f64x2 nan 0) (f64x2.add (local.get $Q) (local.get $R)) (i32.ge_s (local.get $runX) (local.get $w))))
(local.set $so (i32.add (local.get $so) (i32.const 32)))
(local.set $i (i32.add (local.get $i) (i32.const 1)))
`;
const zReadBar = `(local.set $io (i32.shl (local.get $i) (i32.const 3)))
(local.set $v (f64.load (i32.add (local.get $px) (local.get $io))))
(if (f64.ne (f64.sub (local.get $v) (local.get $v)) (f64.const 0))
  (then
    (if (f64.eq (local.get $v) (local.get $v)) (then (return (local.get $i))))
    (local.set $nan (i32.add (local.get $nan) (i32.const 1)))))
(local.set $run (select (i32.add (local.get $run) (i32.const 1)) (i32.const 1) (f64.eq (local.get $v) (local.get $prev))))
(local.set $prev (local.get $v))
(if (i32.ge_s (local.get $i) (local.get $w))
  (then
    (local.set $u (f64.load (i32.sub (i32.add (local.get $px) (local.get $io)) (i32.shl (local.get $w) (i32.const 3)))))
    (if (f64.ne (local.get $u) (local.get $u)) (then (local.set $nan (i32.sub (local.get $nan) (i32.const 1)))))))
`;
const zUpdate = `            (if (f64.eq (local.get $v) (local.get $v))
              (then
                (local.set $d (f64.sub (local.get $v) (local.get $c)))
                (local.set $s1 (f64.add (local.get $s1) (local.get $d)))
                (local.set $dd (f64.mul (local.get $d) (local.get $d)))
${twoSum("f64", "$s2", "$k2", "$dd", "                ")}))
            (local.set $u (f64.load (i32.sub (i32.add (local.get $px) (local.get $io)) (i32.shl (local.get $w) (i32.const 3)))))
            (if (f64.eq (local.get $u) (local.get $u))
              (then
                (local.set $d (f64.sub (local.get $c) (local.get $u)))
                (local.set $s1 (f64.add (local.get $s1) (local.get $d)))
                (local.set $dd (f64.neg (f64.mul (local.get $d) (local.get $d))))
${twoSum("f64", "$s2", "$k2", "$dd", "                ")}))`;
const zScratch = `(local.set $countdown (i32.sub (local.get $countdown) (i32.const 1)))
;; scratch: (s1, s2 + k2), with NaN for s2 + k2 while a NaN or a constant run is in the window
(f64.store (local.get $so) (local.get $s1))
(f64.store offset=8 (local.get $so)
  (select (f64.const nan) (f64.add (local.get $s2) (local.get $k2)) (i32.or (i32.gt_s (local.get $nan) (i32.const 0)) (i32.ge_s (local.get $run) (local.get $w)))))
(local.set $so (i32.add (local.get $so) (i32.const 16)))
(local.set $i (i32.add (local.get $i) (i32.const 1)))
`;

// olsAnchor(py, px, w, i) → (C, S, Q): the exact two-pass recomputation over [i − w + 1, i] anchored at the window
// means C = (cx, cy), with S = (Σdx, Σdy) and Q = (Σdx², Σdy·dx). A function of its own, to keep the hot loop's registers.
const olsAnchor = `  (func $olsAnchor (param $py i32) (param $px i32) (param $w i32) (param $i i32) (result v128 v128 v128)
    (local $j i32) (local $jo i32) (local $A v128) (local $C v128) (local $S v128) (local $Q v128) (local $v v128)
    (local.set $A (v128.const f64x2 0 0))
    (local.set $j (i32.add (i32.sub (local.get $i) (local.get $w)) (i32.const 1)))
    (block $d1
      (loop $sum
        (br_if $d1 (i32.gt_s (local.get $j) (local.get $i)))
        (local.set $jo (i32.shl (local.get $j) (i32.const 3)))
        (local.set $A (f64x2.add (local.get $A) ${pair("(local.get $jo)")}))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sum)))
    (local.set $C (f64x2.div (local.get $A) (f64x2.splat (f64.convert_i32_s (local.get $w)))))
    (local.set $S (v128.const f64x2 0 0))
    (local.set $Q (v128.const f64x2 0 0))
    (local.set $j (i32.add (i32.sub (local.get $i) (local.get $w)) (i32.const 1)))
    (block $d2
      (loop $centred
        (br_if $d2 (i32.gt_s (local.get $j) (local.get $i)))
        (local.set $jo (i32.shl (local.get $j) (i32.const 3)))
        (local.set $v (f64x2.sub ${pair("(local.get $jo)")} (local.get $C)))
        (local.set $S (f64x2.add (local.get $S) (local.get $v)))
        (local.set $Q (f64x2.add (local.get $Q) (f64x2.mul (local.get $v) (f64x2.splat (f64x2.extract_lane 0 (local.get $v))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $centred)))
    (local.get $C) (local.get $S) (local.get $Q))`;

// hedge(py, px, n, w, pbeta, pspread, pscratch, invW): hedgeSpreadKernel. Inputs finite (prepareBars checked them).
// invW = 1 / w, computed by the caller (a parameter: TurboFan scheduled a division computed here into the hot loop).
// Blocks of at most BLOCK bars that share one anchor (they end where the next re-anchoring starts): a first pass
// updates the compensated sums bar by bar (the sequential part) and writes (ax, ay) = S + K and (sxx + kxx, sxy + kxy)
// = Q + R per bar to the scratch (BLOCK × 32 bytes, L1-resident); a second pass computes β and the spread of two bars
// per step in f64x2 lanes — the same expressions, lane-wise. A window where x is constant is marked in the first pass
// by a NaN Σdx², which makes mxx NaN and the bar NaN, as `runX >= w || !(mxx > 0)` does.
const hedge = `  (func (export "hedge") (param $py i32) (param $px i32) (param $n i32) (param $w i32) (param $pb i32) (param $ps i32) (param $pt i32) (param $invW f64)
    (local $i i32) (local $j i32) (local $jo i32) (local $io i32) (local $warm i32) (local $period i32) (local $countdown i32) (local $runX i32)
    (local $start i32) (local $stop i32) (local $len i32) (local $so i32) (local $pairs i32)
    (local $xv f64) (local $prevX f64)
    (local $C v128) (local $S v128) (local $K v128) (local $Q v128) (local $R v128) (local $v v128) (local $d v128) (local $tv v128) (local $bpv v128)
    (local $invWv v128) (local $A0 v128) (local $A1 v128) (local $AX v128) (local $AY v128) (local $mxx v128) (local $b v128) (local $a v128) (local $ok v128)
    ;; beta and spread are NaN for i < min(n, w − 1)
    (local.set $warm (select (local.get $n) (i32.sub (local.get $w) (i32.const 1)) (i32.lt_s (local.get $n) (i32.sub (local.get $w) (i32.const 1)))))
    (block $done0
      (loop $fill
        (br_if $done0 (i32.ge_s (local.get $i) (local.get $warm)))
        (f64.store (i32.add (local.get $pb) (i32.shl (local.get $i) (i32.const 3))) (f64.const nan))
        (f64.store (i32.add (local.get $ps) (i32.shl (local.get $i) (i32.const 3))) (f64.const nan))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (if (i32.lt_s (local.get $n) (local.get $w)) (then (return)))
    (local.set $period (i32.mul (i32.const ${RECOMPUTE}) (local.get $w)))
    (local.set $invWv (f64x2.splat (local.get $invW)))
    ;; the run of identical x values over the first w − 1 bars
    (local.set $prevX (f64.const nan))
    (local.set $i (i32.const 0))
    (block $done1
      (loop $warmup
        (br_if $done1 (i32.ge_s (local.get $i) (i32.sub (local.get $w) (i32.const 1))))
        (local.set $xv (f64.load (i32.add (local.get $px) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $runX (select (i32.add (local.get $runX) (i32.const 1)) (i32.const 1) (f64.eq (local.get $xv) (local.get $prevX))))
        (local.set $prevX (local.get $xv))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $warmup)))
    (local.set $i (i32.sub (local.get $w) (i32.const 1)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
${blockBounds}
${lines("        ", olsReadBar)}
        (if (i32.eqz (local.get $countdown))
          (then
            ;; exact two-pass recomputation over [i − w + 1, i]; re-anchor at the window means
            (local.set $countdown (local.get $period))
            (call $olsAnchor (local.get $py) (local.get $px) (local.get $w) (local.get $i))
            (local.set $Q)
            (local.set $S)
            (local.set $C)
            (local.set $K (v128.const f64x2 0 0))
            (local.set $R (v128.const f64x2 0 0)))
          (else
${olsUpdate("            ")}))
${lines("        ", olsScratch)}
        (block $done2
          (loop $bars
            (br_if $done2 (i32.ge_s (local.get $i) (local.get $stop)))
${lines("            ", olsReadBar)}
${olsUpdate("            ")}
${lines("            ", olsScratch)}
            (br $bars)))
        ;; second pass over [start, stop): two bars per step. (mxx, mxy) = (Σdx² − ax·ax·invW, Σdxdy − ax·ay·invW);
        ;; β = mxy / mxx; α = (cy + ay·invW) − β·(cx + ax·invW); spread = (y − α) − β·x; NaN unless mxx > 0.
${secondPassHead}
            (local.set $A0 (v128.load (local.get $so)))
            (local.set $A1 (v128.load offset=32 (local.get $so)))
            (local.set $AX (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $A0) (local.get $A1)))
            (local.set $AY (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $A0) (local.get $A1)))
            (local.set $A0 (v128.load offset=16 (local.get $so)))
            (local.set $A1 (v128.load offset=48 (local.get $so)))
            (local.set $mxx (f64x2.sub (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $A0) (local.get $A1))
              (f64x2.mul (f64x2.mul (local.get $AX) (local.get $AX)) (local.get $invWv))))
            (local.set $b (f64x2.div
              (f64x2.sub (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $A0) (local.get $A1))
                (f64x2.mul (f64x2.mul (local.get $AX) (local.get $AY)) (local.get $invWv)))
              (local.get $mxx)))
            (local.set $a (f64x2.sub
              (f64x2.add (f64x2.splat (f64x2.extract_lane 1 (local.get $C))) (f64x2.mul (local.get $AY) (local.get $invWv)))
              (f64x2.mul (local.get $b) (f64x2.add (f64x2.splat (f64x2.extract_lane 0 (local.get $C))) (f64x2.mul (local.get $AX) (local.get $invWv))))))
            (local.set $ok (f64x2.gt (local.get $mxx) (v128.const f64x2 0 0)))
            (v128.store (i32.add (local.get $pb) (local.get $jo)) (v128.bitselect (local.get $b) (v128.const f64x2 nan nan) (local.get $ok)))
            (v128.store (i32.add (local.get $ps) (local.get $jo))
              (v128.bitselect
                (f64x2.sub (f64x2.sub (v128.load (i32.add (local.get $py) (local.get $jo))) (local.get $a)) (f64x2.mul (local.get $b) (v128.load (i32.add (local.get $px) (local.get $jo)))))
                (v128.const f64x2 nan nan) (local.get $ok)))
            (local.set $so (i32.add (local.get $so) (i32.const 64)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $out)))
        ;; an odd last bar of the block: lane 0 only
        (if (i32.lt_s (local.get $j) (local.get $stop))
          (then
            (local.set $jo (i32.shl (local.get $j) (i32.const 3)))
            (local.set $A0 (v128.load (local.get $so)))
            (local.set $AX (f64x2.splat (f64x2.extract_lane 0 (local.get $A0))))
            (local.set $AY (f64x2.splat (f64x2.extract_lane 1 (local.get $A0))))
            (local.set $A0 (v128.load offset=16 (local.get $so)))
            (local.set $mxx (f64x2.sub (f64x2.splat (f64x2.extract_lane 0 (local.get $A0))) (f64x2.mul (f64x2.mul (local.get $AX) (local.get $AX)) (local.get $invWv))))
            (local.set $b (f64x2.div
              (f64x2.sub (f64x2.splat (f64x2.extract_lane 1 (local.get $A0))) (f64x2.mul (f64x2.mul (local.get $AX) (local.get $AY)) (local.get $invWv)))
              (local.get $mxx)))
            (local.set $a (f64x2.sub
              (f64x2.add (f64x2.splat (f64x2.extract_lane 1 (local.get $C))) (f64x2.mul (local.get $AY) (local.get $invWv)))
              (f64x2.mul (local.get $b) (f64x2.add (f64x2.splat (f64x2.extract_lane 0 (local.get $C))) (f64x2.mul (local.get $AX) (local.get $invWv))))))
            (local.set $ok (f64x2.gt (local.get $mxx) (v128.const f64x2 0 0)))
            (f64.store (i32.add (local.get $pb) (local.get $jo)) (f64x2.extract_lane 0 (v128.bitselect (local.get $b) (v128.const f64x2 nan nan) (local.get $ok))))
            (f64.store (i32.add (local.get $ps) (local.get $jo))
              (f64x2.extract_lane 0 (v128.bitselect
                (f64x2.sub (f64x2.sub (f64x2.splat (f64.load (i32.add (local.get $py) (local.get $jo)))) (local.get $a)) (f64x2.mul (local.get $b) (f64x2.splat (f64.load (i32.add (local.get $px) (local.get $jo))))))
                (v128.const f64x2 nan nan) (local.get $ok))))))
        (br $blocks))))`;

// zAnchor(px, n, w, i) → (c, s1, s2): rollingUnivariate's exact two-pass recomputation over [i − w + 1, i], anchored at
// the mean of the valid points (or, with none, at the next valid point: $nextValid only advances). A function of its
// own: inline, its locals made TurboFan spill the hot loop's registers.
const zAnchor = `  (global $nextValid (mut i32) (i32.const -1))
  (func $zAnchor (param $px i32) (param $n i32) (param $w i32) (param $i i32) (result f64 f64 f64)
    (local $j i32) (local $m i32) (local $u f64) (local $sum f64) (local $c f64) (local $d f64) (local $s1 f64) (local $s2 f64)
    (local.set $sum (f64.const 0))
    (local.set $m (i32.const 0))
    (local.set $j (i32.add (i32.sub (local.get $i) (local.get $w)) (i32.const 1)))
    (block $e1
      (loop $sum
        (br_if $e1 (i32.gt_s (local.get $j) (local.get $i)))
        (local.set $u (f64.load (i32.add (local.get $px) (i32.shl (local.get $j) (i32.const 3)))))
        (if (f64.eq (local.get $u) (local.get $u))
          (then
            (local.set $sum (f64.add (local.get $sum) (local.get $u)))
            (local.set $m (i32.add (local.get $m) (i32.const 1)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sum)))
    (local.set $c (select (f64.div (local.get $sum) (f64.convert_i32_s (local.get $m))) (f64.const 0) (i32.gt_s (local.get $m) (i32.const 0))))
    (if (i32.eqz (local.get $m))
      (then
        ;; no valid point in the window: anchor at the next valid one (nextValid only advances)
        (if (i32.le_s (global.get $nextValid) (local.get $i))
          (then
            (global.set $nextValid (i32.add (local.get $i) (i32.const 1)))
            (block $e2
              (loop $scan
                (br_if $e2 (i32.ge_s (global.get $nextValid) (local.get $n)))
                (local.set $u (f64.load (i32.add (local.get $px) (i32.shl (global.get $nextValid) (i32.const 3)))))
                (br_if $e2 (f64.eq (local.get $u) (local.get $u)))
                (global.set $nextValid (i32.add (global.get $nextValid) (i32.const 1)))
                (br $scan)))))
        (if (i32.lt_s (global.get $nextValid) (local.get $n))
          (then (local.set $c (f64.load (i32.add (local.get $px) (i32.shl (global.get $nextValid) (i32.const 3)))))))))
    (local.set $s1 (f64.const 0))
    (local.set $s2 (f64.const 0))
    (local.set $j (i32.add (i32.sub (local.get $i) (local.get $w)) (i32.const 1)))
    (block $e3
      (loop $centred
        (br_if $e3 (i32.gt_s (local.get $j) (local.get $i)))
        (local.set $u (f64.load (i32.add (local.get $px) (i32.shl (local.get $j) (i32.const 3)))))
        (if (f64.eq (local.get $u) (local.get $u))
          (then
            (local.set $d (f64.sub (local.get $u) (local.get $c)))
            (local.set $s1 (f64.add (local.get $s1) (local.get $d)))
            (local.set $s2 (f64.add (local.get $s2) (f64.mul (local.get $d) (local.get $d))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $centred)))
    (local.get $c) (local.get $s1) (local.get $s2))`;

// zscore(px, n, w, pout, pscratch, invW = 1 / w, invDof = 1 / (w − 1)) → −1, or the first index holding ±Infinity
// (the caller throws NonFiniteInputError): rollingUnivariate. NaN is a missing point (every window holding one gives
// NaN). Blocks as in hedge: a first pass updates the sums bar by bar and writes (s1, s2 + k2) per bar to the scratch
// (BLOCK × 16 bytes; NaN for s2 + k2 while a NaN or a constant run is in the window), a second pass computes
// z = ((v − c) − s1·invW) / √(((s2 + k2) − s1·s1·invW)·invDof) of two bars per step in f64x2 lanes (NaN unless m2 > 0).
const zscore = `  (func (export "zscore") (param $px i32) (param $n i32) (param $w i32) (param $po i32) (param $pt i32) (param $invW f64) (param $invDof f64) (result i32)
    (local $i i32) (local $j i32) (local $jo i32) (local $io i32) (local $period i32) (local $countdown i32) (local $run i32) (local $nan i32)
    (local $start i32) (local $stop i32) (local $len i32) (local $so i32) (local $pairs i32)
    (local $v f64) (local $u f64) (local $prev f64) (local $c f64)
    (local $s1 f64) (local $s2 f64) (local $k2 f64) (local $d f64) (local $dd f64) (local $t f64) (local $bp f64)
    (local $P0 v128) (local $P1 v128) (local $S1 v128) (local $m2 v128) (local $z v128) (local $invWv v128) (local $invDofv v128) (local $cv v128)
    (if (i32.lt_s (local.get $n) (local.get $w))
      (then
        (block $d0
          (loop $short
            (br_if $d0 (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $v (f64.load (i32.add (local.get $px) (i32.shl (local.get $i) (i32.const 3)))))
            (if (f64.eq (f64.abs (local.get $v)) (f64.const inf)) (then (return (local.get $i))))
            (f64.store (i32.add (local.get $po) (i32.shl (local.get $i) (i32.const 3))) (f64.const nan))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $short)))
        (return (i32.const -1))))
    (local.set $period (i32.mul (i32.const ${RECOMPUTE}) (local.get $w)))
    (local.set $invWv (f64x2.splat (local.get $invW)))
    (local.set $invDofv (f64x2.splat (local.get $invDof)))
    (local.set $prev (f64.const nan))
    (global.set $nextValid (i32.const -1))
    (block $d1
      (loop $warmup
        (br_if $d1 (i32.ge_s (local.get $i) (i32.sub (local.get $w) (i32.const 1))))
        (local.set $io (i32.shl (local.get $i) (i32.const 3)))
        (local.set $v (f64.load (i32.add (local.get $px) (local.get $io))))
        (if (f64.ne (f64.sub (local.get $v) (local.get $v)) (f64.const 0))
          (then
            (if (f64.eq (local.get $v) (local.get $v)) (then (return (local.get $i))))
            (local.set $nan (i32.add (local.get $nan) (i32.const 1)))))
        (local.set $run (select (i32.add (local.get $run) (i32.const 1)) (i32.const 1) (f64.eq (local.get $v) (local.get $prev))))
        (local.set $prev (local.get $v))
        (f64.store (i32.add (local.get $po) (local.get $io)) (f64.const nan))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $warmup)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
${blockBounds}
${lines("        ", zReadBar)}
        (if (i32.eqz (local.get $countdown))
          (then
            ;; exact two-pass recomputation over [i − w + 1, i]; re-anchor at the mean of its valid points
            (local.set $countdown (local.get $period))
            (call $zAnchor (local.get $px) (local.get $n) (local.get $w) (local.get $i))
            (local.set $s2)
            (local.set $s1)
            (local.set $c)
            (local.set $k2 (f64.const 0)))
          (else
${zUpdate}))
${lines("        ", zScratch)}
        (block $done2
          (loop $bars
            (br_if $done2 (i32.ge_s (local.get $i) (local.get $stop)))
${lines("            ", zReadBar)}
${zUpdate}
${lines("            ", zScratch)}
            (br $bars)))
        ;; second pass over [start, stop): two bars per step. m2 = (s2 + k2) − (s1·s1)·invW;
        ;; z = ((v − c) − s1·invW) / √(m2·invDof); NaN unless m2 > 0.
        (local.set $cv (f64x2.splat (local.get $c)))
${secondPassHead}
            (local.set $P0 (v128.load (local.get $so)))
            (local.set $P1 (v128.load offset=16 (local.get $so)))
            (local.set $S1 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $P0) (local.get $P1)))
            (local.set $m2 (f64x2.sub (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $P0) (local.get $P1))
              (f64x2.mul (f64x2.mul (local.get $S1) (local.get $S1)) (local.get $invWv))))
            (local.set $z (f64x2.div
              (f64x2.sub (f64x2.sub (v128.load (i32.add (local.get $px) (local.get $jo))) (local.get $cv)) (f64x2.mul (local.get $S1) (local.get $invWv)))
              (f64x2.sqrt (f64x2.mul (local.get $m2) (local.get $invDofv)))))
            (v128.store (i32.add (local.get $po) (local.get $jo))
              (v128.bitselect (local.get $z) (v128.const f64x2 nan nan) (f64x2.gt (local.get $m2) (v128.const f64x2 0 0))))
            (local.set $so (i32.add (local.get $so) (i32.const 32)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $out)))
        ;; an odd last bar of the block
        (if (i32.lt_s (local.get $j) (local.get $stop))
          (then
            (local.set $jo (i32.shl (local.get $j) (i32.const 3)))
            (local.set $s1 (f64.load (local.get $so)))
            (local.set $d (f64.sub (f64.load offset=8 (local.get $so)) (f64.mul (f64.mul (local.get $s1) (local.get $s1)) (local.get $invW))))
            (f64.store (i32.add (local.get $po) (local.get $jo))
              (if (result f64) (f64.gt (local.get $d) (f64.const 0))
                (then (f64.div
                  (f64.sub (f64.sub (f64.load (i32.add (local.get $px) (local.get $jo))) (local.get $c)) (f64.mul (local.get $s1) (local.get $invW)))
                  (f64.sqrt (f64.mul (local.get $d) (local.get $invDof)))))
                (else (f64.const nan))))))
        (br $blocks)))
    (i32.const -1))`;

/** The and-ed verdicts of two bars (or one bar in both lanes, `splat`) at byte offset `off`: t > previous t, t finite, x's
 * time equal, prices in (0, Infinity). */
function verdict(t, prev, off, mode, indent) {
  const load = (p) => (mode === "pair" ? `(v128.load (i32.add (local.get ${p}) ${off}))` : `(f64x2.splat (f64.load (i32.add (local.get ${p}) ${off})))`);
  const price = (p) => `(v128.and (f64x2.gt (local.tee $v ${load(p)}) (v128.const f64x2 0 0)) (f64x2.lt (local.get $v) (v128.const f64x2 inf inf)))`;
  return [
    `(local.set $t ${t})`,
    `(local.set $ok (v128.and (local.get $ok) (v128.and (f64x2.gt (local.get $t) ${prev}) (f64x2.eq (f64x2.sub (local.get $t) (local.get $t)) (v128.const f64x2 0 0)))))`,
    `(if (i32.eqz (local.get $same)) (then (local.set $ok (v128.and (local.get $ok) (f64x2.eq ${load("$ptx")} (local.get $t))))))`,
    `(local.set $ok (v128.and (local.get $ok) (v128.and (v128.and ${price("$p0")} ${price("$p1")}) (v128.and ${price("$p2")} ${price("$p3")}))))`,
  ]
    .map((line) => indent + line)
    .join("\n");
}

// check(pt, ptx, p0, p1, p2, p3, n) → 1 when every bar passes prepareBars' checks for certain: times finite and strictly
// increasing, x's times equal (skipped when ptx = pt: the same array), the four price columns > 0 and < Infinity; else 0
// (then prepareBars runs its JS checks, which throw the precise error). Two bars per step, the verdicts and-ed into one
// mask (no branch per bar).
const check = `  (func (export "check") (param $pt i32) (param $ptx i32) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32) (param $n i32) (result i32)
    (local $i i32) (local $end i32) (local $pairs i32) (local $ok v128) (local $t v128) (local $v v128) (local $same i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const 1))))
    (local.set $same (i32.eq (local.get $pt) (local.get $ptx)))
    ;; bar 0 in lane 0 (its previous time is −Infinity), then pairs from bar 1
    (local.set $ok (v128.const i64x2 -1 -1))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $i (i32.const 8))
    (local.set $pairs (i32.sub (local.get $end) (i32.and (i32.sub (local.get $end) (i32.const 8)) (i32.const 15))))
${verdict("(f64x2.splat (f64.load (local.get $pt)))", "(v128.const f64x2 -inf -inf)", "(i32.const 0)", "splat", "    ")}
    (block $done
      (loop $bars
        (br_if $done (i32.ge_u (local.get $i) (local.get $pairs)))
${verdict("(v128.load (i32.add (local.get $pt) (local.get $i)))", "(v128.load (i32.sub (i32.add (local.get $pt) (local.get $i)) (i32.const 8)))", "(local.get $i)", "pair", "        ")}
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $bars)))
    (if (i32.lt_u (local.get $i) (local.get $end))
      (then
${verdict("(f64x2.splat (f64.load (i32.add (local.get $pt) (local.get $i))))", "(f64x2.splat (f64.load (i32.sub (i32.add (local.get $pt) (local.get $i)) (i32.const 8))))", "(local.get $i)", "splat", "        ")}))
    (i64x2.all_true (local.get $ok)))`;

const wat = `;; Generated by scripts/backtest-kernels-wasm.mjs — do not edit by hand.
;; The backtest's rolling OLS + spread (src/backtest/hedge-spread.ts) and rolling z-score (rollingUnivariate in
;; src/analytics/rolling-kernel.ts), operation for operation (bit-identical results), and a fast all-clear of
;; prepareBars' checks; see the script's header.
(module
  (memory (export "memory") 1)
${olsAnchor}
${hedge}
${zAnchor}
${zscore}
${check}
)
`;

const wabt = await wabtInit();
const module = wabt.parseWat("backtest-kernels.wat", wat, { simd: true });
module.validate();
const { buffer } = module.toBinary({});
const files = {
  "src/backtest/backtest-kernels.wat": wat,
  "src/backtest/backtest-kernels-wasm.ts": `// Generated by scripts/backtest-kernels-wasm.mjs from src/backtest/backtest-kernels.wat (wabt ${"1.0.39"}) — do not edit.
/** The compiled WebAssembly kernels of the backtest's rolling OLS + spread and rolling z-score (${buffer.length} bytes), base64. Internal. */
export const BACKTEST_KERNELS_WASM = "${Buffer.from(buffer).toString("base64")}";

/** RECOMPUTE of the generated kernels (the JS kernels' constant when generated; a test checks they still agree). */
export const BACKTEST_KERNELS_RECOMPUTE = ${RECOMPUTE};
`,
};
// --check: exit 1 when the committed files differ from what this generator produces (test/backtest runs it).
if (process.argv.includes("--check")) {
  const stale = Object.entries(files).filter(([f, text]) => readFileSync(join(root, f), "utf8") !== text).map(([f]) => f);
  if (stale.length > 0) {
    console.error(`stale generated files: ${stale.join(", ")}; run node scripts/backtest-kernels-wasm.mjs`);
    process.exit(1);
  }
  console.log("generated kernels are up to date");
} else {
  for (const [f, text] of Object.entries(files)) writeFileSync(join(root, f), text);
  console.log(`wrote src/backtest/backtest-kernels.wat and backtest-kernels-wasm.ts (${buffer.length} bytes)`);
}
