import { test } from "node:test";
import assert from "node:assert/strict";
import { formatMoney, minorDigits, parseMinor, toDecimalString } from "./money";

test("formats EUR minor units as euros and cents", () => {
  assert.equal(formatMoney({ currencyCode: "EUR", amountMinor: "3290" }), "€32.90");
  assert.equal(formatMoney({ currencyCode: "EUR", amountMinor: "5" }), "€0.05");
  assert.equal(formatMoney({ currencyCode: "EUR", amountMinor: "0" }), "€0.00");
  assert.equal(formatMoney({ currencyCode: "EUR", amountMinor: "123456789" }), "€1,234,567.89");
});

test("an empty currency (an empty cart) is the store currency", () => {
  assert.equal(formatMoney({ currencyCode: "", amountMinor: "0" }), "€0.00");
});

test("currencies without or with three minor digits", () => {
  assert.equal(minorDigits("JPY"), 0);
  assert.equal(minorDigits("BHD"), 3);
  assert.equal(formatMoney({ currencyCode: "JPY", amountMinor: "1500" }, "en-US"), "¥1,500");
  assert.equal(formatMoney({ currencyCode: "BHD", amountMinor: "1005" }, "en-US").replace(/\s/g, " "), "BHD 1.005");
});

test("negative amounts (refunds) keep their sign", () => {
  assert.equal(formatMoney({ currencyCode: "EUR", amountMinor: "-250" }), "-€2.50");
});

test("amounts beyond 2^53 stay exact", () => {
  // 2^63 - 1 cents: a float would round the last digits.
  assert.equal(toDecimalString(9223372036854775807n, 2), "92233720368547758.07");
  assert.equal(formatMoney({ currencyCode: "EUR", amountMinor: "9007199254740993" }), "€90,071,992,547,409.93");
});

test("parseMinor accepts int64 strings, safe numbers and bigints only", () => {
  assert.equal(parseMinor("42"), 42n);
  assert.equal(parseMinor(42), 42n);
  assert.equal(parseMinor(42n), 42n);
  for (const bad of ["", "4.2", "1e3", " 42", "abc"]) {
    assert.throws(() => parseMinor(bad), RangeError, bad);
  }
  assert.throws(() => parseMinor(0.5), RangeError);
  assert.throws(() => parseMinor(2 ** 60), RangeError);
});

test("toDecimalString pads small amounts", () => {
  assert.equal(toDecimalString(7n, 2), "0.07");
  assert.equal(toDecimalString(-7n, 3), "-0.007");
  assert.equal(toDecimalString(7n, 0), "7");
});
