// Generates the WebAssembly SIMD kernels of johansenTest's moment matrix:
//   src/universe/johansen-kernels.wat      (the readable text, generated here: review this one)
//   src/universe/johansen-kernels-wasm.ts  (the same module compiled by wabt, base64; imported at run time)
// Check: node scripts/johansen-kernels-wasm.mjs --check (exit 1 when the committed files are stale; run by test/universe).
// Run: node scripts/johansen-kernels-wasm.mjs   (wabt is a devDependency; the output is committed, so building and
// running pairlab never needs wabt). The kernels are column products summed over rows (1 or 2 × 1 … 4 tiles,
// symmetric blocks of 1 … 4 columns, 1 or 2 diagonal pairs; src/universe/cross-products.ts tiles the moment matrices
// with them) with two or four rows per step in f64x2 lanes (rows summed in lanes and partial sums, then added), on columns
// centred in memory beforehand (centreDiff: the differences, the centred levels and their sum in one pass), plus the
// basket spread. Columns and outputs are byte offsets into the module's memory.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Rows per loop iteration of each product kernel (2 or 4), by name: the JS side adds the rows beyond a multiple. */
const rowsPerStep = {};

/**
 * A kernel over `cols` columns summing `products` (pairs of column indices) over the first `len` rows, `len` a
 * multiple of rowsPerStep[name]; writes the sums as consecutive f64 at `out` (the caller adds the remaining rows: a
 * tail here kept the pointers live after the loop, and V8 then spilled two of them to the stack, −20 %). Column c is
 * read at p_c + i with one index i bumped a step (V8 computes each address with one lea; a pointer per column bumped
 * a step took a zero-extending move and an add per column: the 2 × 4 tile was 15 % slower). V8 on x64 allocates 15 of the 16 xmm registers and hoists every load to
 * the top of the loop body, so the body must hold at most 15 vector values, else an accumulator is spilled to the
 * stack and its add chain goes through memory (the old 3 × 3 tile: 9 + 6 + 1 = 16, half the speed of the 2 × 4 one):
 * - four rows a step (two f64x2 loads a column, sum += x·y + x'·y') when 2·cols + products + 2 ≤ 15: a kernel with
 *   few sums is bound by the 3-cycle latency of their add chains, which this halves per row;
 * - else two rows a step (products + cols + 1 ≤ 15).
 */
function kernel(name, cols, products) {
  const four = 2 * cols + products.length + 2 <= 15;
  if (!four && products.length + cols + 1 > 15) throw new Error(`${name}: ${products.length} sums + ${cols} columns do not fit 15 registers`);
  rowsPerStep[name] = four ? 4 : 2;
  const params = [...Array(cols)].map((_, c) => `(param $p${c} i32)`).join(" ") + " (param $len i32) (param $out i32)";
  const locals = [
    "(local $i i32) (local $stop i32)",
    ...[...Array(cols)].map((_, c) => `(local $v${c} v128)` + (four ? ` (local $w${c} v128)` : "")),
    ...products.map((_, k) => `(local $a${k} v128)`),
  ].join(" ");
  const accumulate = products
    .map(([x, y], k) =>
      four
        ? `        (local.set $a${k} (f64x2.add (local.get $a${k}) (f64x2.add (f64x2.mul (local.get $v${x}) (local.get $v${y})) (f64x2.mul (local.get $w${x}) (local.get $w${y})))))`
        : `        (local.set $a${k} (f64x2.add (local.get $a${k}) (f64x2.mul (local.get $v${x}) (local.get $v${y}))))`,
    )
    .join("\n");
  const at = (c) => `(i32.add (local.get $p${c}) (local.get $i))`;
  const loadPair = [...Array(cols)]
    .map((_, c) => `        (local.set $v${c} (v128.load ${at(c)}))` + (four ? `\n        (local.set $w${c} (v128.load offset=16 ${at(c)}))` : ""))
    .join("\n");
  const store = products
    .map((_, k) => `    (f64.store offset=${8 * k} (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $a${k})) (f64x2.extract_lane 1 (local.get $a${k}))))`)
    .join("\n");
  return `  (func (export "${name}") ${params}
    ${locals}
    (local.set $stop (i32.shl (local.get $len) (i32.const 3)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $stop)))
${loadPair}
${accumulate}
        (local.set $i (i32.add (local.get $i) (i32.const ${four ? 32 : 16})))
        (br $rows)))
${store})`;
}

/** Σ a_i·b_j for a 1 or 2 columns × b 1 … 4 columns: columns [a…, b…], sums row-major (a_0·b_0, a_0·b_1, …). */
function tile(na, nb) {
  const products = [];
  for (let i = 0; i < na; i++) for (let j = 0; j < nb; j++) products.push([i, na + j]);
  return kernel(`t${na}${nb}`, na + nb, products);
}

/** Σ c_i·c_j for i ≤ j of 1 … 4 columns, sums in row-major upper-triangle order (00, 01, …, 0n, 11, …). */
function symmetric(n) {
  const products = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) products.push([i, j]);
  return kernel(`sym${n}`, n, products);
}

/** Σ a_i·b_i for i < n (1 or 2 pairs: dg2 takes four rows a step, dg3 could not): columns [a_0 … a_{n−1}, b_0 … b_{n−1}]. */
function diagonal(n) {
  return kernel(`dg${n}`, 2 * n, [...Array(n)].map((_, i) => [i, n + i]));
}

// d[i] = x[i+1] − x[i] for i < n − 1 (from the raw values), then x[i] ← x[i] − c in place for i < n, and returns
// Σ (x[i] − c) (non-finite when an x is): one pass. A step of two rows loads x[i], x[i+1] and x[i+1], x[i+2], stores
// two differences and the two centred values x[i], x[i+1] (x[i+2] is read before a later step overwrites it) and
// adds them to a lane sum; the loop makes two steps with two sums (one add chain would bound it at 3 cycles a step).
// The last difference (n − 1 odd) and x[n−1] are done one by one.
const step = (sum, offset) => `        (local.set $lo (v128.load offset=${offset} (i32.add (local.get $src) (local.get $i))))
        (v128.store offset=${offset} (i32.add (local.get $dst) (local.get $i))
          (f64x2.sub (v128.load offset=${offset + 8} (i32.add (local.get $src) (local.get $i))) (local.get $lo)))
        (local.set $lo (f64x2.sub (local.get $lo) (local.get $cv)))
        (v128.store offset=${offset} (i32.add (local.get $src) (local.get $i)) (local.get $lo))
        (local.set ${sum} (f64x2.add (local.get ${sum}) (local.get $lo)))`;
const centreDiff = `  (func (export "centreDiff") (param $src i32) (param $dst i32) (param $n i32) (param $c f64) (result f64)
    (local $i i32) (local $end i32) (local $pairs i32) (local $quads i32) (local $lo v128) (local $cv v128) (local $s v128) (local $s1 v128) (local $t f64) (local $v f64)
    (local.set $cv (f64x2.splat (local.get $c)))
    (local.set $end (i32.shl (i32.sub (local.get $n) (i32.const 1)) (i32.const 3)))
    (local.set $pairs (i32.and (local.get $end) (i32.const -16)))
    (local.set $quads (i32.and (local.get $end) (i32.const -32)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $quads)))
${step("$s", 0)}
${step("$s1", 16)}
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $rows)))
    (if (i32.lt_u (local.get $i) (local.get $pairs))
      (then
${step("$s", 0)}
        (local.set $i (i32.add (local.get $i) (i32.const 16)))))
    (local.set $s (f64x2.add (local.get $s) (local.get $s1)))
    (local.set $t (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s))))
    (if (i32.lt_u (local.get $i) (local.get $end))
      (then
        (f64.store (i32.add (local.get $dst) (local.get $i))
          (f64.sub (f64.load offset=8 (i32.add (local.get $src) (local.get $i))) (f64.load (i32.add (local.get $src) (local.get $i)))))
        (local.set $v (f64.sub (f64.load (i32.add (local.get $src) (local.get $i))) (local.get $c)))
        (f64.store (i32.add (local.get $src) (local.get $i)) (local.get $v))
        (local.set $t (f64.add (local.get $t) (local.get $v)))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))))
    (local.set $v (f64.sub (f64.load (i32.add (local.get $src) (local.get $i))) (local.get $c)))
    (f64.store (i32.add (local.get $src) (local.get $i)) (local.get $v))
    (f64.add (local.get $t) (local.get $v)))`;

// dst[i] = (base? dst[i] : k) + w0·x0[i] + … + w_{N−1}·x_{N−1}[i], added left to right (the basket spread, up to six
// series a pass; k = Σ w_j·c_j restores the centring constants of centred levels); four rows a loop iteration (two
// independent add chains), then two, then the last odd one.
function combine(N) {
  const cols = [...Array(N)].map((_, c) => c);
  const terms = (acc, load, offset) =>
    cols.map((c) => `        (local.set ${acc} (f64x2.add (local.get ${acc}) (f64x2.mul (local.get $w${c}v) (${load} offset=${offset} (i32.add (local.get $p${c}) (local.get $i))))))`).join("\n");
  const start = (acc, load, offset) =>
    `        (local.set ${acc} (local.get $kv))\n        (if (local.get $base) (then (local.set ${acc} (${load} offset=${offset} (i32.add (local.get $dst) (local.get $i))))))`;
  return `  (func (export "combine${N}") (param $dst i32) ${cols.map((c) => `(param $p${c} i32)`).join(" ")} ${cols.map((c) => `(param $w${c} f64)`).join(" ")} (param $k f64) (param $n i32) (param $base i32)
    (local $i i32) (local $end i32) (local $pairs i32) (local $quads i32) (local $kv v128) (local $v v128) (local $u v128) ${cols.map((c) => `(local $w${c}v v128)`).join(" ")}
${cols.map((c) => `    (local.set $w${c}v (f64x2.splat (local.get $w${c})))`).join("\n")}
    (local.set $kv (f64x2.splat (local.get $k)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $pairs (i32.and (local.get $end) (i32.const -16)))
    (local.set $quads (i32.and (local.get $end) (i32.const -32)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $quads)))
${start("$v", "v128.load", 0)}
${start("$u", "v128.load", 16)}
${terms("$v", "v128.load", 0)}
${terms("$u", "v128.load", 16)}
        (v128.store (i32.add (local.get $dst) (local.get $i)) (local.get $v))
        (v128.store offset=16 (i32.add (local.get $dst) (local.get $i)) (local.get $u))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $rows)))
    (if (i32.lt_u (local.get $i) (local.get $pairs))
      (then
${start("$v", "v128.load", 0)}
${terms("$v", "v128.load", 0)}
        (v128.store (i32.add (local.get $dst) (local.get $i)) (local.get $v))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))))
    (if (i32.lt_u (local.get $i) (local.get $end))
      (then
${start("$v", "v128.load64_zero", 0)}
${terms("$v", "v128.load64_zero", 0)}
        (f64.store (i32.add (local.get $dst) (local.get $i)) (f64x2.extract_lane 0 (local.get $v))))))`;
}

const wat = `;; Generated by scripts/johansen-kernels-wasm.mjs — do not edit by hand.
;; SIMD kernels of johansenTest's moment matrix (src/universe/cross-products.ts tiles the matrices with them).
(module
  (memory (export "memory") 1)
${[1, 2].flatMap((na) => [1, 2, 3, 4].map((nb) => tile(na, nb))).join("\n")}
${[1, 2, 3, 4].map(symmetric).join("\n")}
${[1, 2].map(diagonal).join("\n")}
${centreDiff}
${[1, 2, 3, 4, 5, 6].map(combine).join("\n")}
)
`;

const wabt = await wabtInit();
const module = wabt.parseWat("johansen-kernels.wat", wat, { simd: true });
module.validate();
const { buffer } = module.toBinary({});
const files = {
  "src/universe/johansen-kernels.wat": wat,
  "src/universe/johansen-kernels-wasm.ts": `// Generated by scripts/johansen-kernels-wasm.mjs from src/universe/johansen-kernels.wat (wabt ${"1.0.39"}) — do not edit.
/** The compiled WebAssembly SIMD kernels of johansenTest (${buffer.length} bytes), base64. Internal. */
export const JOHANSEN_KERNELS_WASM = "${Buffer.from(buffer).toString("base64")}";
/** Rows per loop step of each product kernel: it sums the first len − len % rows rows, the caller adds the rest. */
export const JOHANSEN_KERNEL_ROWS: Readonly<Record<string, 2 | 4>> = ${JSON.stringify(rowsPerStep).replace(/"/g, "").replace(/:/g, ": ").replace(/,/g, ", ")};
`,
};
// --check: exit 1 when the committed files differ from what this generator produces (test/universe runs it).
if (process.argv.includes("--check")) {
  const stale = Object.entries(files).filter(([f, text]) => readFileSync(join(root, f), "utf8") !== text).map(([f]) => f);
  if (stale.length > 0) {
    console.error(`stale generated files: ${stale.join(", ")}; run node scripts/johansen-kernels-wasm.mjs`);
    process.exit(1);
  }
  console.log("generated kernels are up to date");
} else {
  for (const [f, text] of Object.entries(files)) writeFileSync(join(root, f), text);
  console.log(`wrote src/universe/johansen-kernels.wat and johansen-kernels-wasm.ts (${buffer.length} bytes)`);
}
