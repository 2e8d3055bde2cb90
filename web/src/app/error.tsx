"use client";

import Link from "next/link";

// Shown when a page fails (the API is down, an unexpected answer). Details
// stay in the server log; the digest lets support find them.
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : "";
  return (
    <div role="alert">
      <h1>Something went wrong</h1>
      <p>We could not show this page just now. Please try again in a moment.</p>
      {digest ? <p className="hint">Reference: {digest}</p> : null}
      <p>
        <button type="button" className="button" onClick={() => retry()}>
          Try again
        </button>{" "}
        <Link href="/">Home</Link>
      </p>
    </div>
  );
}
