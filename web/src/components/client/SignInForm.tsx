"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { fieldErrors, userMessage } from "@/lib/api/errors";
import { send } from "@/lib/browser/send";
import { Field } from "../Field";
import { useHydrated } from "./useHydrated";

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const busy = useRef(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy.current) return;
    const form = new FormData(e.currentTarget);
    busy.current = true;
    setPending(true);
    setError("");
    setFields({});
    try {
      await send("POST", "/api/session", { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") });
      router.replace(next);
      router.refresh();
    } catch (err) {
      setError(userMessage(err));
      setFields(fieldErrors(err));
      busy.current = false;
      setPending(false);
    }
  }

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
