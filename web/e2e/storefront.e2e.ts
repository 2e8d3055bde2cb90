import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { formatMoney } from "../src/lib/money";
import { multiplyMoney, addMoney } from "../src/lib/cart-math";
import { launchBrowser, PHONE, screenshot, withPage } from "./browser";
import { e2eEnv, needs } from "./env";
import { startLoneServer } from "./lone-server";
import { addToCart, adminToken, createAccount, fillCard, getProduct, ordersOf, sessionCookies, setStock, signUp } from "./shop";

// The storefront in a real browser against the whole local stack
// (PostgreSQL, the four services, the gateway, the standalone server), as
// started by scripts/web-e2e.sh.

const env = e2eEnv();
let browser: Browser;

before(async () => {
  browser = await launchBrowser(env);
});

after(async () => {
  await browser?.close();
});

async function noHorizontalScroll(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${page.url()}: content is ${scroll}px wide in a ${width}px window`);
}

describe("storefront", () => {
  test("a guest browses a category and searches, signs up, buys two products and finds the order in the history", async (t) => {
    await withPage(t, browser, env, async ({ page, context }) => {
      // Home: featured products and the categories.
      await page.goto("/");
      await page.getByRole("heading", { level: 1, name: "Everything for life on board" }).waitFor();
      assert.ok((await page.getByRole("list", { name: "Featured products" }).getByRole("listitem").count()) > 0);
      await screenshot(page, env, "home");

      // Browse a category, then open a product from it.
      await page.getByRole("link", { name: /^Lighting/ }).click();
      await page.getByRole("heading", { level: 1, name: "Lighting" }).waitFor();
      await page.getByRole("list", { name: "Lighting products" }).getByRole("link", { name: /Storm Lantern/ }).click();
      await page.getByRole("heading", { level: 1, name: "Storm Lantern" }).waitFor();
      await screenshot(page, env, "product");

      // Search from the header.
      await page.getByRole("searchbox", { name: "Search products" }).fill("dock line");
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByRole("heading", { level: 1, name: "Results for “dock line”" }).waitFor();
      await page.getByRole("list", { name: "Search results" }).getByRole("link", { name: /Braided Dock Line 12 mm/ }).click();
      await page.getByRole("heading", { level: 1, name: "Braided Dock Line 12 mm" }).waitFor();

      // A guest must sign in to buy: sign up from there and come back.
      await page.getByRole("link", { name: "Sign in to buy" }).click();
      await page.getByRole("link", { name: "Create an account" }).click();
      await page.getByLabel("Name").fill("Guest Shopper");
      await page.getByLabel("E-mail").fill(`guest-${Date.now()}@example.com`);
      await page.getByLabel("Password").fill("a long enough passphrase");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL("**/product/braided-dock-line-12mm");
      await page.getByRole("button", { name: "Sign out" }).waitFor();

      // The tokens stay in httpOnly cookies: the page's script never sees them.
      const cookies = await sessionCookies(context);
      assert.ok(cookies.access?.httpOnly && cookies.refresh?.httpOnly, "session cookies are httpOnly");
      assert.equal(cookies.access?.sameSite, "Lax");
      const visible = await page.evaluate(() => document.cookie);
      assert.ok(!visible.includes("ss_access") && !visible.includes("ss_session"), visible);
      assert.ok(!(await page.content()).includes(cookies.access?.value ?? "?"), "no token in the page");

      // Two products into the cart.
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.getByText("Added 1 × Braided Dock Line 12 mm").waitFor();
      await addToCart(page, "storm-lantern");
      await page.getByRole("link", { name: "Cart, 2 items" }).waitFor();

      // Change a quantity in the cart: the subtotal follows, exactly.
      const [rope, lantern] = await Promise.all([getProduct(env, "braided-dock-line-12mm"), getProduct(env, "storm-lantern")]);
      const expected = formatMoney(addMoney(rope.price, multiplyMoney(lantern.price, 3)));
      await page.getByRole("link", { name: "Cart, 2 items" }).click();
      await page.getByRole("heading", { level: 1, name: "Your cart" }).waitFor();
      await page.getByLabel("Quantity of Storm Lantern").selectOption("3");
      await page.getByTestId("subtotal").filter({ hasText: expected }).waitFor();
      await page.getByRole("link", { name: "Cart, 4 items" }).waitFor();
      await page.reload();
      assert.equal(await page.getByLabel("Quantity of Storm Lantern").inputValue(), "3", "the change was saved");
      await screenshot(page, env, "cart");

      // Check out.
      await page.getByRole("link", { name: "Check out" }).click();
      await page.getByRole("heading", { level: 1, name: "Checkout" }).waitFor();
      await fillCard(page);
      await page.getByRole("button", { name: "Place order" }).click();
      await page.waitForURL(/\/orders\/[0-9a-f-]{36}\/confirmation$/);
      await page.getByRole("heading", { level: 1, name: "Thank you — your order is confirmed" }).waitFor();
      await page.getByRole("status").filter({ hasText: expected }).waitFor();
      const orderId = /\/orders\/([0-9a-f-]{36})\//.exec(page.url())?.[1] ?? "";
      await screenshot(page, env, "confirmation");

      // The order is in the history, and its page shows both lines.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
      await page.getByRole("heading", { level: 1, name: "Your orders" }).waitFor();
      const rows = page.getByRole("table").getByRole("row");
      assert.equal(await rows.count(), 2, "one header row and one order");
      await page.getByRole("link", { name: new RegExp(`^Order ${orderId.slice(0, 8)}, 2 products`) }).click();
      await page.getByRole("heading", { level: 1, name: `Order ${orderId.slice(0, 8)}` }).waitFor();
      for (const name of ["Storm Lantern", "Braided Dock Line 12 mm"]) {
        await page.getByRole("table").getByRole("link", { name }).waitFor();
      }
      await page.getByRole("table").getByText(expected).waitFor();
      // The cart was emptied by the order.
      await page.getByRole("link", { name: "Cart, 0 items" }).waitFor();
    });
  });

  test("a wrong password shows an error and leaves no session", async (t) => {
    const account = await createAccount(env, "forgetful");
    await withPage(t, browser, env, async ({ page, context }) => {
      await page.goto("/signin");
      await page.getByLabel("E-mail").fill(account.email);
      await page.getByLabel("Password").fill("not the password at all");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").filter({ hasText: "Invalid email or password" }).waitFor();
      const cookies = await sessionCookies(context);
      assert.equal(cookies.access, undefined, "no access-token cookie");
      assert.equal(cookies.refresh, undefined, "no session cookie");
      assert.equal(new URL(page.url()).pathname, "/signin");
      await page.goto("/cart");
      await page.waitForURL("**/signin?next=%2Fcart");

      // The right password then works.
      await page.getByLabel("E-mail").fill(account.email);
      await page.getByLabel("Password").fill(account.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { level: 1, name: "Your cart" }).waitFor();
    });
  });

  test("an out-of-stock product cannot be added", async (t) => {
    const product = await getProduct(env, "cabin-reading-light");
    await setStock(env, await adminToken(env), product.id, 0);
    await withPage(t, browser, env, async ({ page }) => {
      await signUp(page);
      // The product page may be cached for a few seconds: reload until it shows the new stock.
      const deadline = Date.now() + 30_000;
      await page.goto("/product/cabin-reading-light");
      while (!(await page.getByText("Out of stock", { exact: true }).first().isVisible())) {
        assert.ok(Date.now() < deadline, "the product page never showed it out of stock");
        await page.reload();
      }
      assert.equal(await page.getByRole("button", { name: "Add to cart" }).count(), 0);
      assert.equal(await page.getByRole("button", { name: "Out of stock" }).isDisabled(), true);

      // Nor through the storefront's route, with a valid CSRF token.
      const status = await page.evaluate(async (productId) => {
        const csrf = /(?:^|; )(?:__Host-)?ss_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? "";
        const res = await fetch("/api/cart/items", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": decodeURIComponent(csrf) },
          body: JSON.stringify({ productId, quantity: 1 }),
        });
        return { status: res.status, body: (await res.json()) as { code: string } };
      }, product.id);
      assert.equal(status.status, 400);
      assert.equal(status.body.code, "FAILED_PRECONDITION");
      await page.goto("/cart");
      await page.getByText("Your cart is empty.").waitFor();
    });
  });

  test("a double-clicked place order creates exactly one order", async (t) => {
    await withPage(t, browser, env, async ({ page, context }) => {
      await signUp(page);
      await addToCart(page, "brass-dividers", 2);
      await page.goto("/checkout");
      await fillCard(page);
      const posts: string[] = [];
      page.on("request", (r) => {
        if (r.method() === "POST" && new URL(r.url()).pathname === "/api/orders") posts.push(r.headers()["idempotency-key"] ?? "");
      });
      await page.getByRole("button", { name: "Place order" }).dblclick();
      await page.waitForURL(/\/confirmation$/);
      await page.getByRole("heading", { level: 1, name: "Thank you — your order is confirmed" }).waitFor();
      const orders = await ordersOf(env, context);
      assert.equal(orders.length, 1, `orders: ${JSON.stringify(orders)}`);
      assert.equal(new Set(posts).size, 1, `every request of the attempt used one key: ${JSON.stringify(posts)}`);
    });
  });

  test("a declined card is refused and the next attempt, with a new key, succeeds", async (t) => {
    await withPage(t, browser, env, async ({ page, context }) => {
      await signUp(page);
      await addToCart(page, "boat-hook");
      await page.goto("/checkout");
      const keys: string[] = [];
      page.on("request", (r) => {
        if (r.method() === "POST" && new URL(r.url()).pathname === "/api/orders") keys.push(r.headers()["idempotency-key"] ?? "");
      });
      await fillCard(page, "4000 0000 0000 0002");
      await page.getByRole("button", { name: "Place order" }).click();
      await page.getByRole("alert").filter({ hasText: /declined/ }).waitFor();
      await page.getByLabel("Card number").fill("4242 4242 4242 4242");
      await page.getByRole("button", { name: "Place order" }).click();
      await page.waitForURL(/\/confirmation$/);
      assert.equal((await ordersOf(env, context)).length, 1);
      assert.equal(keys.length, 2);
      assert.notEqual(keys[0], keys[1], "a new attempt gets a new Idempotency-Key");
    });
  });

  test("the session is refreshed on the server, once, by concurrent requests", async (t) => {
    await withPage(t, browser, env, async ({ page, context }) => {
      await signUp(page);
      const before = await sessionCookies(context);
      assert.ok(before.access && before.refresh);
      // As if the access token had expired: only the session cookie is left.
      await context.clearCookies({ name: before.access.name });
      // Several pages at once all present the same refresh token.
      const pages = await Promise.all([1, 2, 3].map(() => context.newPage()));
      await Promise.all([page, ...pages].map((p, i) => p.goto(i % 2 ? "/cart" : "/orders")));
      for (const p of [page, ...pages]) {
        assert.doesNotMatch(new URL(p.url()).pathname, /signin/, "still signed in");
      }
      const afterRefresh = await sessionCookies(context);
      assert.ok(afterRefresh.access, "a new access token");
      assert.notEqual(afterRefresh.refresh?.value, before.refresh.value, "the refresh token rotated");
      // The session survived (no refresh token was presented twice).
      await context.clearCookies({ name: before.access.name });
      await page.goto("/orders");
      await page.getByRole("heading", { level: 1, name: "Your orders" }).waitFor();
    });
  });

  test("a storefront route with a body refreshes an expired session itself", async (t) => {
    await withPage(t, browser, env, async ({ page, context }) => {
      await signUp(page);
      await page.goto("/product/boat-hook");
      const before = await sessionCookies(context);
      assert.ok(before.access && before.refresh);
      // The access token expires while the page is open; the POST skips the proxy.
      await context.clearCookies({ name: before.access.name });
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.getByText("Added 1 × Telescopic Boat Hook").waitFor();
      const afterRefresh = await sessionCookies(context);
      assert.ok(afterRefresh.access, "a new access token");
      assert.notEqual(afterRefresh.refresh?.value, before.refresh.value, "the refresh token rotated");
    });
  });

  test("mutations need the CSRF token", async (t) => {
    await withPage(t, browser, env, async ({ page }) => {
      await signUp(page);
      const product = await getProduct(env, "boat-hook");
      const status = await page.evaluate(async (productId) => {
        const res = await fetch("/api/cart/items", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ productId, quantity: 1 }),
        });
        return res.status;
      }, product.id);
      assert.equal(status, 403);
    });
  });

  test("not-found pages, health routes and a phone-width layout", async (t) => {
    const health = await fetch(`${env.baseUrl}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`${env.baseUrl}/readyz`);
    assert.equal(ready.status, 200, await ready.text());
    await withPage(
      t,
      browser,
      env,
      async ({ page }) => {
        const missing = await page.goto("/product/no-such-thing");
        assert.equal(missing?.status(), 404);
        await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
        for (const path of ["/", "/product/storm-lantern", "/products", "/signin"]) {
          await page.goto(path);
          await noHorizontalScroll(page);
        }
        await screenshot(page, env, "signin-phone");
        await page.goto("/product/storm-lantern");
        await screenshot(page, env, "product-phone");
        // All products, page 2 and back.
        await page.goto("/products");
        await page.getByRole("link", { name: "Next page →" }).click();
        await page.getByText("Page 2").waitFor();
        await page.getByRole("link", { name: "← Previous page" }).click();
        await page.getByText("Page 1").waitFor();
      },
      PHONE,
    );
  });

  test("without its API the storefront shows an error page and is not ready; SIGTERM stops it cleanly", async (t) => {
    const lone = await startLoneServer(t, needs(env.standalone, "E2E_STANDALONE"), { API_URL: "http://127.0.0.1:1/api/v1", SHUTDOWN_DRAIN_DELAY: "0s" });
    const ready = await fetch(`${lone.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(await ready.text(), /API unreachable/);
    await withPage(t, browser, { ...env, baseUrl: lone.url }, async ({ page }) => {
      const res = await page.goto("/");
      assert.equal(res?.status(), 500);
      await page.getByRole("heading", { level: 1, name: "Something went wrong" }).waitFor();
      await page.getByRole("button", { name: "Try again" }).waitFor();
    });
    lone.child.kill("SIGTERM");
    assert.deepEqual(await lone.exited, { code: 0, signal: null });
    // Every line it printed is a JSON log record, the shutdown included.
    const records = lone.lines.map((l) => JSON.parse(l) as { msg: string; level: string });
    assert.ok(records.some((r) => r.msg.startsWith("shutting down")), lone.lines.join("\n"));
    assert.ok(records.some((r) => r.msg === "request failed" && r.level === "ERROR"), "the failed render was logged");
  });
});
