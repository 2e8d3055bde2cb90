import { parseMinor, type Money } from "./money";
import type { Cart, CartItem } from "./api/types";

// Cart arithmetic in exact minor units. The cart service prices the cart;
// these functions update it locally while a change is on its way (so the
// page reacts at once) and check quantities before they are sent.

/** The cart service's per-line limit. */
export const MAX_LINE_QUANTITY = 99;

function money(currencyCode: string, amount: bigint): Money {
  return { currencyCode, amountMinor: amount.toString() };
}

/** addMoney adds two amounts; an empty currency (zero) adopts the other's. */
export function addMoney(a: Money, b: Money): Money {
  const currency = a.currencyCode || b.currencyCode;
  if (a.currencyCode && b.currencyCode && a.currencyCode !== b.currencyCode) {
    throw new RangeError(`cannot add ${a.currencyCode} to ${b.currencyCode}`);
  }
  return money(currency, parseMinor(a.amountMinor) + parseMinor(b.amountMinor));
}

export function multiplyMoney(m: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity) || quantity < 0) throw new RangeError(`bad quantity ${quantity}`);
  return money(m.currencyCode, parseMinor(m.amountMinor) * BigInt(quantity));
}

export function lineTotal(item: Pick<CartItem, "unitPrice" | "quantity">): Money {
  return multiplyMoney(item.unitPrice, item.quantity);
}

export interface Totals {
  subtotal: Money;
  itemCount: number;
}

/** totals sums the lines: the subtotal and the number of units. */
export function totals(items: ReadonlyArray<Pick<CartItem, "unitPrice" | "quantity">>): Totals {
  let subtotal: Money = { currencyCode: "", amountMinor: "0" };
  let itemCount = 0;
  for (const item of items) {
    subtotal = addMoney(subtotal, lineTotal(item));
    itemCount += item.quantity;
  }
  return { subtotal, itemCount };
}

/**
 * withQuantity is the cart as it will be once the line's quantity is set;
 * 0 removes the line. Unknown products leave the cart unchanged.
 */
export function withQuantity(cart: Cart, productId: string, quantity: number): Cart {
  if (!cart.items.some((i) => i.productId === productId)) return cart;
  const items = cart.items
    .map((i) => (i.productId === productId ? { ...i, quantity, lineTotal: lineTotal({ unitPrice: i.unitPrice, quantity }) } : i))
    .filter((i) => i.quantity > 0);
  return { ...cart, items, ...totals(items) };
}

/** maxQuantity is the most a line may hold: stock, at most the service's limit. */
export function maxQuantity(available: number): number {
  return Math.max(0, Math.min(MAX_LINE_QUANTITY, Math.floor(available)));
}

/**
 * checkQuantity returns why a requested line quantity cannot be ordered, or
 * null when it can. inCart is what the cart already holds of the product.
 */
export function checkQuantity(requested: number, available: number, inCart = 0): string | null {
  if (!Number.isInteger(requested) || requested < 1) return "Choose a quantity of at least 1.";
  if (available <= 0) return "This product is out of stock.";
  const total = requested + inCart;
  if (total > available) {
    return inCart > 0 ? `Only ${available} in stock, and ${inCart} already in your cart.` : `Only ${available} in stock.`;
  }
  if (total > MAX_LINE_QUANTITY) return `At most ${MAX_LINE_QUANTITY} of one product per order.`;
  return null;
}

/** quantityChoices lists the quantities a picker offers (at most `limit`). */
export function quantityChoices(available: number, limit = 10): number[] {
  const n = Math.min(limit, maxQuantity(available));
  return Array.from({ length: n }, (_, i) => i + 1);
}
