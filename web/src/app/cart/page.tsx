import type { Metadata } from "next";
import { CartLines } from "@/components/client/CartLines";
import { getCart } from "@/lib/server/account";
import { requireSession } from "@/lib/server/session";

export const metadata: Metadata = { title: "Your cart" };

export default async function CartPage() {
  const session = await requireSession("/cart");
  const cart = await getCart(session, "/cart");
  return (
    <>
      <h1>Your cart</h1>
      <CartLines initial={cart} />
    </>
  );
}
