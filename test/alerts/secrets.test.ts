import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { AlertOutbox, WebhookTarget, loadWebhookTargets } from "../../src/alerts";
import { fakeAlert } from "./helpers";

const SLACK = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX";
const TOKEN = "987654:SECRETtokenVALUE";
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("secrets are never printed or exported", () => {
  const slack = new WebhookTarget({ name: "team", preset: "slack", url: SLACK });
  const tg = new WebhookTarget({ name: "phone", preset: "telegram", token: TOKEN, chatId: "42" });
  const withHeader = new WebhookTarget({ name: "gen", preset: "generic", url: "https://example.test/hook?key=SECRETQUERY", headers: { authorization: "Bearer SECRETBEARER" } });
  const secrets = ["SECRET", "XXXX", TOKEN, "hooks.slack.com/services"];
  const views = (t: WebhookTarget) => [String(t), `${t}`, JSON.stringify(t), JSON.stringify({ targets: [t] }), inspect(t), inspect({ t }, { depth: 5 }), t.toString()];
  for (const [name, t] of [["slack URL", slack], ["telegram token", tg], ["generic URL query and header", withHeader]] as const) {
    it(`WebhookTarget(${name}) toString / JSON.stringify / util.inspect show "[redacted]", never the secret`, () => {
      for (const v of views(t)) {
        for (const s of secrets) expect(v).not.toContain(s);
        expect(v).toContain("[redacted]");
      }
    });
  }

  it("WebhookTarget.redact(error text) scrubs the URL, its path, the token and header values", () => {
    expect(slack.redact(`POST ${SLACK} failed`)).toBe("POST [redacted] failed");
    expect(slack.redact("path /services/T000/B000/XXXXSECRETXXXX refused")).toBe("path [redacted] refused");
    expect(tg.redact(`https://api.telegram.org/bot${TOKEN}/sendMessage: 401`)).toBe("[redacted]: 401");
    expect(withHeader.redact("sent Bearer SECRETBEARER")).toBe("sent [redacted]");
  });

  it("new WebhookTarget(bad URL) throws RangeError without echoing the value", () => {
    expect(() => new WebhookTarget({ name: "x", preset: "slack", url: "ftp://SECRET-host/x" })).toThrow(/'url' must be an http:\/\/ or https:\/\/ URL, got "\[redacted\]"/);
    try {
      new WebhookTarget({ name: "x", preset: "telegram", token: "no", chatId: "1" });
    } catch (e) {
      expect(String(e)).not.toContain('"no"');
    }
  });

  it("AlertOutbox errors and delivery records never contain the URL (connection refused on a secret URL)", async () => {
    const t = new WebhookTarget({ name: "down", preset: "generic", url: "http://127.0.0.1:9/SECRETPATH" });
    const o = new AlertOutbox({ targets: [t], maxAttempts: 1 });
    o.enqueue(fakeAlert(1));
    await o.idle();
    const text = JSON.stringify([o.deliveries(), o.stats()]) + inspect(o, { depth: 6 });
    expect(text).not.toContain("SECRETPATH");
    expect(o.deliveries()[0].outcome).toBe("failed");
    await o.close();
  });

  it("loadWebhookTargets reads secrets from the environment and a config file, file entries may name env vars", () => {
    const dir = mkdtempSync(join(tmpdir(), "pairlab-cfg-"));
    dirs.push(dir);
    const file = join(dir, "alerts.json");
    writeFileSync(file, JSON.stringify({ webhooks: [{ name: "ops", preset: "generic", urlEnv: "OPS_HOOK" }, { name: "slack", preset: "discord", url: "https://discord.example/api/webhooks/9/SECRET" }] }));
    const targets = loadWebhookTargets({ env: { PAIRLAB_SLACK_WEBHOOK_URL: SLACK, PAIRLAB_TELEGRAM_BOT_TOKEN: TOKEN, PAIRLAB_TELEGRAM_CHAT_ID: "5", OPS_HOOK: "https://ops.example/SECRET" }, file });
    expect(targets.map((t) => [t.name, t.preset])).toEqual([["slack", "discord"], ["telegram", "telegram"], ["ops", "generic"]]);
    expect(JSON.stringify(targets)).not.toContain("SECRET");
    expect(loadWebhookTargets({ env: {}, file: join(dir, "missing.json") })).toEqual([]);
    writeFileSync(file, "{not json");
    expect(() => loadWebhookTargets({ env: {}, file })).toThrow(/unparsable JSON/);
  });

  it(".pairlab/ is gitignored", async () => {
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(join(__dirname, "..", "..", ".gitignore"), "utf8").split("\n")).toContain(".pairlab/");
  });
});
