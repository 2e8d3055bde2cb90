import type { IncomingMessage, ServerResponse } from "node:http";

// The storefront's fault switch for release tests, as the Go services'
// (internal/platform/fault): FAULT_ERROR_RATIO (0 to 1, default 0, off)
// of its requests answer 503 before Next sees them, evenly spread (a
// counter, not a random draw). The health checks are never failed, so a
// bad version starts and gets its preview as a real one would, and its
// smoke journey has real failures to find (docs/releases.md). The
// staging and production manifests may not set it
// (deploy/policies/kubernetes/release.rego).

export const FAULT_MESSAGE = "fault switch: this request failed on purpose (FAULT_ERROR_RATIO)";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const exempt = new Set(["/healthz", "/readyz"]);

/**
 * withFaults wraps a request handler so that ratio of the requests fail;
 * with ratio 0 or less it returns the handler itself.
 */
export function withFaults(ratio: number, handler: Handler): Handler {
  if (!(ratio > 0)) return handler;
  const r = Math.min(ratio, 1);
  let n = 0;
  return (req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    if (!exempt.has(path)) {
      n++;
      // request n fails when the failures owed, floor(n*r), grow at n
      if (Math.floor(n * r) > Math.floor((n - 1) * r)) {
        res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
        res.end(`${FAULT_MESSAGE}\n`);
        return;
      }
    }
    handler(req, res);
  };
}
