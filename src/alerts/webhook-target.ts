import { inspect } from "node:util";
import { parameterRangeError } from "../errors";
import type { AlertEvent } from "./alert-types";

/** Payload presets: Slack incoming webhook, Discord webhook, Telegram bot `sendMessage`, or a generic JSON template. */
export type WebhookPreset = "slack" | "discord" | "telegram" | "generic";

/** Every {@link WebhookPreset}. */
export const WEBHOOK_PRESETS: readonly WebhookPreset[] = ["slack", "discord", "telegram", "generic"];

/**
 * A JSON body template for the generic preset: any JSON whose strings may hold `{{field}}` placeholders,
 * replaced by the alert's fields (`id`, `ruleId`, `ruleName`, `kind`, `key`, `barTime`, `barTimeIso`,
 * `firedAt`, `value`, `level`, `message`, `symbols`, `simulated`, `text`). A string that is exactly one
 * placeholder takes the field's JSON type (number, boolean, array).
 */
export type WebhookTemplate = string | number | boolean | null | WebhookTemplate[] | { [key: string]: WebhookTemplate };

/** Options of {@link WebhookTarget}. Secrets: `url`, `token`, `headers` values. */
export interface WebhookTargetOptions {
  /** Name shown in logs and the panel (never secret). */
  name: string;
  preset: WebhookPreset;
  /** Webhook URL (slack, discord, generic), http:// or https://. Secret. */
  url?: string;
  /** Telegram bot token. Secret. */
  token?: string;
  /** Telegram chat id. */
  chatId?: string;
  /** Telegram API base (default https://api.telegram.org; a local test receiver in tests). */
  apiBase?: string;
  /** Generic preset body (default: the whole alert plus `alert_id` and `text`). */
  template?: WebhookTemplate;
  /** Extra request headers (e.g. Authorization). Values are secret. */
  headers?: Record<string, string>;
}

/** One HTTP request to make for an alert (internal: holds the secret URL). */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const REDACTED = "[redacted]";

/** The plain-text line every preset sends (SIMULATED label first when so, alert id last). */
export function alertText(alert: AlertEvent): string {
  const when = new Date(alert.barTime).toISOString().replace("T", " ").replace(/\.000Z$/, "Z");
  return `${alert.simulated ? "[SIMULATED] " : ""}pairlab alert ${alert.ruleName}: ${alert.message} — bar ${when}${alert.barClosed ? "" : " (intra-bar)"} — id ${alert.id}`;
}

function fill(template: WebhookTemplate, fields: Record<string, unknown>): unknown {
  if (typeof template === "string") {
    const whole = /^\{\{(\w+)\}\}$/.exec(template);
    if (whole) return fields[whole[1]] ?? null;
    return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
      const v = fields[k];
      return v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(template)) return template.map((t) => fill(t, fields));
  if (template !== null && typeof template === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(template)) out[k] = fill(v, fields);
    return out;
  }
  return template;
}

function checkUrl(name: string, field: string, url: unknown): string {
  if (typeof url !== "string" || !/^https?:\/\/[^\s]+$/i.test(url)) {
    // Never echo the value: it is a secret.
    throw parameterRangeError(`webhook target ${JSON.stringify(name)}`, field, "an http:// or https:// URL", typeof url === "string" ? REDACTED : url);
  }
  return url;
}

/**
 * A webhook destination with its secrets sealed in: the URL, bot token and header values live in private
 * fields and are never printed — `toString()`, `JSON.stringify` and `util.inspect` (what notebooks and
 * `console.log` show) give the name and preset with `url: "[redacted]"`, and {@link redact} scrubs them
 * from any error text before it is stored or shown. Requests carry the alert id in an `Idempotency-Key`
 * header and in the body (Slack/Discord/Telegram: at the end of the text; generic: `alert_id`), so a
 * receiver can deduplicate.
 *
 * @throws RangeError (E_PARAM) for an unknown preset, a missing/non-http URL (its value is not echoed),
 *   telegram without token or chatId.
 * @example
 * const t = new WebhookTarget({ name: "team", preset: "slack", url: process.env.PAIRLAB_SLACK_WEBHOOK_URL });
 * String(t)            // 'WebhookTarget(team, slack, url: [redacted])'
 * JSON.stringify(t)    // '{"name":"team","preset":"slack","url":"[redacted]"}'
 */
export class WebhookTarget {
  readonly name: string;
  readonly preset: WebhookPreset;
  readonly #url: string;
  readonly #secrets: string[];
  readonly #headers: Record<string, string>;
  readonly #chatId: string | undefined;
  readonly #template: WebhookTemplate | undefined;

  constructor(options: WebhookTargetOptions) {
    const name = options?.name;
    if (typeof name !== "string" || name.length === 0 || name.length > 64) throw parameterRangeError("webhook target", "name", "a non-empty string (≤ 64 characters)", name);
    const what = `webhook target ${JSON.stringify(name)}`;
    if (!WEBHOOK_PRESETS.includes(options.preset)) throw parameterRangeError(what, "preset", WEBHOOK_PRESETS.map((p) => JSON.stringify(p)).join(", "), options.preset);
    this.name = name;
    this.preset = options.preset;
    this.#headers = { ...(options.headers ?? {}) };
    this.#template = options.template;
    this.#secrets = Object.values(this.#headers).filter((v) => typeof v === "string" && v.length >= 4);
    if (options.preset === "telegram") {
      const token = options.token;
      if (typeof token !== "string" || !/^[A-Za-z0-9:_-]{8,}$/.test(token)) throw parameterRangeError(what, "token", "a Telegram bot token (from @BotFather)", typeof token === "string" ? REDACTED : token);
      if (typeof options.chatId !== "string" && typeof options.chatId !== "number") throw parameterRangeError(what, "chatId", "a Telegram chat id", options.chatId);
      const base = checkUrl(name, "apiBase", options.apiBase ?? "https://api.telegram.org").replace(/\/+$/, "");
      this.#url = `${base}/bot${token}/sendMessage`;
      this.#chatId = String(options.chatId);
      this.#secrets.push(token, this.#url);
    } else {
      this.#url = checkUrl(name, "url", options.url);
      this.#secrets.push(this.#url);
      try {
        const u = new URL(this.#url);
        if (u.pathname.length > 1) this.#secrets.push(u.pathname); // webhook paths carry the secret part
        if (u.search.length > 1) this.#secrets.push(u.search);
      } catch {
        /* checkUrl already vetted the shape */
      }
    }
  }

  /** The HTTP request for `alert` (internal: holds the secret URL; never log it). */
  request(alert: AlertEvent): WebhookRequest {
    const text = alertText(alert);
    let body: unknown;
    switch (this.preset) {
      case "slack":
        body = { text };
        break;
      case "discord":
        body = { content: text.length > 2000 ? text.slice(0, 1997) + "…" : text, allowed_mentions: { parse: [] } };
        break;
      case "telegram":
        body = { chat_id: this.#chatId, text, disable_web_page_preview: true };
        break;
      default: {
        const fields = { ...alert, barTimeIso: new Date(alert.barTime).toISOString(), text, alert_id: alert.id };
        body = this.#template === undefined ? { alert_id: alert.id, text, ...alert } : fill(this.#template, fields);
        if (body !== null && typeof body === "object" && !Array.isArray(body) && !("alert_id" in body)) (body as Record<string, unknown>).alert_id = alert.id;
      }
    }
    return {
      url: this.#url,
      headers: { "content-type": "application/json", "idempotency-key": alert.id, "x-pairlab-alert-id": alert.id, ...this.#headers },
      body: JSON.stringify(body),
    };
  }

  /** Replaces every secret of this target (URL, its path and query, token, header values) in `text` with "[redacted]". O(text · secrets). */
  redact(text: string): string {
    let out = text;
    for (const s of [...this.#secrets].sort((a, b) => b.length - a.length)) if (s) out = out.split(s).join(REDACTED);
    return out;
  }

  /** `{ name, preset, url: "[redacted]" }`: what JSON export shows. */
  toJSON(): { name: string; preset: WebhookPreset; url: string } {
    return { name: this.name, preset: this.preset, url: REDACTED };
  }

  toString(): string {
    return `WebhookTarget(${this.name}, ${this.preset}, url: ${REDACTED})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
