import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../api/errors";
import { csrfToken, readCookie, send } from "./send";

test("readCookie finds a cookie among others", () => {
  const c = "a=1; ss_csrf=tok%2Fen; __Host-ss_csrf=secure; b=x=y";
  assert.equal(readCookie(c, "ss_csrf"), "tok/en");
  assert.equal(readCookie(c, "b"), "x=y");
  assert.equal(readCookie(c, "missing"), undefined);
  assert.equal(readCookie("bad=%E0%A4%A", "bad"), undefined);
});

test("the __Host- CSRF cookie is preferred", () => {
  assert.equal(csrfToken("ss_csrf=plain; __Host-ss_csrf=secure"), "secure");
  assert.equal(csrfToken("ss_csrf=plain"), "plain");
  assert.equal(csrfToken(""), "");
});

test("send echoes the CSRF token and returns the JSON", async () => {
  let seen: RequestInit | undefined;
  const got = await send<{ ok: boolean }>("POST", "/api/cart/items", { productId: "p", quantity: 1 }, { "Idempotency-Key": "k" }, {
    cookie: () => "ss_csrf=abc",
    fetch: async (_u, init) => {
      seen = init;
      return new Response('{"ok":true}', { status: 200 });
    },
  });
  assert.deepEqual(got, { ok: true });
  const h = seen?.headers as Record<string, string>;
  assert.equal(h["x-csrf-token"], "abc");
  assert.equal(h["Idempotency-Key"], "k");
  assert.equal(seen?.body, '{"productId":"p","quantity":1}');
});

test("send turns error answers and lost connections into ApiError", async () => {
  const env = (r: () => Promise<Response>) => ({ cookie: () => "", fetch: r });
  await assert.rejects(
    send("DELETE", "/api/session", undefined, {}, env(async () => new Response('{"code":"PERMISSION_DENIED","message":"refused"}', { status: 403 }))),
    (e: unknown) => e instanceof ApiError && e.status === 403 && e.code === "PERMISSION_DENIED",
  );
  await assert.rejects(
    send("POST", "/api/orders", {}, {}, env(async () => Promise.reject(new TypeError("offline")))),
    (e: unknown) => e instanceof ApiError && e.code === "UNAVAILABLE",
  );
  await assert.rejects(
    send("POST", "/api/orders", {}, {}, env(async () => new Response("<html>", { status: 200 }))),
    (e: unknown) => e instanceof ApiError && e.status === 502,
  );
});
