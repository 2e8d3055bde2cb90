// The storefront's Content-Security-Policy. Pages get a fresh nonce per
// response (src/proxy.ts): Next puts it on every script it renders, and
// only scripts carrying it (or loaded by one, 'strict-dynamic') run, so an
// injected inline script does not. Every other response (next.config.ts)
// allows scripts from this origin only. Styles stay 'unsafe-inline': React
// renders style attributes, and CSS cannot run script.

const BASE = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
];

/** basePolicy is the policy of responses the proxy does not see. */
export function basePolicy(): string {
  return [...BASE, "script-src 'self'"].join("; ");
}

/** pagePolicy is the policy of a page rendered with nonce. */
export function pagePolicy(nonce: string): string {
  return [...BASE, `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`].join("; ");
}

/** newNonce is 16 random bytes, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
