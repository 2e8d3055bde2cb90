import { test } from "node:test";
import assert from "node:assert/strict";
import { attemptKey, endAttempt, isIdempotencyKey, newIdempotencyKey, type KeyStore } from "./idempotency";

function memoryStore(): KeyStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

test("keys are version-4 UUIDs and all different", () => {
  const keys = new Set(Array.from({ length: 200 }, newIdempotencyKey));
  assert.equal(keys.size, 200);
  for (const k of keys) assert.match(k, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("a reload during an attempt reuses its key; a final answer ends it", () => {
  const store = memoryStore();
  const first = attemptKey(store, "7");
  assert.equal(attemptKey(store, "7"), first, "same attempt after a reload");
  endAttempt(store);
  const second = attemptKey(store, "7");
  assert.notEqual(second, first, "a new attempt after a final answer");
});

test("a changed cart is a new attempt", () => {
  const store = memoryStore();
  const first = attemptKey(store, "7");
  assert.notEqual(attemptKey(store, "8"), first);
});

test("broken or unavailable storage still yields a key", () => {
  const store = memoryStore();
  store.data.set("shipshape.checkout-attempt", "{not json");
  assert.ok(isIdempotencyKey(attemptKey(store, "1")));
  store.data.set("shipshape.checkout-attempt", JSON.stringify({ key: "bad key!", cartVersion: "1" }));
  assert.ok(isIdempotencyKey(attemptKey(store, "1")));
  const failing: KeyStore = {
    getItem: () => {
      throw new Error("denied");
    },
    setItem: () => {
      throw new Error("denied");
    },
    removeItem: () => {
      throw new Error("denied");
    },
  };
  assert.ok(isIdempotencyKey(attemptKey(failing, "1")));
  endAttempt(failing);
});

test("isIdempotencyKey", () => {
  assert.equal(isIdempotencyKey(newIdempotencyKey()), true);
  assert.equal(isIdempotencyKey("short"), false);
  assert.equal(isIdempotencyKey("has spaces in it 1234"), false);
  assert.equal(isIdempotencyKey(null), false);
});
