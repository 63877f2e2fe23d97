// scripts/tslab-kernel.cjs replaces tslab's ZmqServer.init so that no socket is read or written
// before every bind has resolved (zeromq 6 answers EBUSY otherwise, which left tslab deaf on its
// shell socket once in CI). These tests spy on zeromq's Socket.prototype and check the order of
// events, then that the server answers a kernel_info_request over real sockets.
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const require = createRequire(__filename);
const root = join(__dirname, "..", "..");
const zmq = require(require.resolve("zeromq", { paths: [join(root, "node_modules", "tslab", "dist")] }));
const { ZmqServer } = require(join(root, "scripts", "tslab-kernel.cjs"));
const socketPrototype = Object.getPrototypeOf(zmq.Router.prototype);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function connectionFile(folder: string): Promise<string> {
  const ports = [];
  for (let i = 0; i < 5; i++) ports.push(await freePort());
  const info = {
    transport: "tcp", ip: "127.0.0.1", signature_scheme: "hmac-sha256", key: "test-key",
    shell_port: ports[0], iopub_port: ports[1], stdin_port: ports[2], control_port: ports[3], hb_port: ports[4],
  };
  const path = join(folder, "kernel.json");
  writeFileSync(path, JSON.stringify(info));
  return path;
}

const handler = {
  handleKernel: () => ({ protocol_version: "5.3", implementation: "test", language_info: { name: "typescript" } }),
  close: () => undefined,
};

describe("scripts/tslab-kernel.cjs (tslab with its bind race fixed)", () => {
  const restore: Array<() => void> = [];
  const folders: string[] = [];
  afterEach(() => {
    for (const undo of restore.splice(0)) undo();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  // Records when each bind starts and resolves (tslab's bindSocket) and when a socket is first read
  // (zeromq's async iterator, which tslab's loops and ours use).
  function recordOrder(events: string[]): void {
    const bindSocket = ZmqServer.prototype.bindSocket;
    ZmqServer.prototype.bindSocket = async function (this: unknown, ...args: unknown[]) {
      events.push("bind:start");
      await bindSocket.apply(this, args);
      events.push("bind:end");
    };
    const iterate = socketPrototype[Symbol.asyncIterator];
    socketPrototype[Symbol.asyncIterator] = function (this: unknown) {
      const iterator = iterate.call(this);
      return { next: () => { events.push("read"); return iterator.next(); } };
    };
    restore.push(() => {
      ZmqServer.prototype.bindSocket = bindSocket;
      socketPrototype[Symbol.asyncIterator] = iterate;
    });
  }

  it("binds all five sockets before it reads from any of them", async () => {
    const folder = mkdtempSync(join(tmpdir(), "pairlab-kernel-"));
    folders.push(folder);
    const events: string[] = [];
    recordOrder(events);
    const server = new ZmqServer(handler, await connectionFile(folder));
    await server.init();
    server.close();
    const lastBindEnd = events.lastIndexOf("bind:end");
    const firstRead = events.indexOf("read");
    expect(events.filter((event) => event === "bind:end")).toHaveLength(5);
    expect(firstRead).toBeGreaterThan(lastBindEnd);
  });

  it("answers a kernel_info_request sent while it is still starting", { timeout: 20_000 }, async () => {
    const folder = mkdtempSync(join(tmpdir(), "pairlab-kernel-"));
    folders.push(folder);
    const path = await connectionFile(folder);
    const info = JSON.parse(require("node:fs").readFileSync(path, "utf-8"));
    const client = new zmq.Dealer();
    client.connect(`tcp://127.0.0.1:${info.shell_port}`);
    const header = { msg_id: "m1", username: "t", session: "s1", date: new Date().toISOString(), msg_type: "kernel_info_request", version: "5.3" };
    // Queued by ZeroMQ until the kernel's shell socket is bound and read.
    const parts = [JSON.stringify(header), "{}", "{}", "{}"];
    const signature = createHmac("sha256", "test-key").update(parts.join("")).digest("hex");
    const sent = client.send(["<IDS|MSG>", signature, ...parts]);
    const server = new ZmqServer(handler, path);
    await Promise.all([server.init(), sent]);
    const [, , replyHeader] = (await client.receive()).map((frame: Buffer) => frame.toString());
    client.close();
    server.close();
    expect(JSON.parse(replyHeader).msg_type).toBe("kernel_info_reply");
  });
});
