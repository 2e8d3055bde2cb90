import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import path from "node:path";
import type { TestContext } from "node:test";
import { setTimeout as delay } from "node:timers/promises";

// A second storefront process from the same build, for what the shared one
// must not do: run without its API, and be stopped.

export interface LoneServer {
  url: string;
  child: ChildProcess;
  /** Everything it printed, line by line. */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** freePort is a loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** startLoneServer starts it with extra environment and waits for /healthz (30 s at most). */
export async function startLoneServer(t: TestContext, standalone: string, env: Record<string, string>): Promise<LoneServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(standalone, "start.js")], {
    env: { ...process.env, PORT: String(port), HOSTNAME: "127.0.0.1", COOKIE_SECURE: "false", NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = once(child, "exit").then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  // Stopped even when the test fails.
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  });
  const lines: string[] = [];
  let partial = "";
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      lines.push(...parts.filter(Boolean));
    });
  }
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the storefront exited (${child.exitCode}):\n${lines.join("\n")}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the storefront did not start within 30 s:\n${lines.join("\n")}`);
    await delay(100);
  }
  return { url, child, lines, exited };
}
