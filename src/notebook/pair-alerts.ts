/**
 * The pair object's background alerts (issue 14): rules hosted in the ingestion worker (`startBackgroundAlerts`),
 * and the live alert panel and log in the notebook. One run per pair; a rerun replaces it.
 */
import { startBackgroundAlerts, type AlertRuleSpec, type BackgroundAlerts, type BackgroundAlertsOptions } from "../alerts";
import { alertLogBundle, alertPanelBundle, liveDisplay, startLive, type DisplayWriter, type LiveRun, type MimeBundle } from "../charts";
import type { Ingestion } from "../ingestion";

/** Options of `pair.alerts(rules, options)`: where the log goes, webhooks, delivery tuning (see `startBackgroundAlerts`). */
export type PairAlertsOptions = Omit<BackgroundAlertsOptions, "rules">;

/** Holds a pair's background alert run and renders its panel. */
export class PairAlerts {
  private run: BackgroundAlerts | undefined;

  constructor(
    private readonly ingestion: Ingestion,
    private readonly writer: DisplayWriter | null | undefined,
  ) {}

  /** True while background alerts run for this pair. */
  get running(): boolean {
    return this.run !== undefined;
  }

  /** Starts (or replaces) the run and waits for its first snapshot. */
  async start(rules: readonly AlertRuleSpec[], options: BackgroundAlertsOptions | PairAlertsOptions): Promise<BackgroundAlerts> {
    await this.stop();
    const run = await startBackgroundAlerts(this.ingestion, { ...options, rules });
    this.run = run;
    await run.ready();
    return run;
  }

  /** The live panel (rules with status and value, newest alerts, deliveries, counters) followed by the alert log. */
  panel(simulated: boolean, maxRows: number): MimeBundle {
    const run = this.run;
    if (run === undefined) throw new Error("no background alerts running: call pair.alerts(rules) first");
    const status = run.status();
    const alerts = run.alerts();
    const panel = alertPanelBundle({
      alerts,
      rules: status?.engine.rules,
      deliveries: run.deliveries(),
      delivery: status?.delivery,
      targets: status?.targets,
      simulated: simulated || (status?.engine.simulated ?? false),
      maxRows,
    });
    const log = alertLogBundle(alerts, { maxRows: Math.max(maxRows, 20) });
    const html = `${String(panel["text/html"] ?? "")}<div style="margin-top:6px"><b>Alert log</b> (${run.dir}/alerts.jsonl)</div>${String(log["text/html"] ?? "")}`;
    return { ...panel, "text/html": html, "text/plain": `${String(panel["text/plain"] ?? "")}\n${String(log["text/plain"] ?? "")}` };
  }

  /** The panel updated in place every second for `seconds`, whether or not other cells run afterwards. */
  live(seconds: number, simulated: () => boolean, maxRows: number): LiveRun {
    const display = liveDisplay({ minIntervalMs: 1000, writer: this.writer });
    const run = startLive({ everyMs: 1000, durationMs: seconds * 1000, name: "alerts panel" }, () => display.show(this.panel(simulated(), maxRows)));
    display.flush();
    return run;
  }

  /** Stops the run (state persisted). Idempotent. */
  async stop(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    if (run !== undefined) await run.stop();
  }
}
