// Where to go after signing in: only a path on this site, never another
// origin ("//evil.example", "https://...", "/\\evil.example").
//
// The value is normalised by URL parsing ("/a/..//x" and "/.//x" become
// "//x", tabs and newlines vanish), so the checks apply to the path that is
// returned, the one the browser will follow, not only to the raw input.

const BASE = "http://storefront.invalid";

/** isSiteLocal: a path the browser resolves against this site only. */
function isSiteLocal(p: string): boolean {
  // "//host" is scheme-relative; browsers read "\" as "/"; control
  // characters are stripped by browsers before parsing.
  if (!p.startsWith("/") || p.startsWith("//") || p.includes("\\") || /[\u0000-\u001f\u007f]/.test(p)) return false;
  try {
    return new URL(p, BASE).origin === BASE;
  } catch {
    return false;
  }
}

export function safeReturnPath(next: string | string[] | null | undefined, fallback = "/"): string {
  const v = Array.isArray(next) ? next[0] : next;
  if (!v || !isSiteLocal(v)) return fallback;
  let normalised: string;
  try {
    const u = new URL(v, BASE);
    normalised = u.pathname + u.search + u.hash;
  } catch {
    return fallback;
  }
  return isSiteLocal(normalised) ? normalised : fallback;
}
