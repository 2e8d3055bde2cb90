import { test } from "node:test";
import assert from "node:assert/strict";
import { nextHref, pageNumber, prevHref, readPageState } from "./pagination";

function stateOf(hrefStr: string) {
  const u = new URL(hrefStr, "http://x");
  return readPageState(Object.fromEntries(u.searchParams));
}

test("walking forward and back through three pages", () => {
  const keep = { q: "rope" };
  const p1 = readPageState({ q: "rope" });
  assert.equal(pageNumber(p1), 1);
  assert.equal(prevHref("/search", keep, p1), null);

  const toP2 = nextHref("/search", keep, p1, "tokA");
  const p2 = stateOf(toP2);
  assert.equal(pageNumber(p2), 2);
  assert.equal(p2.token, "tokA");

  const toP3 = nextHref("/search", keep, p2, "tokB");
  const p3 = stateOf(toP3);
  assert.equal(pageNumber(p3), 3);
  assert.match(toP3, /^\/search\?q=rope&/);

  const back2 = prevHref("/search", keep, p3);
  assert.ok(back2);
  assert.deepEqual(stateOf(back2), p2);
  const back1 = prevHref("/search", keep, p2);
  assert.equal(back1, "/search?q=rope", "page 1 has no token");
});

test("malformed or hostile parameters mean page 1", () => {
  for (const params of [
    { page: "a b" },
    { page: "<script>" },
    { page: "ok", trail: "x.<y>" },
    { page: "ok", trail: Array.from({ length: 60 }, () => "t").join(".") },
    { page: "x".repeat(600) },
    { page: ["", "tok"] },
  ]) {
    assert.deepEqual(readPageState(params), { token: "", trail: [] }, JSON.stringify(params));
  }
});

test("a token without a trail is page 2", () => {
  assert.equal(pageNumber(readPageState({ page: "tok" })), 2);
});
