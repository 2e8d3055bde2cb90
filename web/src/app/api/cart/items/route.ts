import type { Cart } from "@/lib/api/types";
import { MAX_LINE_QUANTITY } from "@/lib/cart-math";
import { json, readJson, requireInt, requireString, route } from "@/lib/server/bff";
import { api } from "@/lib/server/env";

// POST adds a quantity of a product to the user's cart.

export const POST = route({ auth: true }, async ({ req, token }) => {
  const body = await readJson(req);
  const item = { productId: requireString(body, "productId", 64), quantity: requireInt(body, "quantity", 1, MAX_LINE_QUANTITY) };
  return json(await api().request<Cart>("/cart/items", { method: "POST", body: item, token }));
});
