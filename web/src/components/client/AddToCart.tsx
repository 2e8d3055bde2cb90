"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { userMessage } from "@/lib/api/errors";
import type { Cart } from "@/lib/api/types";
import { send } from "@/lib/browser/send";
import { checkQuantity, quantityChoices } from "@/lib/cart-math";

export function AddToCart({ productId, name, stock }: { productId: string; name: string; stock: number }) {
  const router = useRouter();
  const id = useId();
  const busy = useRef(false);
  const [pending, setPending] = useState(false);
  const [quantity, setQuantity] = useState(1);
  const [error, setError] = useState("");
  const [added, setAdded] = useState("");

  if (stock <= 0) {
    return (
      <div className="buy">
        <button type="button" className="button" disabled>
          Out of stock
        </button>
      </div>
    );
  }

  async function add() {
    if (busy.current) return;
    const why = checkQuantity(quantity, stock);
    if (why) {
      setError(why);
      return;
    }
    busy.current = true;
    setPending(true);
    setError("");
    setAdded("");
    try {
      const cart = await send<Cart>("POST", "/api/cart/items", { productId, quantity });
      setAdded(`Added ${quantity} × ${name} to your cart (${cart.itemCount} ${cart.itemCount === 1 ? "item" : "items"}).`);
      router.refresh();
    } catch (err) {
      setError(userMessage(err));
    } finally {
      busy.current = false;
      setPending(false);
    }
  }

  return (
    <>
      <div className="buy">
        <div>
          <label htmlFor={`${id}-qty`}>Quantity</label>
          <select id={`${id}-qty`} value={quantity} onChange={(e) => setQuantity(Number(e.target.value))}>
            {quantityChoices(stock).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button" onClick={add} disabled={pending}>
          {pending ? "Adding…" : "Add to cart"}
        </button>
      </div>
      <div aria-live="polite">
        {added ? (
          <p className="notice">
            {added} <Link href="/cart">View cart</Link>
          </p>
        ) : null}
      </div>
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
