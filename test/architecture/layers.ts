import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/**
 * The layers of pairlab, by top-level folder of src/ (ARCHITECTURE.md explains them). To add a folder, put
 * it in one layer here; to allow a new dependency, edit ALLOWED. A folder missing from this table fails the
 * layering test, so a new area cannot skip the review of its imports.
 */
export const LAYERS = {
  /** Shared leaf modules at the root of src/ (errors, parameter checks, version). */
  foundation: ["<root>"],
  /** Pure numerical code: no I/O, no rendering. */
  maths: ["analytics", "stationarity", "backtest", "universe", "quotes"],
  /** Network transport: sockets, decoders, the tick store. */
  transport: ["ingestion"],
  /** Persistent and historical data: the tick archive, Binance REST history, warm start, gap repair, replay. */
  data: ["archive", "history"],
  /** The pair computation: parameters, pair analytics, bar feeds, status and trade rates. */
  pair: ["pair"],
  /** Background services on pair state: alert rules, their engine and webhook delivery. */
  services: ["alerts"],
  /** Rendering: Plotly figures, HTML panels, notebook display. */
  rendering: ["charts"],
  /** Export: DataFrames and files. */
  export: ["export"],
  /** The notebook object (openPair) on top of everything. */
  notebook: ["notebook"],
} as const;

export type Layer = keyof typeof LAYERS;

/** Which layers each layer may import (itself always allowed). Imports point one way: down this table. */
export const ALLOWED: Record<Layer, readonly Layer[]> = {
  foundation: [],
  maths: ["foundation"],
  transport: ["foundation", "maths"],
  data: ["foundation", "maths", "transport"],
  pair: ["foundation", "maths", "transport", "data"],
  services: ["foundation", "maths", "transport", "data", "pair"],
  // Rendering never imports transport; it may render export's DataFrames (export never imports rendering).
  rendering: ["foundation", "maths", "pair", "export"],
  // Export may read the archive (data): exportTrades writes a range of archived trades to CSV/Parquet.
  export: ["foundation", "maths", "data", "pair"],
  notebook: ["foundation", "maths", "transport", "data", "pair", "services", "rendering", "export"],
};

/** Entry files that only re-export areas (allowed to import every layer). */
export const ENTRIES = ["index.ts", "internal.ts"];

/** The layer of a src-relative path ("charts/show.ts" → rendering), or undefined for an unclassified folder. */
export function layerOf(srcRelative: string): Layer | undefined {
  const parts = srcRelative.split(/[\\/]/);
  const folder = parts.length === 1 ? "<root>" : parts[0];
  for (const [layer, folders] of Object.entries(LAYERS) as [Layer, readonly string[]][]) if (folders.includes(folder)) return layer;
  return undefined;
}

/** Relative module specifiers a TypeScript file imports (static, dynamic, require, export … from). */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g, /^\s*import\s*["']([^"']+)["']/gm];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]);
  return found.filter((s) => s.startsWith("."));
}

/** One import that points the wrong way. */
export interface LayerViolation {
  file: string;
  imports: string;
  reason: string;
}

/** Checks one file's imports against the table. `file` is src-relative. O(imports). */
export function checkFile(file: string, source: string): LayerViolation[] {
  const out: LayerViolation[] = [];
  if (ENTRIES.includes(file)) return out;
  const from = layerOf(file);
  if (!from) return [{ file, imports: "", reason: `folder "${file.split(/[\\/]/)[0]}" is not in any layer (add it to LAYERS in test/architecture/layers.ts and to ARCHITECTURE.md)` }];
  for (const spec of importsOf(source)) {
    const target = relative(".", join(dirname(file), spec)).split(sep).join("/");
    if (target.startsWith("..")) {
      out.push({ file, imports: spec, reason: "imports from outside src/" });
      continue;
    }
    if (ENTRIES.includes(target.replace(/(\.ts)?$/, ".ts")) || target === "index" || target === "internal") {
      out.push({ file, imports: spec, reason: "imports a package entry (index/internal) instead of an area" });
      continue;
    }
    // "../charts" is a folder (its index.ts); "../errors" a root file.
    const isFolder = target.includes("/") || Object.values(LAYERS).some((folders) => (folders as readonly string[]).includes(target));
    const to = layerOf(isFolder ? `${target}/index.ts` : `${target}.ts`);
    if (!to) {
      out.push({ file, imports: spec, reason: `imports unclassified folder "${target.split("/")[0]}"` });
      continue;
    }
    if (to !== from && !ALLOWED[from].includes(to)) out.push({ file, imports: spec, reason: `${from} must not import ${to}` });
  }
  return out;
}

/** Every .ts file under `dir`, src-relative with "/" separators. */
export function sourceFiles(dir: string, base = dir): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path, base));
    else if (name.endsWith(".ts")) files.push(relative(base, path).split(sep).join("/"));
  }
  return files.sort();
}

/** Checks every file under `srcDir`. */
export function checkTree(srcDir: string): LayerViolation[] {
  const root = resolve(srcDir);
  return sourceFiles(root).flatMap((file) => checkFile(file, readFileSync(join(root, file), "utf8")));
}
