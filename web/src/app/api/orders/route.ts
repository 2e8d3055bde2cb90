import { ApiError } from "@/lib/api/errors";
import type { Order } from "@/lib/api/types";
import { isIdempotencyKey } from "@/lib/idempotency";
import { json, readJson, requireInt, requireString, route } from "@/lib/server/bff";
import { api } from "@/lib/server/env";

// POST places an order from the cart. The browser chooses the
// Idempotency-Key (one per checkout attempt) and it is passed on as is, so
// repeats of one attempt return the same order.

export const POST = route({ auth: true }, async ({ req, token }) => {
  const key = req.headers.get("idempotency-key");
  if (!isIdempotencyKey(key)) {
    throw new ApiError(400, "INVALID_ARGUMENT", "invalid Idempotency-Key", [{ field: "Idempotency-Key", reason: "must be a UUID" }]);
  }
  const body = await readJson(req);
  const raw = body.card;
  if (typeof raw !== "object" || raw === null) throw new ApiError(400, "INVALID_ARGUMENT", "card details are missing", [{ field: "card", reason: "is required" }]);
  const c = raw as Record<string, unknown>;
  const card = {
    number: requireString(c, "number", 32),
    expMonth: requireInt(c, "expMonth", 1, 12),
    expYear: requireInt(c, "expYear", 2000, 2200),
    cvc: requireString(c, "cvc", 8),
  };
  const order = await api().request<Order>("/orders", { method: "POST", body: { card }, token, headers: { "Idempotency-Key": key } });
  return json(order, 201);
});
