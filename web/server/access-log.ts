import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../src/lib/log";

// One JSON line per request, like the Go services' access log. Each request
// gets an X-Request-Id (the caller's if it sent a sane one). The query
// string is left out: search words are the shopper's business.

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
const QUIET = /^\/(healthz|readyz)$|^\/_next\/static\//;

export function requestId(incoming: string | string[] | undefined): string {
  const v = Array.isArray(incoming) ? incoming[0] : incoming;
  return v && REQUEST_ID.test(v) ? v : randomUUID();
}

export function accessLog(log: Logger, now: () => bigint = process.hrtime.bigint) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const start = now();
    const id = requestId(req.headers["x-request-id"]);
    req.headers["x-request-id"] = id;
    res.setHeader("X-Request-Id", id);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    res.once("close", () => {
      const fields = {
        "http.method": req.method,
        "http.path": path,
        "http.status": res.statusCode,
        duration_ms: Number(now() - start) / 1e6,
        request_id: id,
        completed: res.writableFinished,
      };
      if (QUIET.test(path) && res.statusCode < 400) log.debug("http request", fields);
      else log.info("http request", fields);
    });
  };
}
