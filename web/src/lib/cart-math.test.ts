import { test } from "node:test";
import assert from "node:assert/strict";
import type { Cart, CartItem } from "./api/types";
import { addMoney, checkQuantity, lineTotal, maxQuantity, multiplyMoney, quantityChoices, totals, withQuantity } from "./cart-math";

const eur = (amountMinor: string) => ({ currencyCode: "EUR", amountMinor });

function item(productId: string, unit: string, quantity: number, available = 50): CartItem {
  return {
    productId,
    quantity,
    slug: productId,
    name: productId,
    imageUrl: "",
    unitPrice: eur(unit),
    lineTotal: multiplyMoney(eur(unit), quantity),
    available,
  };
}

function cart(...items: CartItem[]): Cart {
  return { items, version: "3", ...totals(items) };
}

test("line totals and the subtotal are exact in minor units", () => {
  // 0.1 + 0.2 style float errors must not appear: 3 x 0.10 + 0.20.
  const c = cart(item("a", "10", 3), item("b", "20", 1));
  assert.deepEqual(c.subtotal, eur("50"));
  assert.equal(c.itemCount, 4);
  assert.deepEqual(lineTotal({ unitPrice: eur("3290"), quantity: 2 }), eur("6580"));
  // Beyond 2^53 minor units.
  assert.deepEqual(multiplyMoney(eur("9007199254740993"), 2), eur("18014398509481986"));
});

test("an empty cart totals zero without a currency", () => {
  assert.deepEqual(totals([]), { subtotal: { currencyCode: "", amountMinor: "0" }, itemCount: 0 });
});

test("money of different currencies is never added", () => {
  assert.throws(() => addMoney(eur("1"), { currencyCode: "USD", amountMinor: "1" }), RangeError);
  assert.deepEqual(addMoney({ currencyCode: "", amountMinor: "0" }, eur("5")), eur("5"));
  assert.throws(() => multiplyMoney(eur("1"), -1), RangeError);
  assert.throws(() => multiplyMoney(eur("1"), 1.5), RangeError);
});

test("changing a quantity reprices the line and the cart", () => {
  const before = cart(item("a", "3290", 1), item("b", "1500", 2));
  const after = withQuantity(before, "a", 3);
  assert.equal(after.items[0]?.quantity, 3);
  assert.deepEqual(after.items[0]?.lineTotal, eur("9870"));
  assert.deepEqual(after.subtotal, eur("12870"));
  assert.equal(after.itemCount, 5);
  assert.equal(after.version, "3");
  assert.equal(before.items[0]?.quantity, 1, "the original cart is unchanged");
});

test("quantity 0 removes the line; unknown products change nothing", () => {
  const before = cart(item("a", "100", 1), item("b", "200", 2));
  const after = withQuantity(before, "a", 0);
  assert.deepEqual(after.items.map((i) => i.productId), ["b"]);
  assert.deepEqual(after.subtotal, eur("400"));
  assert.equal(withQuantity(before, "zzz", 4), before);
});

test("checkQuantity explains what cannot be ordered", () => {
  assert.equal(checkQuantity(1, 5), null);
  assert.equal(checkQuantity(2, 5, 3), null);
  assert.match(checkQuantity(0, 5) ?? "", /at least 1/);
  assert.match(checkQuantity(1.5, 5) ?? "", /at least 1/);
  assert.match(checkQuantity(1, 0) ?? "", /out of stock/);
  assert.match(checkQuantity(6, 5) ?? "", /Only 5 in stock\./);
  assert.match(checkQuantity(3, 5, 3) ?? "", /3 already in your cart/);
  assert.match(checkQuantity(100, 500) ?? "", /At most 99/);
});

test("quantity pickers offer what stock and the line limit allow", () => {
  assert.deepEqual(quantityChoices(3), [1, 2, 3]);
  assert.deepEqual(quantityChoices(40), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(quantityChoices(0), []);
  assert.equal(maxQuantity(500), 99);
  assert.equal(maxQuantity(-2), 0);
});
