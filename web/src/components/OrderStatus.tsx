import type { OrderStatus as Status } from "@/lib/api/types";

const LABELS: Record<Status, string> = {
  ORDER_STATUS_PAID: "Paid",
  ORDER_STATUS_SHIPPED: "Shipped",
  ORDER_STATUS_DELIVERED: "Delivered",
  ORDER_STATUS_CANCELLED: "Cancelled",
  ORDER_STATUS_UNSPECIFIED: "Unknown",
};

export function OrderStatus({ status }: { status: Status }) {
  return <span className="status">{LABELS[status] ?? status}</span>;
}
