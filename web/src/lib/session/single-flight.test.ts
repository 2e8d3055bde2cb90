import { test } from "node:test";
import assert from "node:assert/strict";
import { singleFlight } from "./single-flight";

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

test("concurrent callers with one token share one call", async () => {
  const calls: string[] = [];
  const d = deferred<string>();
  const refresh = singleFlight(
    (k) => {
      calls.push(k);
      return d.promise;
    },
    { keepMs: 30_000, keepFailureMs: 1000 },
  );
  const all = Promise.all([refresh("rt1"), refresh("rt1"), refresh("rt1")]);
  d.resolve("new pair");
  assert.deepEqual(await all, ["new pair", "new pair", "new pair"]);
  assert.deepEqual(calls, ["rt1"]);
});

test("a late caller within keepMs gets the same result; after it, a new call", async () => {
  let clock = 0;
  let n = 0;
  const refresh = singleFlight(async (k) => `${k}#${++n}`, { keepMs: 1000, keepFailureMs: 10, now: () => clock });
  assert.equal(await refresh("rt"), "rt#1");
  clock = 999;
  assert.equal(await refresh("rt"), "rt#1", "the spent token is never presented again");
  clock = 2000;
  assert.equal(await refresh("rt"), "rt#2");
  assert.equal(await refresh("other"), "other#3", "keys are independent");
});

test("failures are shared too, and retried once keepFailureMs passed", async () => {
  let clock = 0;
  let n = 0;
  const refresh = singleFlight(
    async () => {
      n++;
      throw new Error("revoked");
    },
    { keepMs: 1000, keepFailureMs: 100, now: () => clock },
  );
  await assert.rejects(refresh("rt"), /revoked/);
  await assert.rejects(refresh("rt"), /revoked/);
  assert.equal(n, 1);
  clock = 200;
  await assert.rejects(refresh("rt"), /revoked/);
  assert.equal(n, 2);
});

test("the map stays bounded", async () => {
  let n = 0;
  const refresh = singleFlight(async (k) => `${k}:${++n}`, { keepMs: 60_000, keepFailureMs: 0, maxEntries: 2 });
  await refresh("a");
  await refresh("b");
  await refresh("c"); // evicts a
  assert.equal(await refresh("b"), "b:2");
  assert.equal(await refresh("a"), "a:4", "a was evicted and called again");
});

test("the call is made with the first caller's argument", async () => {
  const args: string[] = [];
  const d = deferred<string>();
  const refresh = singleFlight(
    (_k, who: string) => {
      args.push(who);
      return d.promise;
    },
    { keepMs: 1000, keepFailureMs: 10 },
  );
  const both = Promise.all([refresh("rt", "first"), refresh("rt", "second")]);
  d.resolve("pair");
  assert.deepEqual(await both, ["pair", "pair"]);
  assert.deepEqual(args, ["first"]);
});
