import { readFileSync } from "node:fs";
import net from "node:net";
import { setImmediate as yieldToIo } from "node:timers/promises";

// A chunked upload that stops as soon as the server answers (as browsers
// and curl do), so an early refusal is seen even when the server then
// closes the connection; and a process's peak memory, to check what such
// an upload cost the server.

export interface UploadResult {
  status: number;
  body: string;
  /** Bytes of the body handed to the socket before the answer came. */
  sent: number;
}

export function postChunked(baseUrl: string, path: string, headers: Record<string, string>, total: number): Promise<UploadResult> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(u.port), u.hostname);
    let received = "";
    let sent = 0;
    const answer = () => {
      const head = received.indexOf("\r\n\r\n");
      if (head < 0) return null;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? "0");
      const chunked = /^transfer-encoding:\s*chunked\s*$/im.test(received.slice(0, head));
      return { status, body: received.slice(head + 4), chunked };
    };
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => (received += d));
    const finish = () => {
      const a = answer();
      if (a) resolve({ status: a.status, body: a.chunked ? dechunk(a.body) : a.body, sent });
      else reject(new Error(`no answer after ${sent} bytes: ${JSON.stringify(received.slice(0, 200))}`));
    };
    socket.on("close", finish);
    // A reset after the answer is the server closing early, which is fine.
    socket.on("error", () => undefined);
    socket.once("connect", async () => {
      const lines = [`POST ${path} HTTP/1.1`, `Host: ${u.host}`, "Transfer-Encoding: chunked", "Connection: close"];
      for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
      socket.write(lines.join("\r\n") + "\r\n\r\n");
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
      while (sent < total && !socket.destroyed && !answer()) {
        if (!socket.write(framed)) await new Promise((r) => socket.once("drain", r).once("close", r));
        sent += chunk.length;
        // Let the answer, if any, be read before the next chunk.
        await yieldToIo();
      }
      if (!socket.destroyed && !answer()) socket.write("0\r\n\r\n");
    });
  });
}

function dechunk(body: string): string {
  let out = "";
  let rest = body;
  for (;;) {
    const eol = rest.indexOf("\r\n");
    if (eol < 0) return out + rest;
    const size = parseInt(rest.slice(0, eol), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 4 + size);
  }
}

/** peakRssKiB is a process's peak resident memory (VmHWM), in KiB. */
export function peakRssKiB(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m?.[1]) throw new Error(`no VmHWM for process ${pid}`);
  return Number(m[1]);
}
