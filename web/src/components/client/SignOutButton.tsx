"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { send } from "@/lib/browser/send";

export function SignOutButton({ email }: { email: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    try {
      await send("DELETE", "/api/session");
    } finally {
      // Signed out or not, show the page as the server now sees it.
      router.push("/");
      router.refresh();
      setBusy(false);
    }
  }
  return (
    <button type="button" className="link-button" onClick={signOut} disabled={busy} title={email ? `Signed in as ${email}` : undefined}>
      Sign out
    </button>
  );
}
