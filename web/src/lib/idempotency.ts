// Checkout attempts and their Idempotency-Key. One attempt = one key: a
// double click or a retry after a lost answer reuses it (orders then returns
// the same order, charging once), and so does a reload while the attempt may
// still be running, because the key is kept in sessionStorage together with
// the cart version it was made for. A final answer (an order, or a refusal
// such as a declined card) ends the attempt: the next one gets a new key.

export interface KeyStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const STORE_KEY = "shipshape.checkout-attempt";
const KEY_PATTERN = /^[A-Za-z0-9-]{16,128}$/;

/** newIdempotencyKey is a random UUID (v4); works without a secure context. */
export function newIdempotencyKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function isIdempotencyKey(s: string | null | undefined): s is string {
  return typeof s === "string" && KEY_PATTERN.test(s);
}

/**
 * attemptKey returns the key of the checkout attempt for this cart version:
 * the stored one if an attempt for the same version never ended, else a new
 * one (stored before it is used).
 */
export function attemptKey(store: KeyStore, cartVersion: string): string {
  try {
    const raw = store.getItem(STORE_KEY);
    if (raw) {
      const saved = JSON.parse(raw) as { key?: unknown; cartVersion?: unknown };
      if (saved.cartVersion === cartVersion && isIdempotencyKey(saved.key as string)) return saved.key as string;
    }
  } catch {
    // Unreadable storage: start a new attempt.
  }
  const key = newIdempotencyKey();
  try {
    store.setItem(STORE_KEY, JSON.stringify({ key, cartVersion }));
  } catch {
    // Storage full or disabled: the key still protects this page's clicks.
  }
  return key;
}

/** endAttempt forgets the key once the attempt has a final answer. */
export function endAttempt(store: KeyStore): void {
  try {
    store.removeItem(STORE_KEY);
  } catch {
    // Nothing to forget.
  }
}
