import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { lingeringClose } from "./linger";

// The client keeps sending after the server refused its upload, and reads
// only later: the refusal must still be there to read.
async function refusedUpload(linger: boolean): Promise<string> {
  let answered!: () => void;
  const refused = new Promise<void>((r) => (answered = r));
  const server = http.createServer((_req, res) => {
    // Refuse without reading the body, and close, as the storefront does.
    res.writeHead(413, { Connection: "close", "Content-Type": "text/plain" }).end("too large\n", answered);
  });
  if (linger) server.prependListener("request", lingeringClose(5000));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const socket = net.connect((server.address() as AddressInfo).port, "127.0.0.1");
    await once(socket, "connect");
    socket.pause(); // nothing is read until the end
    let received = "";
    socket.on("data", (d: Buffer) => (received += d.toString()));
    socket.on("error", () => undefined);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    socket.write("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    socket.write(frame);
    await refused;
    const closed = new Promise<void>((r) => socket.once("close", () => r()));
    // 4 MiB more after the answer, each write waiting for room (a reset
    // ends the loop: the socket is closed).
    for (let i = 0; i < 64 && !socket.destroyed; i++) {
      if (!socket.write(frame)) await Promise.race([new Promise((r) => socket.once("drain", r)), closed]);
    }
    if (!socket.destroyed) socket.end("0\r\n\r\n");
    socket.resume();
    await closed;
    return received;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

test("an upload refused early still reads its refusal when the client goes on sending", async () => {
  const received = await refusedUpload(true);
  assert.match(received, /^HTTP\/1\.1 413 /);
  assert.match(received, /too large/);
});

test("without the lingering close the same refusal is lost (what the test above guards)", async () => {
  const received = await refusedUpload(false);
  assert.doesNotMatch(received, /^HTTP\/1\.1 413 /);
});
