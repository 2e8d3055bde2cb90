import type { Tokens } from "@/lib/api/types";
import { json, readJson, requireString, route } from "@/lib/server/bff";
import { api } from "@/lib/server/env";
import { applyCookies, sessionCookies } from "@/lib/server/session-cookies";

// POST creates an account and signs it in.

export const POST = route({ auth: false }, async ({ req }) => {
  const body = await readJson(req);
  const account = {
    email: requireString(body, "email", 320),
    password: requireString(body, "password", 1024),
    name: requireString(body, "name", 200),
  };
  await api().request("/auth/signup", { method: "POST", body: account });
  const tokens = await api().request<Tokens>("/auth/signin", { method: "POST", body: { email: account.email, password: account.password } });
  const res = json({ signedIn: true }, 201);
  applyCookies(res.cookies, sessionCookies(tokens));
  return res;
});
