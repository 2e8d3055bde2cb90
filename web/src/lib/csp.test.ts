import { test } from "node:test";
import assert from "node:assert/strict";
import { basePolicy, newNonce, pagePolicy } from "./csp";

function scriptSrc(policy: string): string[] {
  const d = policy.split(";").map((s) => s.trim()).find((s) => s.startsWith("script-src"));
  assert.ok(d, policy);
  return d.split(/\s+/).slice(1);
}

test("pages allow only scripts carrying their nonce; nothing allows inline script", () => {
  const nonce = newNonce();
  assert.deepEqual(scriptSrc(pagePolicy(nonce)), ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
  assert.deepEqual(scriptSrc(basePolicy()), ["'self'"]);
  for (const p of [pagePolicy(nonce), basePolicy()]) {
    assert.match(p, /frame-ancestors 'none'/);
    assert.match(p, /object-src 'none'/);
  }
});

test("nonces are fresh and in the form Next reads from the policy", () => {
  const seen = new Set(Array.from({ length: 100 }, () => newNonce()));
  assert.equal(seen.size, 100);
  for (const n of seen) assert.match(n, /^[A-Za-z0-9+/]{22}==$/);
});
