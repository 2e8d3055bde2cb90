import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import { isApiError } from "../api/errors";
import type { Cart, Order, OrderPage } from "../api/types";
import { api } from "./env";
import { signInPath, type Session } from "./session";

// The signed-in user's cart and orders, never cached across requests.

/** onUnauthenticated: a token the API refuses means signing in again. */
async function asUser<T>(returnTo: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isApiError(err) && err.status === 401) redirect(signInPath(returnTo));
    throw err;
  }
}

export const getCart = cache(
  (s: Session, returnTo: string): Promise<Cart> => asUser(returnTo, () => api().request<Cart>("/cart", { token: s.accessToken })),
);

/** cartCount for the header: best effort, never fails a page. */
export async function cartCount(s: Session | null): Promise<number | null> {
  if (!s) return null;
  try {
    return (await api().request<Cart>("/cart", { token: s.accessToken })).itemCount;
  } catch {
    return null;
  }
}

export function listOrders(s: Session, pageToken: string, pageSize: number): Promise<OrderPage> {
  const q = new URLSearchParams({ pageSize: String(pageSize) });
  if (pageToken) q.set("pageToken", pageToken);
  return asUser("/orders", async () => {
    const r = await api().request<OrderPage>(`/orders?${q.toString()}`, { token: s.accessToken });
    return { orders: r.orders ?? [], nextPageToken: r.nextPageToken ?? "" };
  });
}

/** getOrder returns null when the order does not exist or is not the user's. */
export async function getOrder(s: Session, id: string): Promise<Order | null> {
  return asUser(`/orders/${encodeURIComponent(id)}`, async () => {
    try {
      return await api().request<Order>(`/orders/${encodeURIComponent(id)}`, { token: s.accessToken });
    } catch (err) {
      if (isApiError(err) && (err.code === "NOT_FOUND" || err.code === "INVALID_ARGUMENT" || err.status === 403)) return null;
      throw err;
    }
  });
}
