"use client";

// The last resort when even the root layout fails: its own document.
export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", padding: "1rem", color: "#1b1f24" }}>
        <title>Something went wrong · shipshape</title>
        <main role="alert">
          <h1>Something went wrong</h1>
          <p>The shop could not be shown. Please try again in a moment.</p>
          <button type="button" onClick={() => retry()}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
