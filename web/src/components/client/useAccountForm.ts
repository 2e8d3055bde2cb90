"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { fieldErrors, userMessage } from "@/lib/api/errors";
import { send } from "@/lib/browser/send";

// useAccountForm is the submit logic sign-in and sign-up share: one request
// at a time, the API's field errors shown beside their inputs, and on
// success a move to `next` with the session's fresh server render.
export function useAccountForm(path: string, body: (form: FormData) => Record<string, string>, next: string) {
  const router = useRouter();
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
      await send("POST", path, body(form));
      router.replace(next);
      router.refresh();
    } catch (err) {
      setError(userMessage(err));
      setFields(fieldErrors(err));
      busy.current = false;
      setPending(false);
    }
  }

  return { onSubmit, pending, error, fields };
}

// text reads a form field as a string ("" when absent).
export function text(form: FormData, name: string): string {
  return String(form.get(name) ?? "");
}
