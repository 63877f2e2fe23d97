import { parameterRangeError, parameterTypeError } from "../errors";
import { SourceError } from "./ingestion-errors";

/** A validated data source. */
export type ResolvedSource =
  | { kind: "auto"; text: "auto"; from: SourceOrigin }
  | { kind: "binance"; text: "binance"; from: SourceOrigin }
  | { kind: "demo"; text: "demo"; from: SourceOrigin }
  | { kind: "url"; text: string; url: string; from: SourceOrigin };

/** Where the source setting came from. */
export type SourceOrigin = "option" | "PAIRLAB_SOURCE" | "default";

/** Name of the environment variable that sets the default source. */
export const SOURCE_ENV = "PAIRLAB_SOURCE";

/**
 * Resolves the data source: the `source` option when given, else the `PAIRLAB_SOURCE` environment
 * variable, else `"auto"`. Accepted values: `"auto"`, `"binance"` (alias `"live"`), `"demo"`, or a
 * `ws://` / `wss://` base URL of a server speaking Binance's protocol (trailing `/` removed; no query or
 * fragment). Keywords are case-insensitive. O(length).
 *
 * @throws TypeError/RangeError (E_PARAM) for an invalid `source` option; SourceError (E_SOURCE) for an invalid `PAIRLAB_SOURCE`.
 * @example
 * resolveSource(undefined, { PAIRLAB_SOURCE: "demo" });            // { kind: "demo", text: "demo", from: "PAIRLAB_SOURCE" }
 * resolveSource("ws://127.0.0.1:9000/", {});                        // { kind: "url", url: "ws://127.0.0.1:9000", … }
 * resolveSource(undefined, {});                                     // { kind: "auto", text: "auto", from: "default" }
 */
export function resolveSource(option: unknown, env: Record<string, string | undefined> = process.env): ResolvedSource {
  if (option !== undefined) {
    if (typeof option !== "string") throw parameterTypeError("startIngestion", "source", accepted, option);
    const r = parse(option, "option");
    if (r === undefined) throw parameterRangeError("startIngestion", "source", accepted, option);
    return r;
  }
  const fromEnv = env[SOURCE_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== "") {
    const r = parse(fromEnv, "PAIRLAB_SOURCE");
    if (r === undefined) {
      throw new SourceError(fromEnv, `Invalid ${SOURCE_ENV}=${JSON.stringify(fromEnv)}: must be ${accepted}`);
    }
    return r;
  }
  return { kind: "auto", text: "auto", from: "default" };
}

const accepted = "\"auto\", \"binance\", \"demo\", \"replay\" or a ws:// / wss:// base URL";

function parse(text: string, from: SourceOrigin): ResolvedSource | undefined {
  const t = text.trim();
  const k = t.toLowerCase();
  if (k === "auto") return { kind: "auto", text: "auto", from };
  if (k === "binance" || k === "live") return { kind: "binance", text: "binance", from };
  if (k === "demo") return { kind: "demo", text: "demo", from };
  // Archived trades through the history area's replay server (its worker extension sets the URL).
  if (k === "replay") return { kind: "url", text: "replay", url: "replay:", from };
  if (!/^wss?:\/\//i.test(t)) return undefined;
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return undefined;
  }
  if (u.hostname === "" || u.search !== "" || u.hash !== "") return undefined;
  const url = `${u.protocol}//${u.host}${u.pathname}`.replace(/\/+$/, "");
  return { kind: "url", text: url, url, from };
}
