"use client";

import Link from "next/link";
import { Field } from "../Field";
import { text, useAccountForm } from "./useAccountForm";
import { useHydrated } from "./useHydrated";

export function SignUpForm({ next }: { next: string }) {
  const hydrated = useHydrated();
  const { onSubmit, pending, error, fields } = useAccountForm("/api/account", (form) => ({ name: text(form, "name"), email: text(form, "email"), password: text(form, "password") }), next);

  return (
    <form method="post" onSubmit={onSubmit} noValidate>
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      <Field id="name" name="name" label="Name" autoComplete="name" required maxLength={200} error={fields.name} />
      <Field id="email" name="email" label="E-mail" type="email" autoComplete="email" required error={fields.email} />
      <Field
        id="password"
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters; a few words make a good one."
        error={fields.password}
      />
      <button type="submit" className="button" disabled={pending || !hydrated}>
        {pending ? "Creating your account…" : "Create account"}
      </button>
      <p>
        Already have an account? <Link href={`/signin?next=${encodeURIComponent(next)}`}>Sign in</Link>
      </p>
    </form>
  );
}
