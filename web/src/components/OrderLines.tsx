import Link from "next/link";
import type { Order } from "@/lib/api/types";
import { Price } from "./Price";

export function OrderLines({ order }: { order: Order }) {
  return (
    <table className="orders">
      <caption className="visually-hidden">Items in this order</caption>
      <thead>
        <tr>
          <th scope="col">Product</th>
          <th scope="col" className="num">
            Unit price
          </th>
          <th scope="col" className="num">
            Quantity
          </th>
          <th scope="col" className="num">
            Total
          </th>
        </tr>
      </thead>
      <tbody>
        {order.lines.map((l) => (
          <tr key={l.productId}>
            <td>
              <Link href={`/product/${l.slug}`}>{l.name}</Link>
            </td>
            <td className="num">
              <Price money={l.unitPrice} />
            </td>
            <td className="num">× {l.quantity}</td>
            <td className="num">
              <Price money={l.lineTotal} />
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            Total
          </th>
          <td className="num">
            <Price money={order.total} />
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
