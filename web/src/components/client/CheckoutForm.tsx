"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { isApiError, userMessage } from "@/lib/api/errors";
import type { Order } from "@/lib/api/types";
import { send } from "@/lib/browser/send";
import { cardErrors, digitsOnly } from "@/lib/card";
import { attemptKey, endAttempt } from "@/lib/idempotency";
import { Field } from "../Field";
import { useHydrated } from "./useHydrated";

/**
 * A failure is final when the orders service decided (declined card, stock,
 * bad input): the next attempt needs a new key. Otherwise (no answer, 5xx)
 * the order may or may not exist, so a retry must use the same key.
 */
function isFinal(err: unknown): boolean {
  return isApiError(err) && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429 && err.status !== 499;
}

export function CheckoutForm({ cartVersion, years }: { cartVersion: string; years: number[] }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const inFlight = useRef(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    // A second click (or Enter) while an attempt runs does nothing.
    if (inFlight.current) return;
    const form = new FormData(e.currentTarget);
    const input = {
      number: String(form.get("number") ?? ""),
      expMonth: String(form.get("expMonth") ?? ""),
      expYear: String(form.get("expYear") ?? ""),
      cvc: String(form.get("cvc") ?? ""),
    };
    const problems = cardErrors(input, new Date());
    setFields(problems);
    if (Object.keys(problems).length > 0) {
      setError("Check the card details below.");
      return;
    }
    inFlight.current = true;
    setPending(true);
    setError("");
    const key = attemptKey(window.sessionStorage, cartVersion);
    try {
      const card = { number: digitsOnly(input.number), expMonth: Number(input.expMonth), expYear: Number(input.expYear), cvc: input.cvc.trim() };
      const order = await send<Order>("POST", "/api/orders", { card }, { "Idempotency-Key": key });
      endAttempt(window.sessionStorage);
      // Stay disabled while the confirmation loads.
      router.replace(`/orders/${order.id}/confirmation`);
      router.refresh();
    } catch (err) {
      if (isFinal(err)) endAttempt(window.sessionStorage);
      setError(userMessage(err));
      inFlight.current = false;
      setPending(false);
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate aria-busy={pending}>
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      <Field
        id="number"
        name="number"
        label="Card number"
        inputMode="numeric"
        autoComplete="cc-number"
        required
        maxLength={23}
        error={fields.number}
        hint="Payments are simulated: 4242 4242 4242 4242 is approved, 4000 0000 0000 0002 is declined."
      />
      <div className="field-row">
        <div className="field">
          <label htmlFor="expMonth">Expiry month</label>
          <select id="expMonth" name="expMonth" autoComplete="cc-exp-month" defaultValue="" aria-invalid={fields.expMonth ? true : undefined} aria-describedby={fields.expMonth ? "expMonth-error" : undefined}>
            <option value="" disabled>
              Month
            </option>
            {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
              <option key={m} value={m}>
                {String(m).padStart(2, "0")}
              </option>
            ))}
          </select>
          {fields.expMonth ? (
            <p className="field-error" id="expMonth-error">
              {fields.expMonth}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="expYear">Expiry year</label>
          <select id="expYear" name="expYear" autoComplete="cc-exp-year" defaultValue="" aria-invalid={fields.expYear ? true : undefined} aria-describedby={fields.expYear ? "expYear-error" : undefined}>
            <option value="" disabled>
              Year
            </option>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
          {fields.expYear ? (
            <p className="field-error" id="expYear-error">
              {fields.expYear}
            </p>
          ) : null}
        </div>
        <Field id="cvc" name="cvc" label="Security code" inputMode="numeric" autoComplete="cc-csc" required maxLength={4} error={fields.cvc} />
      </div>
      <button type="submit" className="button" disabled={pending || !hydrated} aria-disabled={pending || !hydrated}>
        {pending ? "Placing order…" : "Place order"}
      </button>
    </form>
  );
}
