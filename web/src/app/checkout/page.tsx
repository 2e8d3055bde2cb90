import type { Metadata } from "next";
import Link from "next/link";
import { CheckoutForm } from "@/components/client/CheckoutForm";
import { Price } from "@/components/Price";
import { getCart } from "@/lib/server/account";
import { requireSession } from "@/lib/server/session";

export const metadata: Metadata = { title: "Checkout" };

export default async function CheckoutPage() {
  const session = await requireSession("/checkout");
  const cart = await getCart(session, "/checkout");
  if (cart.items.length === 0) {
    return (
      <>
        <h1>Checkout</h1>
        <p>Your cart is empty.</p>
        <p>
          <Link href="/products">Browse the shop</Link> · <Link href="/orders">Your orders</Link>
        </p>
      </>
    );
  }
  const year = new Date().getUTCFullYear();
  const years = Array.from({ length: 15 }, (_, i) => year + i);
  return (
    <>
      <h1>Checkout</h1>
      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading">Order summary</h2>
        <ul>
          {cart.items.map((i) => (
            <li key={i.productId}>
              {i.quantity} × {i.name} — <Price money={i.lineTotal} />
            </li>
          ))}
        </ul>
        <p className="summary total">
          To pay: <Price money={cart.subtotal} />
        </p>
        <p>
          <Link href="/cart">Change the cart</Link>
        </p>
      </section>
      <section aria-labelledby="payment-heading">
        <h2 id="payment-heading">Payment</h2>
        <CheckoutForm cartVersion={cart.version} years={years} />
      </section>
    </>
  );
}
