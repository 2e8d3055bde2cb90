import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { OFF_SITE_ONCE_NORMALISED } from "../src/lib/safe-path.testdata";
import { launchBrowser, withPage } from "./browser";
import { e2eEnv, needs } from "./env";
import { freePort, startLoneServer } from "./lone-server";
import { startRecordingApi } from "./recording-api";
import { createAccount } from "./shop";
import { peakRssKiB, postChunked } from "./upload";

// The storefront's edge: where sign-in may send the browser, who the client
// is, what a request body may cost, which answers are cached, the security
// headers.
// Most tests start their own storefront from the same build (in front of a
// recording API where what it sends matters); run by scripts/web-e2e.sh.

const env = e2eEnv();
let browser: Browser;

before(async () => {
  browser = await launchBrowser(env);
});

after(async () => {
  await browser?.close();
});

describe("storefront edge", () => {
  test("signing in with a return path that leaves the site lands on the storefront's own home page", async (t) => {
    const account = await createAccount(env, "redirected");
    const site = new URL(env.baseUrl).origin;
    await withPage(t, browser, env, async ({ page, context }) => {
      const elsewhere: string[] = [];
      page.on("request", (r) => {
        if (new URL(r.url()).origin !== site) elsewhere.push(r.url());
      });
      for (const bad of ["//evil.example", ...OFF_SITE_ONCE_NORMALISED]) {
        // Through the form (the browser follows the returned path)...
        await page.goto(`/signin?next=${encodeURIComponent(bad)}`);
        await page.getByLabel("E-mail").fill(account.email);
        await page.getByLabel("Password").fill(account.password);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("button", { name: "Sign out" }).waitFor();
        await page.getByRole("heading", { level: 1, name: "Everything for life on board" }).waitFor();
        assert.equal(page.url(), `${site}/`, `next=${JSON.stringify(bad)}`);
        // ...and when already signed in (the server redirects).
        await page.goto(`/signin?next=${encodeURIComponent(bad)}`);
        await page.getByRole("heading", { level: 1, name: "Everything for life on board" }).waitFor();
        assert.equal(page.url(), `${site}/`, `signed in, next=${JSON.stringify(bad)}`);
        await context.clearCookies();
      }
      assert.deepEqual(elsewhere, [], "no request left the site");
    });
  });

  test("each client's own address reaches the gateway, read from X-Forwarded-For only when a trusted proxy sent it", async (t) => {
    const standalone = needs(env.standalone, "E2E_STANDALONE");
    const gateway = await startRecordingApi(t);
    // Behind a proxy on loopback (trusted by default), and with loopback untrusted.
    const behindProxy = await startLoneServer(t, standalone, { API_URL: gateway.url });
    const untrusting = await startLoneServer(t, standalone, { API_URL: gateway.url, TRUSTED_PROXY_CIDRS: "192.0.2.0/24" });
    // An unsigned token is enough: the recording gateway checks nothing.
    const claims = Buffer.from(JSON.stringify({ sub: "u1", email: "a@example.com", exp: Math.floor(Date.now() / 1000) + 600 })).toString("base64url");
    const access = `e30.${claims}.sig`;
    const csrf = "c".repeat(43);
    let n = 0;
    const cases = [
      { server: behindProxy, sent: "203.0.113.10", want: "203.0.113.10" },
      { server: behindProxy, sent: "198.51.100.20, 10.1.2.3, 198.51.100.21", want: "198.51.100.21" },
      { server: untrusting, sent: "203.0.113.10", want: "127.0.0.1" },
    ];
    for (const { server, sent, want } of cases) {
      gateway.calls.length = 0;
      // A page's own API call, the proxy's session refresh, and a storefront route.
      await (await fetch(`${server.url}/cart`, { headers: { "X-Forwarded-For": sent, Cookie: `ss_access=${access}` } })).text();
      await (await fetch(`${server.url}/orders`, { headers: { "X-Forwarded-For": sent, Cookie: `ss_session=refresh-${++n}` }, redirect: "manual" })).text();
      const signIn = await fetch(`${server.url}/api/session`, {
        method: "POST",
        headers: { "X-Forwarded-For": sent, "Content-Type": "application/json", Cookie: `ss_csrf=${csrf}`, "X-CSRF-Token": csrf, "Sec-Fetch-Site": "same-origin" },
        body: JSON.stringify({ email: "a@example.com", password: "wrong password" }),
      });
      assert.equal(signIn.status, 401, await signIn.text());
      const seen = Object.fromEntries(gateway.calls.map((c) => [`${c.method} ${c.path}`, c.forwardedFor]));
      assert.deepEqual(
        { cart: seen["GET /api/v1/cart"], refresh: seen["POST /api/v1/auth/refresh"], signIn: seen["POST /api/v1/auth/signin"] },
        { cart: want, refresh: want, signIn: want },
        `X-Forwarded-For ${sent} to ${server.url}: the gateway got ${JSON.stringify(gateway.calls)}`,
      );
    }
  });

  test("searches are not cached: each reaches the gateway as its shopper's, and none fills the cache volume", async (t) => {
    const standalone = needs(env.standalone, "E2E_STANDALONE");
    const gateway = await startRecordingApi(t);
    const lone = await startLoneServer(t, standalone, { API_URL: gateway.url });
    const word = `zebra${Date.now()}`;
    for (const shopper of ["203.0.113.30", "203.0.113.31"]) {
      const res = await fetch(`${lone.url}/search?q=${word}`, { headers: { "X-Forwarded-For": shopper } });
      assert.equal(res.status, 200, await res.text());
    }
    const searches = gateway.calls.filter((c) => c.path === "/api/v1/search");
    assert.deepEqual(
      searches.map((c) => c.forwardedFor),
      ["203.0.113.30", "203.0.113.31"],
    );
    const cacheDir = path.join(standalone, ".next", "cache", "fetch-cache");
    const cached = existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => readFileSync(path.join(cacheDir, f), "utf8").includes(word)) : [];
    assert.deepEqual(cached, [], "a search answer was written to the data cache");
  });

  test("pages carry a fresh script nonce and no inline-script allowance; HSTS over HTTPS", async (t) => {
    const nonces = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${env.baseUrl}/signin`);
      const html = await res.text();
      const csp = res.headers.get("content-security-policy") ?? "";
      const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'(;|$)/.exec(csp)?.[1];
      assert.ok(nonce, csp);
      nonces.add(nonce);
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      assert.ok(scripts.length > 0);
      for (const tag of scripts) assert.ok(tag.includes(`nonce="${nonce}"`), tag);
      assert.equal(res.headers.get("strict-transport-security"), null, "make run serves plain http");
    }
    assert.equal(nonces.size, 2, "a nonce per response");
    // Responses the proxy does not see: scripts from the site only.
    const icon = await fetch(`${env.baseUrl}/icon.svg`);
    assert.match(icon.headers.get("content-security-policy") ?? "", /script-src 'self'(;|$)/);

    // The pages work under it: no violation while the sign-in form hydrates.
    await withPage(t, browser, env, async ({ page }) => {
      const violations: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      for (const p of ["/", "/product/storm-lantern", "/signin"]) await page.goto(p);
      await page.getByLabel("E-mail").fill("someone@example.com");
      await page.getByLabel("Password").fill("x");
      // Enabled once hydrated: the page's scripts ran.
      await page.getByRole("button", { name: "Sign in" }).and(page.locator(":enabled")).waitFor();
      assert.deepEqual(violations, []);
    });

    const https = await startLoneServer(t, needs(env.standalone, "E2E_STANDALONE"), { API_URL: env.apiUrl, COOKIE_SECURE: "true" });
    for (const p of ["/signin", "/healthz", "/icon.svg"]) {
      const res = await fetch(`${https.url}${p}`);
      await res.text();
      assert.equal(res.headers.get("strict-transport-security"), "max-age=31536000; includeSubDomains", p);
    }
  });

  test("pages are counted by route on the metrics port, which the public port does not serve", async (t) => {
    const metricsPort = await freePort();
    const lone = await startLoneServer(t, needs(env.standalone, "E2E_STANDALONE"), { API_URL: env.apiUrl, METRICS_PORT: String(metricsPort) });
    for (const p of ["/signin", "/signin?next=/cart", "/no-such-page"]) await (await fetch(lone.url + p)).text();
    const publicMetrics = await fetch(`${lone.url}/metrics`);
    await publicMetrics.text();
    assert.equal(publicMetrics.status, 404, "the public port serves no metrics");
    // A response is counted once the server has closed it, which may come
    // a moment after the client read its last byte.
    const scrape = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const value = (text: string, series: string) => Number(text.split("\n").find((l) => l.startsWith(series + " "))?.split(" ")[1]);
    const signIn = 'http_requests_total{method="GET",route="/signin",code="200"}';
    const notFound = 'http_requests_total{method="GET",route="unmatched",code="404"}';
    let text = await scrape();
    for (const deadline = Date.now() + 5000; (value(text, signIn) !== 2 || value(text, notFound) !== 2) && Date.now() < deadline; ) text = await scrape();
    assert.equal(value(text, signIn), 2, text);
    assert.equal(value(text, notFound), 2, "/no-such-page and /metrics");
    assert.ok(value(text, "process_resident_memory_bytes") > 0, text);
  });

  test("a chunked 10 MB upload is refused after its first 16 KiB and never held in memory", async (t) => {
    const lone = await startLoneServer(t, needs(env.standalone, "E2E_STANDALONE"), { API_URL: env.apiUrl });
    const pid = lone.child.pid ?? 0;
    const csrf = "c".repeat(43);
    const headers = { "Content-Type": "application/json", Cookie: `ss_csrf=${csrf}`, "X-CSRF-Token": csrf, "Sec-Fetch-Site": "same-origin" };
    const MiB = 1024 * 1024;
    // A storefront route that reads its body, and a page (which does not).
    for (const path of ["/api/session", "/"]) {
      // The first requests load the route's code: measure after them.
      for (let i = 0; i < 3; i++) await postChunked(lone.url, path, headers, 64 * 1024);
      const before = peakRssKiB(pid);
      const r = await postChunked(lone.url, path, headers, 10 * MiB);
      const grownKiB = peakRssKiB(pid) - before;
      // A body held whole would add at least its 10 MiB; under half of that
      // is the allocator's and collector's noise (3.4 MiB seen in CI).
      assert.ok(grownKiB < 5 * 1024, `${path}: the server's peak memory grew by ${grownKiB} KiB for a 10 MiB upload`);
      if (path === "/api/session") {
        assert.equal(r.status, 413, r.body);
        assert.deepEqual(JSON.parse(r.body), { code: "INVALID_ARGUMENT", message: "request body too large (at most 16384 bytes)" });
        assert.ok(r.sent < 10 * MiB, `the whole body was taken (${r.sent} bytes) before the refusal`);
      }
    }
  });
});
