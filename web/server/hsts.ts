import type { IncomingMessage, ServerResponse } from "node:http";

// Strict-Transport-Security on every response when the storefront is served
// over HTTPS (COOKIE_SECURE, the setting of every deployment but `make
// run`): a year, subdomains included, as the gateway sends in production.
// Set by the launcher, so static files and the JSON routes carry it too.

export const HSTS = "max-age=31536000; includeSubDomains";

export function strictTransportSecurity(https: boolean) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    if (https) res.setHeader("Strict-Transport-Security", HSTS);
  };
}
