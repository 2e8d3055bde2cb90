"use client";

import Link from "next/link";
import { Field } from "../Field";
import { text, useAccountForm } from "./useAccountForm";
import { useHydrated } from "./useHydrated";

export function SignInForm({ next }: { next: string }) {
  const hydrated = useHydrated();
  const { onSubmit, pending, error, fields } = useAccountForm("/api/session", (form) => ({ email: text(form, "email"), password: text(form, "password") }), next);

  return (
    <form method="post" onSubmit={onSubmit} noValidate aria-describedby={error ? "signin-error" : undefined}>
      {error ? (
        <p className="alert" role="alert" id="signin-error">
          {error}
        </p>
      ) : null}
      <Field id="email" name="email" label="E-mail" type="email" autoComplete="email" required error={fields.email} />
      <Field id="password" name="password" label="Password" type="password" autoComplete="current-password" required error={fields.password} />
      <button type="submit" className="button" disabled={pending || !hydrated}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
      <p>
        New here? <Link href={`/signup?next=${encodeURIComponent(next)}`}>Create an account</Link>
      </p>
    </form>
  );
}
