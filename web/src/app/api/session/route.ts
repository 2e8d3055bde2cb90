import { ApiError } from "@/lib/api/errors";
import type { Tokens } from "@/lib/api/types";
import { json, readJson, requireString, route } from "@/lib/server/bff";
import { api } from "@/lib/server/env";
import { applyCookies, clearedSessionCookies, names, sessionCookies } from "@/lib/server/session-cookies";

// POST signs in (sets the session cookies); DELETE signs out.

export const POST = route({ auth: false }, async ({ req }) => {
  const body = await readJson(req);
  const email = requireString(body, "email", 320);
  const password = requireString(body, "password", 1024);
  if (!email || !password) {
    throw new ApiError(400, "INVALID_ARGUMENT", "enter your e-mail and password", [
      ...(email ? [] : [{ field: "email", reason: "is required" }]),
      ...(password ? [] : [{ field: "password", reason: "is required" }]),
    ]);
  }
  const tokens = await api().request<Tokens>("/auth/signin", { method: "POST", body: { email, password } });
  const res = json({ signedIn: true });
  applyCookies(res.cookies, sessionCookies(tokens));
  return res;
});

export const DELETE = route({ auth: false }, async ({ req }) => {
  const refreshToken = req.cookies.get(names().refresh)?.value;
  if (refreshToken) {
    try {
      await api().request("/auth/signout", { method: "POST", body: { refreshToken } });
    } catch {
      // The cookies go either way; an unrevoked session expires by itself.
    }
  }
  const res = json({ signedIn: false });
  applyCookies(res.cookies, clearedSessionCookies());
  return res;
});
