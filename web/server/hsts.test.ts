import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { HSTS, strictTransportSecurity } from "./hsts";

test("HSTS on every response over HTTPS, none on plain http development", async (t) => {
  const got: Array<string | null> = [];
  for (const https of [true, false]) {
    const server = http.createServer((_req, res) => res.end("x"));
    server.prependListener("request", strictTransportSecurity(https));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    t.after(() => server.close());
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/any/path`);
    await res.text();
    got.push(res.headers.get("strict-transport-security"));
  }
  assert.deepEqual(got, [HSTS, null]);
});
