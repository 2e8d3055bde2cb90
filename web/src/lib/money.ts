// Prices travel as integer minor units (cents for EUR) with an ISO 4217
// currency code; int64 amounts arrive as JSON strings ("3290"). They are
// kept as bigint so no amount is ever rounded through a float.

export interface Money {
  currencyCode: string;
  amountMinor: string;
}

/** The shop's display locale and the currency of an empty amount. */
export const STORE_LOCALE = "en-IE";
export const STORE_CURRENCY = "EUR";

const INTEGER = /^-?\d+$/;

/** parseMinor reads an int64 minor-unit amount; anything else throws. */
export function parseMinor(value: string | number | bigint): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new RangeError(`amount ${value} is not a safe integer`);
    return BigInt(value);
  }
  if (!INTEGER.test(value)) throw new RangeError(`amount ${JSON.stringify(value)} is not an integer`);
  return BigInt(value);
}

const digitsCache = new Map<string, number>();

/** minorDigits is how many minor-unit digits a currency has (EUR 2, JPY 0). */
export function minorDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, d);
  }
  return d;
}

/** toDecimalString turns minor units into an exact decimal string: 3290 EUR -> "32.90". */
export function toDecimalString(amountMinor: bigint, digits: number): string {
  const negative = amountMinor < 0n;
  const abs = (negative ? -amountMinor : amountMinor).toString().padStart(digits + 1, "0");
  const major = abs.slice(0, abs.length - digits);
  const minor = abs.slice(abs.length - digits);
  return (negative ? "-" : "") + major + (digits > 0 ? "." + minor : "");
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, f);
  }
  return f;
}

/**
 * formatMoney renders an amount for people: {EUR, "3290"} -> "€32.90".
 * An empty currency code (an empty cart's subtotal) means STORE_CURRENCY.
 */
export function formatMoney(money: Money, locale: string = STORE_LOCALE): string {
  const currency = money.currencyCode || STORE_CURRENCY;
  const digits = minorDigits(currency);
  const decimal = toDecimalString(parseMinor(money.amountMinor), digits);
  // Intl formats decimal strings exactly (no float conversion).
  return formatter(locale, currency, digits).format(decimal as `${number}`);
}
