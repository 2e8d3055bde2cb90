import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger } from "../src/lib/log";
import { accessLog, requestId } from "./access-log";

test("one JSON line per request, with a request id echoed to the client", async (t) => {
  const lines: string[] = [];
  let logged!: () => void;
  const done = new Promise<void>((r) => (logged = r));
  const server = http.createServer((req, res) => {
    res.statusCode = req.url?.startsWith("/missing") ? 404 : 200;
    res.end("x");
  });
  server.prependListener(
    "request",
    accessLog(
      createLogger("info", (l) => {
        lines.push(l);
        logged();
      }),
    ),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;

  const res = await fetch(`http://127.0.0.1:${port}/missing/thing?q=secret+words`, { headers: { "X-Request-Id": "abc-123" } });
  await res.text();
  assert.equal(res.headers.get("x-request-id"), "abc-123");
  await done;
  const rec = JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
  assert.equal(rec.msg, "http request");
  assert.equal(rec["http.method"], "GET");
  assert.equal(rec["http.path"], "/missing/thing", "no query string in the log");
  assert.equal(rec["http.status"], 404);
  assert.equal(rec.request_id, "abc-123");
  assert.equal(typeof rec.duration_ms, "number");
  assert.ok(!lines[0]?.includes("secret"));
});

test("a missing or odd request id is replaced by a UUID", () => {
  assert.match(requestId(undefined), /^[0-9a-f-]{36}$/);
  assert.match(requestId("has spaces"), /^[0-9a-f-]{36}$/);
  assert.equal(requestId(["one", "two"]), "one");
});
