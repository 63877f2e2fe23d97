import { extname, join } from "node:path";
import { resolveArchiveSpec, type ArchiveSpec } from "../archive/open-archive";
import { parameterRangeError, parameterTypeError } from "../errors";
import { registerIngestionExtension, type NormalizedIngestionOptions, type ResolvedSource } from "../ingestion/internal-extension";

/** The settings the history worker module receives for one ingestion (structured-cloneable). */
export interface IngestionHistoryConfig {
  /** Where to record; "off": nothing recorded. Never recorded during a replay (the trades are archived already). */
  archive: ArchiveSpec;
  /** Repair final gaps from REST. */
  repair: boolean;
  stream: "trade" | "aggTrade";
  symbols: string[];
  /** Set for `source: "replay"`. */
  replay?: { from: number; to: number; speed: number | "max" };
  /** How the REST base URL follows the source: a live base override (`liveUrl`), if any. */
  liveUrl?: string;
  /** Recorder commit cadence (ms, ≤ 1000). */
  commitMs: number;
}

/**
 * Turns `startIngestion` options into the history worker config: the archive from `archive` /
 * `PAIRLAB_ARCHIVE` (default `<project>/data/pairlab.sqlite`, `"off"` for none), gap repair (`repairGaps`,
 * default true), and `replay` for `source: "replay"`. Returns undefined when there is nothing to do. O(1).
 *
 * @throws RangeError/TypeError (E_PARAM) for a bad `archive`, `replay` or `repairGaps`.
 * @example
 * configureIngestionHistory(opts, { kind: "demo", text: "demo", from: "option" }, { PAIRLAB_ARCHIVE: "off" }); // { archive: { kind: "off" }, repair: true, … }
 */
export function configureIngestionHistory(options: NormalizedIngestionOptions, resolved: ResolvedSource, env: Record<string, string | undefined>): IngestionHistoryConfig | undefined {
  const what = "startIngestion";
  const archive = resolveArchiveSpec(options.archive, env);
  if (options.repairGaps !== undefined && typeof options.repairGaps !== "boolean") throw parameterTypeError(what, "repairGaps", "true or false", options.repairGaps);
  const isReplay = resolved.text === "replay";
  let replay: IngestionHistoryConfig["replay"];
  if (isReplay) {
    const r = options.replay;
    if (r === undefined || r === null || typeof r !== "object") throw parameterTypeError(what, "replay", "{ from, to, speed? } (epoch ms) with source \"replay\"", r);
    if (!Number.isFinite(r.from)) throw parameterRangeError(what, "replay.from", "a finite epoch ms", r.from);
    if (!(Number.isFinite(r.to) && r.to > r.from)) throw parameterRangeError(what, "replay.to", `a finite epoch ms > replay.from (${r.from})`, r.to);
    const speed = r.speed ?? "max";
    if (speed !== "max" && !(typeof speed === "number" && speed > 0 && Number.isFinite(speed))) throw parameterRangeError(what, "replay.speed", 'a number > 0 (× real time) or "max"', speed);
    if (archive.kind === "off") throw parameterRangeError(what, "archive", 'an archive to replay from (source "replay" with archive "off")', "off");
    replay = { from: r.from, to: r.to, speed };
  } else if (options.replay !== undefined) {
    throw parameterRangeError(what, "replay", 'undefined unless source is "replay"', JSON.stringify(options.replay));
  }
  const repair = !isReplay && options.repairGaps !== false;
  if (archive.kind === "off" && !repair && !isReplay) return undefined;
  return { archive, repair, stream: options.stream, symbols: [...options.symbols], replay, liveUrl: options.liveUrl, commitMs: 250 };
}

const workerModule = join(__dirname, `ingestion-history-worker${extname(__filename) || ".js"}`);

const demoRestModule = join(__dirname, `demo-exchange-rest${extname(__filename) || ".js"}`);

registerIngestionExtension({ name: "history", module: workerModule, demoRestModule, configure: configureIngestionHistory });

/** The history area's ingestion extension is registered when this module loads (through the `pairlab` entry). */
export const INGESTION_HISTORY_MODULE = workerModule;
