// Storefront benchmark (not a test): server response times of the home page
// and a product page over the whole local stack, and the JavaScript the
// home page makes a browser download. Prints one JSON object.
//   node bench.mjs <base-url> [requests]
import { gzipSync } from "node:zlib";

const base = (process.argv[2] ?? "").replace(/\/$/, "");
const requests = Number(process.argv[3] ?? 200);
if (!base) {
  console.error("usage: node bench.mjs <base-url> [requests]");
  process.exit(2);
}

async function timed(url) {
  const start = performance.now();
  const res = await fetch(url, { headers: { "Accept-Encoding": "gzip" } });
  const body = await res.arrayBuffer();
  const ms = performance.now() - start;
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return { ms, bytes: body.byteLength };
}

/** nearest-rank percentile of sorted values */
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(path) {
  for (let i = 0; i < 20; i++) await timed(base + path); // warm caches and the JIT
  const times = [];
  for (let i = 0; i < requests; i++) times.push((await timed(base + path)).ms);
  times.sort((a, b) => a - b);
  const round = (v) => Math.round(v * 10) / 10;
  return { path, requests, medianMs: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)), maxMs: round(times[times.length - 1]) };
}

async function homeJavaScript() {
  const html = await (await fetch(base + "/")).text();
  const tags = [...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js[^"]*)"[^>]*>/g)];
  // Browsers that run modules never download noModule scripts (legacy polyfills).
  const legacy = new Set(tags.filter((m) => /\snomodule/i.test(m[0])).map((m) => m[1]));
  const srcs = [...new Set(tags.map((m) => m[1]))];
  let raw = 0;
  let gzip = 0;
  let legacyGzip = 0;
  for (const src of srcs) {
    const buf = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer());
    const gz = gzipSync(buf, { level: 6 }).length;
    if (legacy.has(src)) {
      legacyGzip += gz;
      continue;
    }
    raw += buf.length;
    gzip += gz;
  }
  const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join("");
  return { files: srcs.length - legacy.size, rawBytes: raw, gzipBytes: gzip, legacyGzipBytes: legacyGzip, inlineGzipBytes: gzipSync(Buffer.from(inline), { level: 6 }).length };
}

const result = {
  home: await measure("/"),
  product: await measure("/product/storm-lantern"),
  js: await homeJavaScript(),
};
console.log(JSON.stringify(result));
