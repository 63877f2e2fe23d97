import type { IngestionRunner, NormalizedIngestionOptions } from "./ingestion";
import type { IngestionStats } from "./ingestion-types";
import type { ResolvedSource } from "./resolve-source";

/** What an extension's worker module is given: its config (structured-cloneable) and the source as resolved. */
export interface WorkerExtensionSpec {
  /** Absolute path of the module loaded in the ingestion worker (a `.ts` file from source, `.js` from dist/). */
  module: string;
  /** Structured-cloneable settings made on the kernel thread by {@link IngestionExtension.configure}. */
  config: unknown;
}

/**
 * A higher layer's hook into the ingestion worker (the seam that keeps transport free of archive imports):
 * registered once per process on the kernel thread; `configure` turns the `startIngestion` options into a
 * config (or undefined: not used for this ingestion); the worker then `require`s `module`, which exports
 * {@link WorkerExtensionModule}. The history area registers the recorder / gap repair / replay this way.
 */
export interface IngestionExtension {
  name: string;
  module: string;
  /** A module the demo exchange mounts for its REST endpoints (`DemoFeedOptions.restModule`), by default, if any. */
  demoRestModule?: string;
  /** Called on the kernel thread by `startIngestion`; throws RangeError/TypeError for bad options. */
  configure(options: NormalizedIngestionOptions, resolved: ResolvedSource, env: Record<string, string | undefined>): unknown;
}

/** What a running extension offers the worker. */
export interface WorkerExtensionInstance {
  /** Adds its fields to a stats() snapshot (in place). */
  decorate(stats: IngestionStats): void;
  /** Stops it (flushes what it holds); awaited before the worker thread ends. */
  stop(): Promise<void>;
}

/** The exports of an extension's worker module. */
export interface WorkerExtensionModule {
  /** Before the runner exists: may replace the source (e.g. a replay server's URL). */
  prepare?(config: unknown, resolved: ResolvedSource, options: NormalizedIngestionOptions): Promise<ResolvedSource | undefined>;
  /** Attaches to the running runner. */
  attach(runner: IngestionRunner, config: unknown): WorkerExtensionInstance;
}

const KEY = Symbol.for("pairlab.ingestion.extensions");

function extensions(): Map<string, IngestionExtension> {
  const g = globalThis as unknown as Record<symbol, Map<string, IngestionExtension> | undefined>;
  return (g[KEY] ??= new Map());
}

/**
 * Registers (or replaces, by name) an ingestion extension for this process. O(1).
 * @example
 * registerIngestionExtension({ name: "history", module: "/…/ingestion-history.js", configure: () => ({}) });
 */
export function registerIngestionExtension(extension: IngestionExtension): void {
  extensions().set(extension.name, extension);
}

/** The worker specs of every registered extension that applies to these options (in registration order). */
export function extensionSpecs(options: NormalizedIngestionOptions, resolved: ResolvedSource, env: Record<string, string | undefined>): WorkerExtensionSpec[] {
  const out: WorkerExtensionSpec[] = [];
  for (const e of extensions().values()) {
    const config = e.configure(options, resolved, env);
    if (config !== undefined) out.push({ module: e.module, config });
  }
  return out;
}

/** The first registered extension's demo REST module, if any (the default of `DemoFeedOptions.restModule`). */
export function defaultDemoRestModule(): string | undefined {
  for (const e of extensions().values()) if (e.demoRestModule !== undefined) return e.demoRestModule;
  return undefined;
}

/** True when an extension is registered under `name`. */
export function hasIngestionExtension(name: string): boolean {
  return extensions().has(name);
}
