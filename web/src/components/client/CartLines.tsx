"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { userMessage } from "@/lib/api/errors";
import type { Cart } from "@/lib/api/types";
import { send } from "@/lib/browser/send";
import { maxQuantity, withQuantity } from "@/lib/cart-math";
import { formatMoney } from "@/lib/money";
import { ProductImage } from "../ProductImage";

function choices(current: number, available: number): number[] {
  const max = Math.max(current, Math.min(20, maxQuantity(available)));
  return Array.from({ length: max }, (_, i) => i + 1);
}

/** CartLines edits the cart: quantities and removal, shown at once and confirmed by the server. */
export function CartLines({ initial }: { initial: Cart }) {
  const router = useRouter();
  const [cart, setCart] = useState(initial);
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");
  const busy = useRef(false);

  async function change(productId: string, name: string, quantity: number) {
    if (busy.current) return;
    busy.current = true;
    const before = cart;
    setCart(withQuantity(cart, productId, quantity));
    setError("");
    try {
      const path = `/api/cart/items/${encodeURIComponent(productId)}`;
      const next = quantity > 0 ? await send<Cart>("PATCH", path, { quantity }) : await send<Cart>("DELETE", path);
      setCart(next);
      setStatus(quantity > 0 ? `${name}: quantity ${quantity}. Subtotal ${formatMoney(next.subtotal)}.` : `${name} removed.`);
      router.refresh();
    } catch (err) {
      setCart(before);
      setError(userMessage(err));
    } finally {
      busy.current = false;
    }
  }

  if (cart.items.length === 0) {
    return (
      <>
        <p role="status">{status || "Your cart is empty."}</p>
        <p>
          <Link href="/products">Browse the shop</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <ul className="lines" aria-label="Cart items">
        {cart.items.map((item) => (
          <li key={item.productId} className="line">
            <ProductImage src={item.imageUrl} alt="" size={64} />
            <div>
              <Link href={`/product/${item.slug}`}>{item.name}</Link>
              <div>
                {formatMoney(item.unitPrice)} each · <span className="price">{formatMoney(item.lineTotal)}</span>
              </div>
            </div>
            <div className="line-controls">
              <label htmlFor={`qty-${item.productId}`}>Quantity of {item.name}</label>
              <select
                id={`qty-${item.productId}`}
                value={item.quantity}
                onChange={(e) => void change(item.productId, item.name, Number(e.target.value))}
              >
                {choices(item.quantity, item.available).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
              <button type="button" className="link-button" onClick={() => void change(item.productId, item.name, 0)} aria-label={`Remove ${item.name}`}>
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      <p className="visually-hidden" role="status">
        {status}
      </p>
      <div className="summary">
        <p className="total">
          Subtotal ({cart.itemCount} {cart.itemCount === 1 ? "item" : "items"}):{" "}
          <span className="price" data-testid="subtotal">
            {formatMoney(cart.subtotal)}
          </span>
        </p>
        <Link href="/checkout" className="button">
          Check out
        </Link>
      </div>
    </>
  );
}
