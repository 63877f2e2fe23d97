/**
 * The error vocabulary of pairlab. One rule for the whole library:
 *
 * - **Bad parameters** (a window < 2, an unknown enum value, a NaN threshold) throw the built-in
 *   `RangeError` or `TypeError` *before any work*, with a message that names the function, the
 *   parameter, the value received and what is accepted. They carry `code = "E_PARAM"`.
 * - **Too little data** for a rolling output yields `NaN` slots until the window is full
 *   (pandas/statsmodels semantics). For a scalar result (OLS, ADF, half-life) it throws
 *   {@link InsufficientDataError}, which says how many points are needed and how many were given.
 * - **Unusable data** (NaN/Infinity inside a series that must be finite, a constant or
 *   rank-deficient regressor) throws {@link NonFiniteInputError} or {@link DegenerateInputError}.
 *   A silent NaN hedge ratio is never returned.
 *
 * Every error pairlab throws has a stable string `code`; the README lists them.
 */

/** Stable error codes (listed in the README). */
export type PairlabErrorCode =
  | "E_PARAM"
  | "E_INSUFFICIENT_DATA"
  | "E_NON_FINITE"
  | "E_DEGENERATE"
  | "E_SOURCE"
  | "E_STOPPED"
  | "E_EXPORT"

  | "E_ARCHIVE_CORRUPT"
  | "E_ARCHIVE_LOCKED"
  | "E_ARCHIVE_FOREIGN"
  | "E_ARCHIVE_VERSION"
  | "E_ARCHIVE_FULL"
  | "E_ARCHIVE_IO"
  | "E_ARCHIVE_CLOSED"
  | "E_REST"
  | "E_REST_BANNED";

/** Base class of pairlab's own errors; `code` is stable across versions. */
export class PairlabError extends Error {
  /** Stable machine-readable code. */
  readonly code: PairlabErrorCode;
  constructor(code: PairlabErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Thrown by scalar computations (OLS, ADF, half-life, …) when the input is too short.
 * `needed` and `got` are counts of observations (points, bars), never time.
 */
export class InsufficientDataError extends PairlabError {
  /** Minimum number of observations required. */
  readonly needed: number;
  /** Number of usable observations given. */
  readonly got: number;
  constructor(what: string, needed: number, got: number, detail = "") {
    super(
      "E_INSUFFICIENT_DATA",
      `Insufficient data for ${what}: needs at least ${needed} observations, got ${got}${detail ? ` (${detail})` : ""}`,
    );
    this.needed = needed;
    this.got = got;
  }
}

/** Thrown when a series that must be finite holds NaN or ±Infinity; `index` is the first bad position. */
export class NonFiniteInputError extends PairlabError {
  /** Zero-based index of the first non-finite value. */
  readonly index: number;
  /** Name of the offending argument. */
  readonly field: string;
  constructor(what: string, field: string, index: number, value: number) {
    super("E_NON_FINITE", `Cannot compute ${what}: '${field}' must be finite, got ${value} at index ${index}`);
    this.index = index;
    this.field = field;
  }
}

/** Thrown when the data make the estimator undefined: a constant series, a rank-deficient design. */
export class DegenerateInputError extends PairlabError {
  /** Name of the offending argument. */
  readonly field: string;
  constructor(what: string, field: string, reason: string) {
    super("E_DEGENERATE", `Cannot compute ${what}: '${field}' ${reason}`);
    this.field = field;
  }
}

/** Why a file could not be written, by the system error code (ENOSPC, EROFS, …). */
const WRITE_REASONS: Record<string, string> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is exhausted",
  EROFS: "the file system is read-only",
  ENOTDIR: "a part of the folder path is a file, not a folder",
  EISDIR: "the path is a folder",
  ENOENT: "a folder in the path does not exist",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EEXIST: "a temporary file of the same name exists",
  EIO: "an I/O error occurred",
};

/**
 * Thrown when an export file cannot be written (full disk, read-only file system, a file where a folder
 * should be, …). Names the path; `systemCode` is the operating system's code (ENOSPC, EROFS, ENOTDIR…).
 * The previous file at `path`, if any, is left untouched.
 */
export class ExportError extends PairlabError {
  /** The file that could not be written. */
  readonly path: string;
  /** The system error code, e.g. "ENOSPC" ("" when unknown). */
  readonly systemCode: string;
  constructor(path: string, cause: unknown) {
    const systemCode = typeof (cause as { code?: unknown })?.code === "string" ? String((cause as { code: string }).code) : "";
    const reason = WRITE_REASONS[systemCode] ?? (cause instanceof Error ? cause.message : String(cause));
    super("E_EXPORT", `Cannot write ${JSON.stringify(path)}: ${reason}${systemCode ? ` (${systemCode})` : ""}; any previous file there is unchanged`);
    this.path = path;
    this.systemCode = systemCode;
    if (cause !== undefined) Object.defineProperty(this, "cause", { value: cause, enumerable: false });
  }
}

/** Builds a `RangeError` with `code = "E_PARAM"` naming the function, the parameter, the value and what is accepted. */
export function parameterRangeError(what: string, field: string, accepted: string, value: unknown): RangeError {
  const error = new RangeError(`Cannot compute ${what}: '${field}' must be ${accepted}, got ${formatValue(value)}`);
  Object.defineProperty(error, "code", { value: "E_PARAM", enumerable: true });
  return error;
}

/** Builds a `TypeError` with `code = "E_PARAM"` naming the function, the parameter, the value and what is accepted. */
export function parameterTypeError(what: string, field: string, accepted: string, value: unknown): TypeError {
  const error = new TypeError(`Cannot compute ${what}: '${field}' must be ${accepted}, got ${formatValue(value)}`);
  Object.defineProperty(error, "code", { value: "E_PARAM", enumerable: true });
  return error;
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}
