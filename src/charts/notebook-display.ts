import Module from "node:module";
import type { MimeBundle } from "./mime-bundle";

/** The content of a Jupyter `display_data` / `update_display_data` message. */
export interface DisplayContent {
  data: MimeBundle;
  metadata: Record<string, never>;
  transient: { display_id?: string };
}

/** Sends one display message to the kernel's IOPub channel (`update` = `update_display_data`). */
export type DisplayWriter = (content: DisplayContent, update: boolean) => void;

const TSLAB_JUPYTER = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/**
 * Finds the display writer of the tslab kernel this process is running, or `null` outside a kernel.
 *
 * tslab's public `display.raw(mime, data)` sends a single MIME type; a full bundle needs the function
 * tslab keeps in `jupyter.lastWriteDisplayData` (set for each executed cell). That must be the
 * *kernel's own loaded copy* of `tslab/dist/jupyter.js`, not a second copy loaded from disk (which would
 * hold `null`), so it is looked up in Node's module cache among every loaded `tslab/dist/jupyter.js`,
 * taking the first whose writer is set. Looked up on every call because tslab replaces the writer for
 * each cell. This is the only place pairlab touches tslab internals. O(loaded modules).
 */
export function findKernelWriter(): DisplayWriter | null {
  const cache = (Module as unknown as { _cache?: Record<string, { exports?: unknown } | undefined> })._cache ?? {};
  for (const key of Object.keys(cache)) {
    if (!TSLAB_JUPYTER.test(key)) continue;
    const exported = cache[key]?.exports as { lastWriteDisplayData?: unknown } | undefined;
    if (exported && typeof exported.lastWriteDisplayData === "function") return exported.lastWriteDisplayData as DisplayWriter;
  }
  return null;
}

const TSLAB_PUBLIC = /[\\/]tslab[\\/]dist[\\/]public\.js$/;

/** tslab's public single-MIME display API (`display.html`, `display.text`), as loaded by the kernel. */
interface TslabPublicDisplay {
  html(s: string): void;
  text(s: string): void;
}

/**
 * Fallback for a kernel whose internals changed: tslab's public `display` object from the kernel's own
 * loaded `tslab/dist/public.js` (one MIME type per call), or `null`. O(loaded modules).
 */
export function findPublicDisplay(): TslabPublicDisplay | null {
  const cache = (Module as unknown as { _cache?: Record<string, { exports?: unknown } | undefined> })._cache ?? {};
  for (const key of Object.keys(cache)) {
    if (!TSLAB_PUBLIC.test(key)) continue;
    const display = (cache[key]?.exports as { display?: Partial<TslabPublicDisplay> } | undefined)?.display;
    if (display && typeof display.html === "function" && typeof display.text === "function") return display as TslabPublicDisplay;
  }
  return null;
}

/** Options of {@link displayBundle}. */
export interface DisplayOptions {
  /** Display id: later calls with the same id and `update: true` replace the output in place. */
  displayId?: string;
  /** Send `update_display_data` (replace the output with `displayId`) instead of a new `display_data`. */
  update?: boolean;
  /** Writer to use; default {@link findKernelWriter}(). Tests pass a recorder. */
  writer?: DisplayWriter | null;
}

/**
 * Displays a full MIME bundle in the notebook. Inside a tslab kernel it sends one `display_data` (or
 * `update_display_data`) message carrying every MIME type of the bundle. Fallbacks, in order: if the
 * kernel's internal writer cannot be found but tslab's public API is loaded, its `display.html` (or
 * `display.text`) sends the HTML alone (no in-place update); outside a kernel (plain Node, tests,
 * scripts) the bundle's `text/plain` is printed on stdout.
 *
 * @returns `true` when the full bundle went to a kernel, `false` when a fallback was used.
 * @throws RangeError (E_PARAM) when `update` is set without `displayId` (nothing to update).
 * @example displayBundle(figureBundle(fig)) // true inside Jupyter
 */
export function displayBundle(bundle: MimeBundle, options: DisplayOptions = {}): boolean {
  if (options.update && !options.displayId) {
    const error = new RangeError("Cannot display: 'update' needs a 'displayId' to update, got none");
    Object.defineProperty(error, "code", { value: "E_PARAM", enumerable: true });
    throw error;
  }
  const writer = options.writer === undefined ? findKernelWriter() : options.writer;
  if (!writer) {
    const publicDisplay = options.writer === undefined ? findPublicDisplay() : null;
    try {
      if (publicDisplay && typeof bundle["text/html"] === "string") publicDisplay.html(bundle["text/html"]);
      else if (publicDisplay) publicDisplay.text(bundle["text/plain"]);
      else process.stdout.write(bundle["text/plain"] + "\n");
    } catch {
      process.stdout.write(bundle["text/plain"] + "\n"); // tslab's public API throws "Not ready" outside a cell
    }
    return false;
  }
  writer({ data: bundle, metadata: {}, transient: options.displayId ? { display_id: options.displayId } : {} }, Boolean(options.update));
  return true;
}
