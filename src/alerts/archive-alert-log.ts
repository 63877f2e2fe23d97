import type { Archive } from "../archive/archive-types";
import { openArchive } from "../archive/open-archive";
import { hasArchiveTables, type AlertLogEntry, type ArchiveTables } from "../archive/quote-table";
import { parameterRangeError } from "../errors";
import type { AlertEvent } from "./alert-types";

/** Alerts kept queued for the table while the archive refuses writes (then the oldest are dropped and counted). */
const MAX_BACKLOG = 10_000;

/**
 * The alert log as an archive table (`alert_log` in SQLite, `pairlab_alert_log` in PostgreSQL): append-only
 * (the database refuses UPDATE and DELETE), keyed by the alert id, so re-sending an alert (a retry, a restart
 * that re-evaluates a bar) never stores it twice. Used next to the file log (`alerts.jsonl`), which stays.
 *
 * An append that fails (server down, disk full) keeps the alerts queued (≤ 10,000) and the next append retries
 * them first, in firing order; `append` never throws (it resolves to the error text, "" on success), so a dead
 * archive never stops alert evaluation or delivery. O(alerts) per append.
 *
 * @example
 * const table = await ArchiveAlertLog.open("file:data/pairlab.sqlite");
 * await table.append([alert]); // ""
 * (await table.read()).length;  // 1
 * await table.close();
 */
export class ArchiveAlertLog {
  private backlog: AlertEvent[] = [];
  /** Alerts dropped from the queue after a long failure (still in the file log). */
  dropped = 0;
  /** Alerts newly stored in the table. */
  written = 0;

  private constructor(
    private readonly tables: ArchiveTables,
    private readonly owned: Archive | null,
    /** Where: the SQLite path or the PostgreSQL URL without its password. */
    readonly location: string,
  ) {}

  /**
   * Opens the archive named by `setting` (as `openArchive`: "file:<path>", "postgres://…"; `undefined`: the
   * ingestion's archive, `PAIRLAB_ARCHIVE` else `data/pairlab.sqlite`) for its alert-log table.
   * @throws RangeError (E_PARAM) for "off" (also through `PAIRLAB_ARCHIVE`) or a bad setting; ArchiveError when the archive cannot be opened.
   */
  static async open(setting?: string): Promise<ArchiveAlertLog> {
    if (setting !== undefined && (typeof setting !== "string" || setting.trim().toLowerCase() === "off")) {
      throw parameterRangeError("alert log", "archive", '"file:<path>", "postgres://…" or true (the ingestion\'s archive); omit it for the file log only', setting);
    }
    const archive = await openArchive(setting);
    if (archive === null) throw parameterRangeError("alert log", "archive", 'an archive, but PAIRLAB_ARCHIVE is "off"', "off");
    return ArchiveAlertLog.on(archive, archive);
  }

  /** Uses an already open archive (not closed by {@link close} unless `owned` is it). */
  static on(archive: Archive, owned: Archive | null = null): ArchiveAlertLog {
    if (!hasArchiveTables(archive)) throw parameterRangeError("alert log", "archive", "an archive with the alert-log table (schema version ≥ 2)", archive.kind);
    return new ArchiveAlertLog(archive, owned, archive.location);
  }

  /** Appends `alerts` (and any queued from failed appends); resolves to "" or the error text. Never rejects. */
  async append(alerts: readonly AlertEvent[]): Promise<string> {
    this.backlog.push(...alerts);
    if (this.backlog.length > MAX_BACKLOG) this.dropped += this.backlog.splice(0, this.backlog.length - MAX_BACKLOG).length;
    if (this.backlog.length === 0) return "";
    const batch = this.backlog.slice();
    try {
      this.written += await this.tables.appendAlertLog(batch.map(toEntry));
      this.backlog.splice(0, batch.length);
      return "";
    } catch (error) {
      return `alert-log table: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Alerts waiting for a retry. */
  get pending(): number {
    return this.backlog.length;
  }

  /** Every logged alert, in append order (a row whose JSON does not parse is skipped and counted). */
  async read(): Promise<{ alerts: AlertEvent[]; corrupt: number }> {
    const alerts: AlertEvent[] = [];
    let corrupt = 0;
    for (const e of await this.tables.readAlertLog()) {
      try {
        const a = JSON.parse(e.json) as AlertEvent;
        if (a !== null && typeof a === "object" && a.id === e.id) alerts.push(a);
        else corrupt++;
      } catch {
        corrupt++;
      }
    }
    return { alerts, corrupt };
  }

  /** Closes the archive when this log opened it. Idempotent. */
  async close(): Promise<void> {
    await this.owned?.close();
  }
}

function toEntry(a: AlertEvent): AlertLogEntry {
  return { id: a.id, firedAt: a.firedAt, ruleId: a.ruleId, simulated: a.simulated, json: JSON.stringify(a) };
}
