import { test } from "node:test";
import assert from "node:assert/strict";
import { checkCsrf, newCsrfToken, sameToken, type CsrfInput } from "./csrf";

const token = newCsrfToken();
const good: CsrfInput = {
  method: "POST",
  cookieToken: token,
  headerToken: token,
  origin: "https://shop.example.com",
  secFetchSite: "same-origin",
  host: "shop.example.com",
};

test("tokens are long, random and URL-safe", () => {
  const other = newCsrfToken();
  assert.notEqual(token, other);
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
});

test("a same-origin request echoing the cookie passes", () => {
  assert.equal(checkCsrf(good), null);
  // Older browsers send neither Sec-Fetch-Site nor (sometimes) Origin.
  assert.equal(checkCsrf({ ...good, origin: null, secFetchSite: null }), null);
});

test("safe methods need nothing", () => {
  assert.equal(checkCsrf({ ...good, method: "GET", cookieToken: undefined, headerToken: null, secFetchSite: "cross-site" }), null);
});

test("cross-site, foreign-origin and token-less requests are refused", () => {
  const cases: Array<[Partial<CsrfInput>, RegExp]> = [
    [{ secFetchSite: "cross-site" }, /cross-site/],
    [{ secFetchSite: "same-site" }, /same-site/],
    [{ origin: "https://evil.example" }, /not this site/],
    [{ origin: "null" }, /malformed|not this site/],
    [{ host: null }, /not this site/],
    [{ headerToken: null }, /missing or wrong/],
    [{ headerToken: newCsrfToken() }, /missing or wrong/],
    [{ cookieToken: undefined }, /no CSRF cookie/],
    [{ cookieToken: "short", headerToken: "short" }, /no CSRF cookie/],
  ];
  for (const [change, why] of cases) {
    const reason = checkCsrf({ ...good, ...change });
    assert.match(reason ?? "passed", why, JSON.stringify(change));
  }
});

test("hosts compare case-insensitively, with the port", () => {
  assert.equal(checkCsrf({ ...good, origin: "http://LOCALHOST:3000", host: "localhost:3000" }), null);
  assert.notEqual(checkCsrf({ ...good, origin: "http://localhost:3001", host: "localhost:3000" }), null);
});

test("sameToken", () => {
  assert.equal(sameToken("abc", "abc"), true);
  assert.equal(sameToken("abc", "abd"), false);
  assert.equal(sameToken("abc", "abcd"), false);
});
