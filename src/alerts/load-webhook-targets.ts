import { existsSync, readFileSync } from "node:fs";
import { parameterRangeError } from "../errors";
import { WebhookTarget, type WebhookTargetOptions } from "./webhook-target";

/** Environment variables read by {@link loadWebhookTargets} (each one target). */
export const WEBHOOK_ENV = {
  slack: "PAIRLAB_SLACK_WEBHOOK_URL",
  discord: "PAIRLAB_DISCORD_WEBHOOK_URL",
  telegramToken: "PAIRLAB_TELEGRAM_BOT_TOKEN",
  telegramChat: "PAIRLAB_TELEGRAM_CHAT_ID",
  generic: "PAIRLAB_WEBHOOK_URL",
} as const;

/** Default config file (gitignored: `.pairlab/` is in .gitignore). */
export const DEFAULT_ALERTS_CONFIG = ".pairlab/alerts.json";

/** Options of {@link loadWebhookTargets}. */
export interface LoadWebhookTargetsOptions {
  /** Environment (default process.env). */
  env?: Record<string, string | undefined>;
  /** Config file (default ".pairlab/alerts.json"; a missing file is fine). */
  file?: string;
}

interface FileTarget extends Partial<WebhookTargetOptions> {
  /** Read the URL / token from this environment variable instead of the file. */
  urlEnv?: string;
  tokenEnv?: string;
}

/**
 * Webhook targets from the environment and a gitignored JSON config file — the only two places secrets
 * come from; nothing is printed. Environment: `PAIRLAB_SLACK_WEBHOOK_URL` (target "slack"),
 * `PAIRLAB_DISCORD_WEBHOOK_URL` ("discord"), `PAIRLAB_TELEGRAM_BOT_TOKEN` + `PAIRLAB_TELEGRAM_CHAT_ID`
 * ("telegram"), `PAIRLAB_WEBHOOK_URL` ("webhook", generic). File: `{ "webhooks": [{ "name", "preset",
 * "url" | "urlEnv", "token" | "tokenEnv", "chatId", "template", "headers" }] }`; a file target with the same
 * name as an environment target replaces it. O(targets).
 *
 * @throws RangeError (E_PARAM) naming the file and entry for unreadable JSON or a bad entry (secret values never echoed).
 * @example
 * const targets = loadWebhookTargets(); // [] when nothing is configured
 * targets.map(String) // ['WebhookTarget(slack, slack, url: [redacted])']
 */
export function loadWebhookTargets(options: LoadWebhookTargetsOptions = {}): WebhookTarget[] {
  const env = options.env ?? process.env;
  const file = options.file ?? DEFAULT_ALERTS_CONFIG;
  const byName = new Map<string, WebhookTarget>();
  if (env[WEBHOOK_ENV.slack]) byName.set("slack", new WebhookTarget({ name: "slack", preset: "slack", url: env[WEBHOOK_ENV.slack] }));
  if (env[WEBHOOK_ENV.discord]) byName.set("discord", new WebhookTarget({ name: "discord", preset: "discord", url: env[WEBHOOK_ENV.discord] }));
  if (env[WEBHOOK_ENV.telegramToken]) {
    byName.set("telegram", new WebhookTarget({ name: "telegram", preset: "telegram", token: env[WEBHOOK_ENV.telegramToken], chatId: env[WEBHOOK_ENV.telegramChat] }));
  }
  if (env[WEBHOOK_ENV.generic]) byName.set("webhook", new WebhookTarget({ name: "webhook", preset: "generic", url: env[WEBHOOK_ENV.generic] }));
  if (existsSync(file)) {
    let parsed: { webhooks?: FileTarget[] };
    try {
      parsed = JSON.parse(readFileSync(file, "utf8")) as { webhooks?: FileTarget[] };
    } catch {
      throw parameterRangeError(`alerts config ${file}`, "file", "valid JSON { \"webhooks\": [...] }", "unparsable JSON");
    }
    const list = parsed?.webhooks ?? [];
    if (!Array.isArray(list)) throw parameterRangeError(`alerts config ${file}`, "webhooks", "an array", typeof list);
    for (const entry of list) {
      const { urlEnv, tokenEnv, ...rest } = entry;
      const opts = { ...rest } as WebhookTargetOptions;
      if (urlEnv !== undefined) opts.url = env[urlEnv];
      if (tokenEnv !== undefined) opts.token = env[tokenEnv];
      const t = new WebhookTarget(opts);
      byName.set(t.name, t);
    }
  }
  return [...byName.values()];
}
