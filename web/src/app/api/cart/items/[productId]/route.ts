import type { Cart } from "@/lib/api/types";
import { MAX_LINE_QUANTITY } from "@/lib/cart-math";
import { json, readJson, requireInt, route } from "@/lib/server/bff";
import { api } from "@/lib/server/env";

// PATCH sets a line's quantity; DELETE removes the line.

type Params = { productId: string };

const itemPath = (productId: string) => `/cart/items/${encodeURIComponent(productId)}`;

export const PATCH = route<Params>({ auth: true }, async ({ req, params, token }) => {
  const quantity = requireInt(await readJson(req), "quantity", 1, MAX_LINE_QUANTITY);
  return json(await api().request<Cart>(itemPath(params.productId), { method: "PATCH", body: { quantity }, token }));
});

export const DELETE = route<Params>({ auth: true }, async ({ params, token }) => {
  return json(await api().request<Cart>(itemPath(params.productId), { method: "DELETE", token }));
});
