import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { isDraining, setDraining } from "../src/lib/draining";
import { createLogger } from "../src/lib/log";
import { onShutdownSignal } from "./shutdown";

/** A server whose responses wait until release() is called. */
async function holdingServer() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let arrived!: () => void;
  const requestArrived = new Promise<void>((r) => (arrived = r));
  const server = http.createServer((_req, res) => {
    arrived();
    void released.then(() => res.end("done"));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { server, port, release, requestArrived };
}

function exitPromise() {
  let resolve!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolve = r));
  return { exited, exit: (code: number) => resolve(code) };
}

test("drains, lets the request in flight finish, then exits 0", async (t) => {
  const s = await holdingServer();
  t.after(() => {
    s.server.closeAllConnections();
    s.server.close();
    setDraining(false);
  });
  const lines: string[] = [];
  const { exited, exit } = exitPromise();
  const shutdown = onShutdownSignal({ servers: () => [s.server], drainDelayMs: 0, timeoutMs: 10_000, log: createLogger("info", (l) => lines.push(l)), exit });

  const response = fetch(`http://127.0.0.1:${s.port}/`).then((r) => r.text());
  await s.requestArrived;
  const stopping = shutdown("SIGTERM");
  assert.equal(isDraining(), true, "readiness turns false at once");
  s.release();
  assert.equal(await response, "done", "the request in flight completed");
  await stopping;
  assert.equal(await exited, 0);
  assert.ok(lines.some((l) => l.includes("all requests finished")), lines.join(""));
});

test("cuts off requests still running at the deadline and exits 1", async (t) => {
  const s = await holdingServer();
  t.after(() => {
    s.release();
    s.server.close();
    setDraining(false);
  });
  const { exited, exit } = exitPromise();
  const shutdown = onShutdownSignal({ servers: () => [s.server], drainDelayMs: 0, timeoutMs: 100, log: createLogger("error", () => {}), exit });
  const response = fetch(`http://127.0.0.1:${s.port}/`).then(
    () => "answered",
    () => "cut off",
  );
  await s.requestArrived;
  await shutdown("SIGTERM");
  assert.equal(await exited, 1);
  assert.equal(await response, "cut off");
});

test("a second signal exits at once", async () => {
  const codes: number[] = [];
  let releaseWait!: () => void;
  const shutdown = onShutdownSignal({
    servers: () => [],
    drainDelayMs: 1000,
    timeoutMs: 1000,
    log: createLogger("error", () => {}),
    exit: (c) => codes.push(c),
    wait: () => new Promise<void>((r) => (releaseWait = r)),
  });
  const first = shutdown("SIGTERM");
  await shutdown("SIGINT");
  assert.deepEqual(codes, [1]);
  releaseWait();
  await first;
  assert.deepEqual(codes, [1, 0]);
  setDraining(false);
});
