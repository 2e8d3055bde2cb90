import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "./errors";
import { createApiClient, joinUrl, type FetchInit } from "./http";

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError, `not an ApiError: ${String(err)}`);
    return err;
  }
  assert.fail("the request succeeded");
}

test("sends JSON with the bearer token and never caches a user's request", async () => {
  let seen: { url: string; init: FetchInit } | undefined;
  const api = createApiClient({
    baseUrl: "http://api.test/api/v1/",
    fetch: async (url, init) => {
      seen = { url, init };
      return jsonResponse(201, { id: "o1" });
    },
  });
  const got = await api.request<{ id: string }>("/orders", {
    method: "POST",
    body: { card: { number: "4242" } },
    token: "tok",
    headers: { "Idempotency-Key": "k1" },
    revalidate: 60,
  });
  assert.deepEqual(got, { id: "o1" });
  assert.ok(seen);
  assert.equal(seen.url, "http://api.test/api/v1/orders");
  const h = seen.init.headers as Record<string, string>;
  assert.equal(h.Authorization, "Bearer tok");
  assert.equal(h["Idempotency-Key"], "k1");
  assert.equal(h["Content-Type"], "application/json");
  assert.equal(seen.init.body, '{"card":{"number":"4242"}}');
  assert.equal(seen.init.cache, "no-store");
  assert.equal(seen.init.next, undefined);
});

test("public reads may use the data cache", async () => {
  let init: FetchInit | undefined;
  const api = createApiClient({
    baseUrl: "http://api.test",
    fetch: async (_u, i) => {
      init = i;
      return jsonResponse(200, { products: [] });
    },
  });
  await api.request("/products", { revalidate: 30, tags: ["catalog"] });
  assert.deepEqual(init?.next, { revalidate: 30, tags: ["catalog"] });
  assert.equal(init?.cache, undefined);
});

test("an error answer becomes an ApiError with the services' details", async () => {
  const api = createApiClient({
    baseUrl: "http://api.test",
    fetch: async () =>
      jsonResponse(400, { code: "FAILED_PRECONDITION", message: "the payment was declined: card_declined", fields: [{ field: "card", reason: "card_declined" }] }, { "X-Request-Id": "rid" }),
  });
  const err = await rejection(api.request("/orders", { method: "POST", body: {} }));
  assert.equal(err.status, 400);
  assert.equal(err.code, "FAILED_PRECONDITION");
  assert.deepEqual(err.fields, [{ field: "card", reason: "card_declined" }]);
  assert.equal(err.requestId, "rid");
});

test("no connection is 503 UNAVAILABLE", async () => {
  const api = createApiClient({
    baseUrl: "http://api.test",
    fetch: async () => {
      throw new TypeError("fetch failed");
    },
  });
  const err = await rejection(api.request("/cart"));
  assert.equal(err.status, 503);
  assert.equal(err.code, "UNAVAILABLE");
});

test("a slow API times out as 504 DEADLINE_EXCEEDED", async (t) => {
  // AbortSignal.timeout's timer does not keep the process alive; a real
  // fetch's socket would.
  const keepAlive = setInterval(() => {}, 60_000);
  t.after(() => clearInterval(keepAlive));
  const api = createApiClient({
    baseUrl: "http://api.test",
    timeoutMs: 20,
    fetch: (_u, init) =>
      new Promise((_resolve, reject) => {
        // Like fetch: reject when the signal aborts.
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      }),
  });
  const err = await rejection(api.request("/products"));
  assert.equal(err.status, 504);
  assert.equal(err.code, "DEADLINE_EXCEEDED");
});

test("a caller's cancellation is 499, not a timeout", async () => {
  const ctl = new AbortController();
  const api = createApiClient({
    baseUrl: "http://api.test",
    fetch: (_u, init) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        ctl.abort();
      }),
  });
  const err = await rejection(api.request("/products", { signal: ctl.signal }));
  assert.equal(err.status, 499);
});

test("a success that is not JSON is 502; an empty success is undefined", async () => {
  const html = createApiClient({ baseUrl: "http://api.test", fetch: async () => new Response("<html>", { status: 200 }) });
  assert.equal((await rejection(html.request("/x"))).status, 502);
  const empty = createApiClient({ baseUrl: "http://api.test", fetch: async () => new Response(null, { status: 204 }) });
  assert.equal(await empty.request("/x", { method: "DELETE" }), undefined);
});

test("joinUrl keeps exactly one slash", () => {
  assert.equal(joinUrl("http://h/api/v1/", "/cart"), "http://h/api/v1/cart");
  assert.equal(joinUrl("http://h/api/v1", "cart"), "http://h/api/v1/cart");
});

test("uncached calls carry the client's address; shared, cached reads do not", async () => {
  const sent: Array<{ url: string; xff: string | undefined; cache: string | undefined }> = [];
  let current = "203.0.113.9";
  const api = createApiClient({
    baseUrl: "http://api.test",
    clientAddress: async () => current,
    fetch: async (url, init) => {
      sent.push({ url, xff: (init.headers as Record<string, string>)["X-Forwarded-For"], cache: init.cache });
      return jsonResponse(200, {});
    },
  });
  await api.request("/cart", { token: "tok" });
  current = "198.51.100.4";
  await api.request("/search?q=rope");
  await api.request("/auth/refresh", { method: "POST", body: {}, clientAddress: "192.0.2.1" });
  await api.request("/products", { revalidate: 60 });
  assert.deepEqual(sent, [
    { url: "http://api.test/cart", xff: "203.0.113.9", cache: "no-store" },
    { url: "http://api.test/search?q=rope", xff: "198.51.100.4", cache: "no-store" },
    { url: "http://api.test/auth/refresh", xff: "192.0.2.1", cache: "no-store" },
    { url: "http://api.test/products", xff: undefined, cache: undefined },
  ]);
});
