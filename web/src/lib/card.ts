// Checks of payment-card input before it is sent, so a typo is reported at
// the field at once. The payment provider decides; these only catch slips.

export interface CardInput {
  number: string;
  expMonth: string;
  expYear: string;
  cvc: string;
}

/** digitsOnly drops the spaces and dashes people type in card numbers. */
export function digitsOnly(s: string): string {
  return s.replace(/[\s-]/g, "");
}

/** luhnValid is the card-number checksum every real card satisfies. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** cardErrors maps fields to what is wrong with them; empty when fine. */
export function cardErrors(c: CardInput, now: Date): Record<string, string> {
  const errors: Record<string, string> = {};
  const number = digitsOnly(c.number);
  if (!/^\d{12,19}$/.test(number)) errors.number = "Enter the 12 to 19 digits of the card number.";
  else if (!luhnValid(number)) errors.number = "This card number is not valid; check the digits.";
  const month = Number(c.expMonth);
  const year = Number(c.expYear);
  if (!Number.isInteger(month) || month < 1 || month > 12) errors.expMonth = "Choose the expiry month.";
  if (!Number.isInteger(year) || year < 2000) errors.expYear = "Choose the expiry year.";
  else if (!errors.expMonth && (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1))) {
    errors.expYear = "This card has expired.";
  }
  if (!/^\d{3,4}$/.test(c.cvc.trim())) errors.cvc = "Enter the 3 or 4 digit security code.";
  return errors;
}
