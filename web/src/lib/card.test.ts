import { test } from "node:test";
import assert from "node:assert/strict";
import { cardErrors, digitsOnly, luhnValid } from "./card";

const now = new Date("2026-11-27T12:00:00Z");

test("the simulated provider's test cards pass", () => {
  for (const n of ["4242 4242 4242 4242", "4000000000000002", "4000-0000-0000-9995", "4000000000000119"]) {
    assert.deepEqual(cardErrors({ number: n, expMonth: "12", expYear: "2030", cvc: "123" }, now), {}, n);
  }
});

test("typos are reported per field", () => {
  const e = cardErrors({ number: "4242 4242 4242 4241", expMonth: "13", expYear: "x", cvc: "12" }, now);
  assert.deepEqual(Object.keys(e).sort(), ["cvc", "expMonth", "expYear", "number"]);
  assert.match(e.number ?? "", /not valid/);
  assert.match(cardErrors({ number: "1234", expMonth: "1", expYear: "2030", cvc: "123" }, now).number ?? "", /12 to 19/);
});

test("an expired card is refused; this month still counts", () => {
  assert.match(cardErrors({ number: "4242424242424242", expMonth: "10", expYear: "2026", cvc: "123" }, now).expYear ?? "", /expired/);
  assert.deepEqual(cardErrors({ number: "4242424242424242", expMonth: "11", expYear: "2026", cvc: "1234" }, now), {});
});

test("helpers", () => {
  assert.equal(digitsOnly("4242 4242-4242 4242"), "4242424242424242");
  assert.equal(luhnValid("79927398713"), true);
  assert.equal(luhnValid("79927398710"), false);
  assert.equal(luhnValid("12a4"), false);
});
