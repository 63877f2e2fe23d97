#!/usr/bin/env node
// The pairlab kernelspec runs this file instead of node_modules/tslab/bin/tslab. It starts tslab
// unchanged, except for one start-up race in tslab 1.0.22's ZmqServer.init, fixed here:
//
// tslab starts its receive loops on the shell/control/hb sockets *before* `await sock.bind(...)`
// has resolved. zeromq 6 refuses every send/receive on a socket whose bind is still in progress
// (EBUSY, "Socket is blocked by a bind or unbind operation"). When a client connects fast (nbclient
// sends kernel_info_request as soon as the kernel process exists) and the machine is busy, the
// request can be received before the shell socket's bind promise resolves: the reply's send throws
// EBUSY, the shell loop's next receive throws EBUSY too, and the loop ends. tslab logs both as
// unhandled rejections and keeps running, deaf on its shell socket, so the client times out
// waiting for kernel_info. CI saw exactly this once (the notebooks step, 2026-12-07 19:5x UTC).
//
// The replacement binds every socket first and only then starts the loops. Nothing is lost by
// waiting: ZeroMQ queues the messages of peers that connect while the loops are not yet reading.
// The loops call tslab's own handlers, so message handling is tslab's.
"use strict";
const { join } = require("node:path");

const tslabDist = join(__dirname, "..", "node_modules", "tslab", "dist");
const { ZmqServer } = require(join(tslabDist, "jupyter.js"));

/**
 * Reads `socket` until it is closed, passing every multipart message to `handle` without waiting
 * for it (as tslab does: an interrupt or a kernel_info request is read while a cell runs). A message
 * `handle` fails on (a bad signature, say) is logged and skipped: the loop keeps serving.
 */
async function serve(socket, handle) {
  const dropped = (error) => console.error("pairlab kernel: message dropped:", error);
  try {
    for await (const frames of socket) {
      try {
        Promise.resolve(handle(frames)).catch(dropped);
      } catch (error) {
        dropped(error);
      }
    }
  } catch (error) {
    // Closing the kernel closes the sockets; anything else is a real failure worth a log line.
    if (!socket.closed) console.error("pairlab kernel: socket loop ended:", error);
  }
}

ZmqServer.prototype.init = async function initBindingBeforeReading() {
  const zmq = require(require.resolve("zeromq", { paths: [tslabDist] }));
  this.connInfo = JSON.parse(require("node:fs").readFileSync(this.configPath, "utf-8"));
  this.iopub = new zmq.Publisher();
  this.shell = new zmq.Router();
  this.control = new zmq.Router();
  this.stdin = new zmq.Router();
  this.hb = new zmq.Reply();
  const info = this.connInfo;
  await Promise.all([
    this.bindSocket(this.iopub, info.iopub_port),
    this.bindSocket(this.shell, info.shell_port),
    this.bindSocket(this.control, info.control_port),
    this.bindSocket(this.stdin, info.stdin_port),
    this.bindSocket(this.hb, info.hb_port),
  ]);
  void serve(this.shell, (frames) => this.handleShellMessage(this.shell, ...frames));
  void serve(this.control, (frames) => this.handleShellMessage(this.control, ...frames));
  void serve(this.hb, (frames) => this.hb.send(frames));
};

// Imported (by test/foundation/kernel-launcher.test.ts) it only installs the fix; run, it starts the kernel.
if (require.main === module) require(join(tslabDist, "main.js")).main();
module.exports = { ZmqServer };
