import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import type { AlertEvent } from "./alert-types";
import { appendFileSynced } from "./write-file-atomic";

/**
 * The append-only alert log: one JSON object per line (JSON Lines), each append written with a single
 * `write` and fsync'd before it returns, so an alert the engine reports as fired is on disk. Never
 * rewritten or truncated. Appends are synchronous and happen only when alerts fire. O(bytes) per append.
 * @example
 * const log = new AlertLog("/tmp/alerts.jsonl");
 * log.append([alert]);
 * AlertLog.read("/tmp/alerts.jsonl").alerts.length // 1
 */
export class AlertLog {
  constructor(readonly path: string) {}

  /** Appends `alerts` (one line each) and fsyncs. No-op for an empty list. */
  append(alerts: readonly AlertEvent[]): void {
    if (alerts.length === 0) return;
    const text = alerts.map((a) => JSON.stringify(a)).join("\n") + "\n";
    const fd = openSync(this.path, "a", 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Asynchronous {@link append}: resolves once the lines are fsync'd. */
  async appendAsync(alerts: readonly AlertEvent[]): Promise<void> {
    if (alerts.length === 0) return;
    await appendFileSynced(this.path, alerts.map((a) => JSON.stringify(a)).join("\n") + "\n");
  }

  /**
   * Reads a log: every well-formed line, oldest first. A torn last line (a crash mid-append) or any
   * unparsable line is skipped and counted in `corrupt`, never fatal. A missing file reads as empty. O(bytes).
   */
  static read(path: string): { alerts: AlertEvent[]; corrupt: number } {
    if (!existsSync(path)) return { alerts: [], corrupt: 0 };
    const alerts: AlertEvent[] = [];
    let corrupt = 0;
    for (const line of readFileSync(path, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      try {
        const a = JSON.parse(line) as AlertEvent;
        if (a && typeof a.id === "string") alerts.push(a);
        else corrupt++;
      } catch {
        corrupt++;
      }
    }
    return { alerts, corrupt };
  }
}
