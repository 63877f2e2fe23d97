// Barrel of the alerts area (rules, engine, bar source, webhook delivery, log): re-exports only.
export {
  ALERT_FREQUENCIES,
  type AlertFrequency,
  type AlertRuleSpec,
  type ZScoreRuleSpec,
  type CorrelationRuleSpec,
  type HedgeDriftRuleSpec,
  type AdfRuleSpec,
  type PriceMoveRuleSpec,
  type QuoteCostRuleSpec,
  type RuleCommon,
  type AlertBar,
  type BarSource as AlertBarSource,
  type Touch,
  type AlertEvent,
} from "./alert-types";
export { RULE_KINDS } from "./create-rule";
export { AlertEngine, type AlertEngineOptions, type AlertEngineStatus, type RuleStatus } from "./alert-engine";
export { AlertLog } from "./alert-log";
export { pollingBarSource, type PollingBarSource, type PollingBarSourceOptions, type TickReader, type TouchReader } from "./polling-bar-source";
export { WebhookTarget, WEBHOOK_PRESETS, alertText, type WebhookPreset, type WebhookTargetOptions, type WebhookTemplate } from "./webhook-target";
export { AlertOutbox, type AlertOutboxOptions, type DeliveryRecord, type OutboxStats } from "./alert-outbox";
export { loadWebhookTargets, WEBHOOK_ENV, DEFAULT_ALERTS_CONFIG, type LoadWebhookTargetsOptions } from "./load-webhook-targets";
export { startAlerts, stopAllAlerts, type StartAlertsOptions, type AlertsRun } from "./start-alerts";
export type { AlertClock } from "./alert-clock";
export { startBackgroundAlerts, type BackgroundAlerts, type BackgroundAlertsOptions } from "./background-alerts";
export { ArchiveAlertLog } from "./archive-alert-log";
