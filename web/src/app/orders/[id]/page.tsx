import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDate } from "@/components/dates";
import { OrderLines } from "@/components/OrderLines";
import { OrderStatus } from "@/components/OrderStatus";
import { getOrder } from "@/lib/server/account";
import { requireSession } from "@/lib/server/session";

export const metadata: Metadata = { title: "Order" };

type Props = { params: Promise<{ id: string }> };

export default async function OrderPage({ params }: Props) {
  const { id } = await params;
  const session = await requireSession(`/orders/${encodeURIComponent(id)}`);
  const order = await getOrder(session, id);
  if (!order) notFound();
  return (
    <>
      <p>
        <Link href="/orders">← All orders</Link>
      </p>
      <h1>Order {order.id.slice(0, 8)}</h1>
      <p>
        Placed {formatDate(order.createTime)} · <OrderStatus status={order.status} /> · paid with the card ending in {order.cardLast4}
      </p>
      <OrderLines order={order} />
      <p className="hint">Order number: {order.id}</p>
    </>
  );
}
