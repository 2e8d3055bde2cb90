import type { Server } from "node:http";
import { setDraining } from "../src/lib/draining";
import type { Logger } from "../src/lib/log";

// Graceful shutdown on SIGTERM, in the order the Go services use:
// readiness turns false at once (the load balancer stops sending), serving
// continues for drainDelayMs, then the listeners close and in-flight
// requests get up to timeoutMs to finish. A second signal exits at once.

export interface ShutdownOptions {
  servers: () => Server[];
  drainDelayMs: number;
  timeoutMs: number;
  log: Logger;
  exit: (code: number) => void;
  /** Waits between checks for connections to end (injectable in tests). */
  wait?: (ms: number) => Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

function closeServer(s: Server, deadline: number, wait: (ms: number) => Promise<void>): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    s.close(() => {
      done = true;
      resolve(true);
    });
    // Keep-alive connections become idle once their last response is sent;
    // close those as they do, until all are gone or time is up.
    void (async () => {
      while (!done && Date.now() < deadline) {
        s.closeIdleConnections();
        await wait(50);
      }
      if (!done) {
        s.closeAllConnections();
        resolve(false);
      }
    })();
  });
}

export function onShutdownSignal(o: ShutdownOptions): (signal: string) => Promise<void> {
  const wait = o.wait ?? pause;
  let started = false;
  return async (signal: string) => {
    if (started) {
      o.log.warn("second signal: exiting now", { signal });
      o.exit(1);
      return;
    }
    started = true;
    setDraining(true);
    o.log.info("shutting down: readiness is false, draining", { signal, drain_delay_ms: o.drainDelayMs });
    await wait(o.drainDelayMs);
    const deadline = Date.now() + o.timeoutMs;
    const results = await Promise.all(o.servers().map((s) => closeServer(s, deadline, wait)));
    const clean = results.every(Boolean);
    if (clean) o.log.info("stopped: all requests finished");
    else o.log.warn("stopped: requests still running at the deadline were cut off", { timeout_ms: o.timeoutMs });
    o.exit(clean ? 0 : 1);
  };
}
