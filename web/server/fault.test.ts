import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { FAULT_MESSAGE, withFaults } from "./fault";

async function serve(ratio: number, t: { after: (f: () => void) => void }): Promise<string> {
  const server = http.createServer(withFaults(ratio, (_req, res) => res.end("page")));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function statuses(base: string, paths: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const p of paths) {
    const res = await fetch(base + p);
    const body = await res.text();
    if (res.status === 503) assert.equal(body, `${FAULT_MESSAGE}\n`);
    out.push(res.status);
  }
  return out;
}

test("a quarter of the pages fail, evenly spread; the health checks never", async (t) => {
  const base = await serve(0.25, t);
  const pages = await statuses(base, Array.from({ length: 8 }, (_, i) => `/product/p${i}?x=1`));
  assert.deepEqual(pages, [200, 200, 200, 503, 200, 200, 200, 503]);
  assert.deepEqual(await statuses(base, ["/healthz", "/readyz", "/readyz?full=1"]), [200, 200, 200]);
});

test("ratio 1 fails every page, 0 none", async (t) => {
  assert.deepEqual(await statuses(await serve(1, t), ["/", "/cart"]), [503, 503]);
  assert.deepEqual(await statuses(await serve(0, t), ["/", "/cart"]), [200, 200]);
});

test("off returns the handler itself", () => {
  const handler = () => undefined;
  assert.equal(withFaults(0, handler), handler);
  assert.equal(withFaults(Number.NaN, handler), handler);
});
