import { test } from "node:test";
import assert from "node:assert/strict";
import { needsRefresh, readClaims } from "./claims";

function jwt(payload: object): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${enc({ alg: "ES256" })}.${enc(payload)}.signature`;
}

test("reads the claims the storefront uses", () => {
  const claims = readClaims(jwt({ sub: "u1", email: "zoë@example.com", exp: 1700000000, roles: ["customer", 7], extra: 1 }));
  assert.deepEqual(claims, { sub: "u1", email: "zoë@example.com", exp: 1700000000, roles: ["customer"] });
});

test("anything that is not a JWT has no claims", () => {
  for (const bad of ["", "abc", "a.b", "a.!!!.c", `x.${Buffer.from("[1]").toString("base64url")}.y`, `x.${Buffer.from("null").toString("base64url")}.y`]) {
    const c = readClaims(bad);
    assert.ok(c === null || Object.keys(c).length === 0, bad);
  }
});

test("refresh when the token is missing, unreadable or about to expire", () => {
  const now = 1_700_000_000_000;
  assert.equal(needsRefresh(undefined, now), true);
  assert.equal(needsRefresh("garbage", now), true);
  assert.equal(needsRefresh(jwt({ sub: "u" }), now), true, "no exp");
  assert.equal(needsRefresh(jwt({ exp: now / 1000 + 600 }), now), false);
  assert.equal(needsRefresh(jwt({ exp: now / 1000 + 30 }), now), true, "within the skew");
  assert.equal(needsRefresh(jwt({ exp: now / 1000 + 45 }), now), false, "close to expiry, not yet within the skew");
  assert.equal(needsRefresh(jwt({ exp: now / 1000 - 1 }), now), true, "expired");
});
