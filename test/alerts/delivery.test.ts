import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AlertOutbox, WebhookTarget, type AlertEvent } from "../../src/alerts";
import { fakeAlert, seeded, startReceiver, type Receiver } from "./helpers";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const r = await startReceiver(...args);
  cleanups.push(() => r.close());
  return r;
}
function outbox(options: ConstructorParameters<typeof AlertOutbox>[0]): AlertOutbox {
  const o = new AlertOutbox({ random: seeded(1), ...options });
  cleanups.push(() => o.close());
  return o;
}
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "pairlab-outbox-"));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}
const generic = (url: string) => new WebhookTarget({ name: "test", preset: "generic", url });

describe("AlertOutbox: exactly once per alert id", () => {
  it("a receiver failing the first 3 deliveries then accepting gets each alert delivered exactly once", async () => {
    const r = await receiver((n) => (n < 3 ? { status: 500 } : { status: 200 }));
    const o = outbox({ targets: [generic(r.url)], baseDelayMs: 5, maxDelayMs: 20, concurrency: 1 });
    const alerts = [1, 2, 3, 4, 5].map((i) => fakeAlert(i));
    for (const a of alerts) o.enqueue(a);
    for (const a of alerts) expect(o.enqueue(a)).toBe(0); // enqueueing again is a no-op
    await o.idle();
    expect(r.accepted.sort()).toEqual(alerts.map((a) => a.id).sort());
    expect(r.requests.length).toBe(3 + 5);
    const s = o.stats();
    expect([s.delivered, s.failed, s.retries, s.pending]).toEqual([5, 0, 3, 0]);
    // every request carries the alert id as idempotency key and in the body
    for (const req of r.requests) expect(JSON.parse(req.body).alert_id).toBe(req.headers["idempotency-key"]);
    // 3 failed attempts in all, spread over the alerts that met them
    expect(o.deliveries().reduce((sum, d) => sum + d.attempts, 0)).toBe(8);
  });

  it("429 with Retry-After: the retry waits at least Retry-After, then delivers once", async () => {
    const r = await receiver((n) => (n === 0 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 }));
    const o = outbox({ targets: [generic(r.url)], baseDelayMs: 5 });
    o.enqueue(fakeAlert(1));
    await o.idle();
    expect(r.requests.length).toBe(2);
    expect(r.requests[1].at - r.requests[0].at).toBeGreaterThanOrEqual(990);
    expect(r.accepted).toEqual([fakeAlert(1).id]);
  });

  it("a 4xx other than 408/425/429 fails at once (no retry), recorded with a redacted error", async () => {
    const r = await receiver(() => ({ status: 404 }));
    const o = outbox({ targets: [generic(r.url)], baseDelayMs: 5 });
    o.enqueue(fakeAlert(1));
    await o.idle();
    expect(r.requests.length).toBe(1);
    const d = o.deliveries()[0];
    expect([d.outcome, d.status, d.attempts]).toEqual(["failed", 404, 1]);
    expect(d.error).toBe("HTTP 404");
  });

  it("a hanging receiver: each attempt times out, is retried, and the event loop keeps its rate meanwhile", async () => {
    const r = await receiver((n) => (n < 2 ? "hang" : { status: 200 }));
    const o = outbox({ targets: [generic(r.url)], timeoutMs: 300, baseDelayMs: 10, maxDelayMs: 20 });
    // a 1 ms "ingestion" timer: count its ticks while the receiver hangs
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const t0 = performance.now();
    o.enqueue(fakeAlert(7));
    await o.idle();
    const elapsed = performance.now() - t0;
    clearInterval(timer);
    expect(r.requests.length).toBe(3);
    expect(r.accepted).toEqual([fakeAlert(7).id]);
    expect(elapsed).toBeGreaterThanOrEqual(600); // two 300 ms timeouts
    expect(o.stats().retries).toBe(2);
    // Node's 1 ms interval runs ~1 tick/ms on an idle loop; a blocked loop would give ≈ 0
    expect(ticks / elapsed).toBeGreaterThan(0.3);
  });

  it("restart: pending deliveries resume from the alert log, delivered ones are never resent", async () => {
    const dir = tempDir();
    let up = false;
    const r = await receiver(() => (up ? { status: 200 } : { status: 503 }));
    const a = [1, 2, 3].map((i) => fakeAlert(i));
    // first run: alert 1 delivered, then the receiver goes down, alerts 2 and 3 stay pending
    up = true;
    const o1 = new AlertOutbox({ targets: [generic(r.url)], dir, baseDelayMs: 50 });
    o1.enqueue(a[0]);
    await o1.idle();
    up = false;
    o1.enqueue(a[1]);
    o1.enqueue(a[2]);
    await new Promise((res) => setTimeout(res, 150));
    await o1.close(); // the kernel stops
    // A request aborted by close() may still reach the receiver; let it be answered while the receiver is
    // down (had it been accepted, the resend below would carry the same Idempotency-Key: the documented window).
    await new Promise((res) => setTimeout(res, 100));
    expect(r.accepted).toEqual([a[0].id]);
    // second run: resume with everything the log holds
    up = true;
    const o2 = outbox({ targets: [generic(r.url)], dir, baseDelayMs: 5 });
    expect(o2.resume(a)).toBe(2);
    await o2.idle();
    expect(r.accepted.sort()).toEqual(a.map((x) => x.id).sort());
    expect(new Set(r.accepted).size).toBe(3);
    // a third run has nothing to do
    const o3 = outbox({ targets: [generic(r.url)], dir });
    expect(o3.resume(a)).toBe(0);
  });

  it("several targets: each gets each alert once; a dead target does not delay a live one", async () => {
    const live = await receiver(() => ({ status: 200 }));
    const dead = await receiver(() => "hang");
    const o = outbox({ targets: [generic(live.url), new WebhookTarget({ name: "dead", preset: "generic", url: dead.url })], timeoutMs: 2000, maxAttempts: 1 });
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) o.enqueue(fakeAlert(i));
    while (live.accepted.length < 3 && performance.now() - t0 < 5000) await new Promise((res) => setTimeout(res, 5));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(live.accepted.length).toBe(3);
  });
});

describe("webhook presets", () => {
  const alert: AlertEvent = { ...fakeAlert(3), simulated: true };
  it("slack preset posts { text } with the SIMULATED label and the alert id", async () => {
    const r = await receiver();
    const o = outbox({ targets: [new WebhookTarget({ name: "s", preset: "slack", url: r.url })] });
    o.enqueue(alert);
    await o.idle();
    const body = JSON.parse(r.requests[0].body);
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toMatch(/^\[SIMULATED\] pairlab alert rule 3: test alert 3 — bar 1970-01-01 00:00:03Z — id rule-3:3000:above$/);
    expect(r.requests[0].headers["idempotency-key"]).toBe(alert.id);
  });
  it("discord preset posts { content, allowed_mentions }", () => {
    const req = new WebhookTarget({ name: "d", preset: "discord", url: "https://discord.example/api/webhooks/1/abc" }).request(alert);
    expect(JSON.parse(req.body)).toEqual({ content: expect.stringContaining(alert.id), allowed_mentions: { parse: [] } });
  });
  it("telegram preset posts { chat_id, text } to <apiBase>/bot<token>/sendMessage", async () => {
    const r = await receiver();
    const base = r.url.replace(/\/hook\/.*$/, "");
    const o = outbox({ targets: [new WebhookTarget({ name: "t", preset: "telegram", token: "123456:ABCdefSECRET", chatId: "-100777", apiBase: base })] });
    o.enqueue(alert);
    await o.idle();
    expect(r.requests[0].path).toBe("/bot123456:ABCdefSECRET/sendMessage");
    expect(JSON.parse(r.requests[0].body)).toEqual({ chat_id: "-100777", text: expect.stringContaining(alert.id), disable_web_page_preview: true });
  });
  it("generic preset with a template fills {{fields}} (typed when a whole string) and adds alert_id", () => {
    const t = new WebhookTarget({ name: "g", preset: "generic", url: "https://example.test/h", template: { event: "pairlab", what: "{{ruleName}} at {{barTimeIso}}", value: "{{value}}", sim: "{{simulated}}" } });
    expect(JSON.parse(t.request(alert).body)).toEqual({ event: "pairlab", what: "rule 3 at 1970-01-01T00:00:03.000Z", value: 1.5, sim: true, alert_id: alert.id });
  });
});
