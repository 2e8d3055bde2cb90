"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { fieldErrors, userMessage } from "@/lib/api/errors";
import { send } from "@/lib/browser/send";
import { Field } from "../Field";
import { useHydrated } from "./useHydrated";

export function SignUpForm({ next }: { next: string }) {
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
      await send("POST", "/api/account", {
        name: String(form.get("name") ?? ""),
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
      });
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
