import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { OrderLines } from "@/components/OrderLines";
import { Price } from "@/components/Price";
import { getOrder } from "@/lib/server/account";
import { requireSession } from "@/lib/server/session";

export const metadata: Metadata = { title: "Order confirmed" };

type Props = { params: Promise<{ id: string }> };

export default async function ConfirmationPage({ params }: Props) {
  const { id } = await params;
  const session = await requireSession(`/orders/${encodeURIComponent(id)}/confirmation`);
  const order = await getOrder(session, id);
  if (!order) notFound();
  return (
    <>
      <h1>Thank you — your order is confirmed</h1>
      <p className="notice" role="status">
        Order <strong>{order.id.slice(0, 8)}</strong> is paid: <Price money={order.total} /> with the card ending in {order.cardLast4}.
      </p>
      <OrderLines order={order} />
      <p>
        <Link href={`/orders/${order.id}`}>Order details</Link> · <Link href="/orders">All your orders</Link> ·{" "}
        <Link href="/products">Continue shopping</Link>
      </p>
    </>
  );
}
