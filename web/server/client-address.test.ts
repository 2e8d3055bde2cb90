import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { clientAddressResolver, normaliseAddress, resolveClientAddress, trustedProxies } from "./client-address";

const ingress = trustedProxies(["10.244.0.0/16", "::1/128"]);

test("only a trusted peer's X-Forwarded-For counts", () => {
  const cases: Array<[peer: string, xff: string | undefined, want: string]> = [
    // Straight from the client: its header is whatever it wants, so ignored.
    ["203.0.113.9", "198.51.100.1", "203.0.113.9"],
    ["203.0.113.9", undefined, "203.0.113.9"],
    // Through the ingress controller, which appends the client.
    ["10.244.3.7", "203.0.113.9", "203.0.113.9"],
    ["10.244.3.7", "198.51.100.1, 203.0.113.9", "203.0.113.9"],
    // Two trusted hops: the first untrusted from the right.
    ["10.244.3.7", "203.0.113.9, 10.244.9.9", "203.0.113.9"],
    // Every hop trusted: the leftmost.
    ["10.244.3.7", "10.244.1.1, 10.244.2.2", "10.244.1.1"],
    // A trusted peer without the header, or with garbage in it.
    ["10.244.3.7", undefined, "10.244.3.7"],
    ["10.244.3.7", "", "10.244.3.7"],
    ["10.244.3.7", "unknown", "10.244.3.7"],
    ["10.244.3.7", "198.51.100.1, not-an-ip", "10.244.3.7"],
    // IPv6 and IPv4-mapped peers.
    ["::1", "2001:db8::5", "2001:db8::5"],
    ["::ffff:10.244.3.7", "203.0.113.9", "203.0.113.9"],
    ["::ffff:203.0.113.9", "198.51.100.1", "203.0.113.9"],
  ];
  for (const [peer, xff, want] of cases) {
    assert.equal(resolveClientAddress(peer, xff, ingress), want, `peer ${peer}, X-Forwarded-For ${String(xff)}`);
  }
  assert.equal(resolveClientAddress("10.244.3.7", ["203.0.113.1", "203.0.113.2"], ingress), "203.0.113.2", "repeated headers are one list");
  assert.equal(resolveClientAddress(undefined, "203.0.113.9", ingress), "");
  assert.equal(normaliseAddress("::ffff:192.0.2.1"), "192.0.2.1");
});

test("the resolver replaces the header the client sent, on a real server", async (t) => {
  const seen: Array<string | undefined> = [];
  const resolve = clientAddressResolver(trustedProxies(["127.0.0.0/8"]));
  const untrusting = clientAddressResolver(trustedProxies(["192.0.2.0/24"]));
  let current = resolve;
  const server = http.createServer((req, res) => {
    seen.push(req.headers["x-forwarded-for"] as string | undefined);
    res.end();
  });
  server.prependListener("request", (req) => current(req));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await (await fetch(url, { headers: { "X-Forwarded-For": "203.0.113.9" } })).text();
  await (await fetch(url)).text();
  current = untrusting;
  await (await fetch(url, { headers: { "X-Forwarded-For": "203.0.113.9" } })).text();
  assert.deepEqual(seen, ["203.0.113.9", "127.0.0.1", "127.0.0.1"]);
});
