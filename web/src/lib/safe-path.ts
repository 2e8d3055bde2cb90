// Where to go after signing in: only a path on this site, never another
// origin ("//evil.example", "https://...", "/\\evil.example").

export function safeReturnPath(next: string | string[] | null | undefined, fallback = "/"): string {
  const v = Array.isArray(next) ? next[0] : next;
  if (!v || !v.startsWith("/") || v.startsWith("//") || v.includes("\\")) return fallback;
  try {
    const u = new URL(v, "http://storefront.invalid");
    if (u.origin !== "http://storefront.invalid") return fallback;
    return u.pathname + u.search + u.hash;
  } catch {
    return fallback;
  }
}
