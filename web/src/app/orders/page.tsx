import type { Metadata } from "next";
import Link from "next/link";
import { formatDate } from "@/components/dates";
import { OrderStatus } from "@/components/OrderStatus";
import { Pagination } from "@/components/Pagination";
import { Price } from "@/components/Price";
import { readPageState } from "@/lib/pagination";
import { listOrders } from "@/lib/server/account";
import { getConfig } from "@/lib/server/env";
import { requireSession } from "@/lib/server/session";

export const metadata: Metadata = { title: "Your orders" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function OrdersPage({ searchParams }: Props) {
  const session = await requireSession("/orders");
  const state = readPageState(await searchParams);
  const page = await listOrders(session, state.token, getConfig().pageSize);
  return (
    <>
      <h1>Your orders</h1>
      {page.orders.length === 0 ? (
        <p>
          No orders yet. <Link href="/products">Browse the shop</Link>
        </p>
      ) : (
        <table className="orders">
          <caption className="visually-hidden">Your orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {page.orders.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link href={`/orders/${o.id}`} aria-label={`Order ${o.id.slice(0, 8)}, ${o.lines.length} ${o.lines.length === 1 ? "product" : "products"}`}>
                    {o.id.slice(0, 8)}
                  </Link>
                </td>
                <td>{formatDate(o.createTime)}</td>
                <td>
                  <OrderStatus status={o.status} />
                </td>
                <td className="num">
                  <Price money={o.total} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination path="/orders" keep={{}} state={state} nextToken={page.nextPageToken ?? ""} />
    </>
  );
}
