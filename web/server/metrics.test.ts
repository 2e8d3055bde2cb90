import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { StorefrontMetrics, routeOf, routesFromManifest } from "./metrics";

// A build's routes manifest as `next build` writes it (the fields read).
function standaloneWithRoutes(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "storefront-metrics-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, ".next"));
  writeFileSync(
    path.join(dir, ".next", "routes-manifest.json"),
    JSON.stringify({
      caseSensitive: false,
      staticRoutes: [
        { page: "/", regex: "^/(?:/)?$" },
        { page: "/orders", regex: "^/orders(?:/)?$" },
      ],
      dynamicRoutes: [
        { page: "/orders/[id]", regex: "^/orders/([^/]+?)(?:/)?$" },
        { page: "/orders/[id]/confirmation", regex: "^/orders/([^/]+?)/confirmation(?:/)?$" },
        { page: "/product/[slug]", regex: "^/product/([^/]+?)(?:/)?$" },
      ],
    }),
  );
  return dir;
}

async function listen(server: http.Server, t: { after: (fn: () => void) => void }): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** sample finds one series' value in a scrape, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test("paths are labelled by their page pattern, never by the path itself", (t) => {
  const routes = routesFromManifest(standaloneWithRoutes(t));
  for (const [url, want] of [
    ["/", "/"],
    ["/product/storm-lantern?ref=home", "/product/[slug]"],
    ["/PRODUCT/storm-lantern", "/product/[slug]"],
    ["/orders", "/orders"],
    ["/orders/7f3a", "/orders/[id]"],
    ["/orders/7f3a/confirmation", "/orders/[id]/confirmation"],
    ["/_next/static/chunks/app.js", "/_next/static"],
    ["/_next/image?url=x&w=64", "/_next/image"],
    ["/wp-login.php", "unmatched"],
    ["/product/a/b", "unmatched"],
  ] as const) {
    assert.equal(routeOf(routes, url), want, url);
  }
});

test("every response is counted by method, route and status, with its duration", async (t) => {
  const metrics = new StorefrontMetrics(routesFromManifest(standaloneWithRoutes(t)));
  const site = http.createServer((req, res) => {
    res.statusCode = req.url?.startsWith("/product/") ? 200 : 404;
    res.end("page");
  });
  site.prependListener("request", metrics.middleware());
  const siteURL = await listen(site, t);
  const scrapeURL = await listen(http.createServer(metrics.handler()), t);

  for (const p of ["/product/storm-lantern", "/product/deck-lamp", "/nowhere"]) await (await fetch(siteURL + p)).text();
  await (await fetch(siteURL + "/product/x", { method: "PROPFIND" })).text();

  const res = await fetch(scrapeURL + "/metrics");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  assert.equal(sample(text, 'http_requests_total{method="GET",route="/product/[slug]",code="200"}'), 2);
  assert.equal(sample(text, 'http_requests_total{method="GET",route="unmatched",code="404"}'), 1);
  assert.equal(sample(text, 'http_requests_total{method="OTHER",route="/product/[slug]",code="200"}'), 1, "unknown methods are one label value");
  // Buckets are cumulative and end in the count.
  const le = (b: string) => sample(text, `http_request_duration_seconds_bucket{method="GET",route="/product/[slug]",le="${b}"}`)!;
  assert.ok(le("0.005") <= le("0.1") && le("0.1") <= le("10"), text);
  assert.equal(le("+Inf"), 2);
  assert.equal(sample(text, 'http_request_duration_seconds_count{method="GET",route="/product/[slug]"}'), 2);
  assert.ok(sample(text, 'http_request_duration_seconds_sum{method="GET",route="/product/[slug]"}')! > 0);
  assert.equal(sample(text, "http_requests_in_flight"), 0);
  for (const name of ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds", "nodejs_heap_used_bytes", "nodejs_eventloop_delay_p99_seconds"]) {
    assert.ok((sample(text, name) ?? -1) >= 0, `${name} missing:\n${text}`);
    assert.ok(text.includes(`# TYPE ${name} `), `${name} has no TYPE line`);
  }
  assert.ok(sample(text, "process_start_time_seconds")! > Date.now() / 1000 - 3600 * 24 * 365, "start time is a Unix time");
});

test("a request the client abandons before any answer counts as 499", async (t) => {
  const metrics = new StorefrontMetrics([]);
  let abandoned!: () => void;
  const closed = new Promise<void>((r) => (abandoned = r));
  const site = http.createServer((_req, res) => res.once("close", () => setImmediate(abandoned)));
  site.prependListener("request", metrics.middleware());
  const siteURL = await listen(site, t);
  const ac = new AbortController();
  const pending = fetch(siteURL + "/slow", { signal: ac.signal }).catch(() => undefined);
  // The request is in flight once the server has it.
  await new Promise<void>((r) => site.once("request", () => r()));
  ac.abort();
  await pending;
  await closed;
  assert.equal(sample(metrics.render(), 'http_requests_total{method="GET",route="unmatched",code="499"}'), 1);
  assert.equal(sample(metrics.render(), "http_requests_in_flight"), 0);
});

test("label values are escaped and the listener serves only GET /metrics", async (t) => {
  const metrics = new StorefrontMetrics([]);
  metrics.record("GET", 'a"b\\c\nd', 200, 0.2);
  assert.ok(metrics.render().includes('route="a\\"b\\\\c\\nd"'), metrics.render());
  const url = await listen(http.createServer(metrics.handler()), t);
  assert.equal((await fetch(url + "/")).status, 404);
  assert.equal((await fetch(url + "/metrics", { method: "POST" })).status, 405);
  const head = await fetch(url + "/metrics", { method: "HEAD" });
  assert.equal(head.status, 200);
});
