import http from "node:http";
import type { AddressInfo } from "node:net";
import type { TestContext } from "node:test";

// A stand-in for the public API that records what the storefront sends:
// path and X-Forwarded-For of every call. It answers just enough for the
// pages to render: an empty catalog and cart, and 401 to sign-in and
// refresh.

export interface RecordedCall {
  method: string;
  path: string;
  forwardedFor: string | undefined;
}

export interface RecordingApi {
  /** The API's base URL (API_URL). */
  url: string;
  calls: RecordedCall[];
}

const money = { currencyCode: "EUR", amountMinor: "0" };

function answer(path: string): [number, unknown] {
  if (path.startsWith("/api/v1/auth/")) return [401, { code: "UNAUTHENTICATED", message: "invalid credentials" }];
  if (path === "/api/v1/cart") return [200, { items: [], subtotal: money, itemCount: 0, version: "0" }];
  if (path === "/api/v1/categories") return [200, { categories: [] }];
  return [200, { products: [], orders: [], nextPageToken: "" }];
}

export async function startRecordingApi(t: TestContext): Promise<RecordingApi> {
  const calls: RecordedCall[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    calls.push({ method: req.method ?? "", path, forwardedFor: req.headers["x-forwarded-for"] as string | undefined });
    req.resume();
    const [status, body] = answer(path);
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`, calls };
}
