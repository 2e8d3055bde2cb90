import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import type { Product, Tokens } from "../src/lib/api/types";
import { needs, type E2EEnv } from "./env";

// Test setup through the public API and the storefront's own pages.

const PASSWORD = "correct horse battery staple";
let counter = 0;

export function uniqueEmail(role: string): string {
  return `${role}-${Date.now()}-${process.pid}-${++counter}@example.com`;
}

async function apiCall<T>(env: E2EEnv, method: string, p: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(env.apiUrl + p, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export function getProduct(env: E2EEnv, slug: string): Promise<Product> {
  return apiCall<Product>(env, "GET", `/products/${slug}`);
}

/** createAccount signs a user up through the API (no browser). */
export async function createAccount(env: E2EEnv, role: string): Promise<{ email: string; password: string }> {
  const email = uniqueEmail(role);
  await apiCall(env, "POST", "/auth/signup", { email, password: PASSWORD, name: `Test ${role}` });
  return { email, password: PASSWORD };
}

/** adminToken is an access token with the admin role (identity's grant-admin). */
export async function adminToken(env: E2EEnv): Promise<string> {
  const { email, password } = await createAccount(env, "admin");
  await promisify(execFile)(path.join(needs(env.binDir, "E2E_BIN_DIR"), "identity"), ["grant-admin", email], {
    env: { ...process.env, DATABASE_URL: `postgres://identity:identity-dev@127.0.0.1:${needs(env.pgPort, "E2E_PG_PORT")}/identity?sslmode=disable` },
  });
  const tokens = await apiCall<Tokens>(env, "POST", "/auth/signin", { email, password });
  return tokens.accessToken;
}

export async function setStock(env: E2EEnv, token: string, productId: string, stock: number): Promise<void> {
  await apiCall(env, "PATCH", `/admin/products/${productId}`, { stock }, token);
}

/** signUp creates an account with the storefront's sign-up page; the browser is then signed in. */
export async function signUp(page: Page, returnTo = "/"): Promise<string> {
  const email = uniqueEmail("shopper");
  await page.goto(`/signup?next=${encodeURIComponent(returnTo)}`);
  await page.getByLabel("Name").fill("Test Shopper");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL((u) => u.pathname === returnTo.split("?")[0]);
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  return email;
}

export async function sessionCookies(context: BrowserContext) {
  const all = await context.cookies();
  return {
    access: all.find((c) => c.name.endsWith("ss_access")),
    refresh: all.find((c) => c.name.endsWith("ss_session")),
    csrf: all.find((c) => c.name.endsWith("ss_csrf")),
  };
}

/** ordersOf lists a user's orders straight from the API, with the browser's session. */
export async function ordersOf(env: E2EEnv, context: BrowserContext): Promise<Array<{ id: string }>> {
  const { access } = await sessionCookies(context);
  if (!access) throw new Error("no access cookie");
  const r = await apiCall<{ orders?: Array<{ id: string }> }>(env, "GET", "/orders", undefined, access.value);
  return r.orders ?? [];
}

/** addToCart adds a product with its page's button and waits for the confirmation. */
export async function addToCart(page: Page, slug: string, quantity = 1): Promise<void> {
  await page.goto(`/product/${slug}`);
  if (quantity !== 1) await page.getByLabel("Quantity", { exact: true }).selectOption(String(quantity));
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByText(/^Added \d+ ×/).waitFor();
}

/** fillCard enters an approved test card on the checkout page. */
export async function fillCard(page: Page, number = "4242 4242 4242 4242"): Promise<void> {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiry month").selectOption("12");
  await page.getByLabel("Expiry year").selectOption(String(new Date().getUTCFullYear() + 2));
  await page.getByLabel("Security code").fill("123");
}
