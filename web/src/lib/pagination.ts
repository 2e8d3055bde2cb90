// Listing pages follow the API's opaque page tokens, which only go forward.
// To offer "previous" too, the URL carries the trail of earlier pages'
// tokens: ?page=<this page's token>&trail=<first>.<second>... (the first
// page's token is empty). Tokens are base64url, so "." cannot occur in one.

export interface PageState {
  token: string;
  trail: string[];
}

type Params = Record<string, string | string[] | undefined>;

const TOKEN = /^[A-Za-z0-9_-]{0,512}$/;
const MAX_TRAIL = 50;

function one(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

/** readPageState parses ?page and ?trail; anything malformed means page 1. */
export function readPageState(params: Params): PageState {
  const token = one(params.page);
  const rawTrail = one(params.trail);
  if (!TOKEN.test(token) || token === "") return { token: "", trail: [] };
  const trail = rawTrail === "" && token ? [""] : rawTrail.split(".");
  if (trail.length > MAX_TRAIL || !trail.every((t) => TOKEN.test(t))) return { token: "", trail: [] };
  return { token, trail };
}

export function pageNumber(s: PageState): number {
  return s.token === "" ? 1 : s.trail.length + 1;
}

function href(path: string, keep: Record<string, string>, token: string, trail: string[]): string {
  const q = new URLSearchParams(keep);
  if (token) {
    q.set("page", token);
    q.set("trail", trail.join("."));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** nextHref links the page after this one (nextToken from the API). */
export function nextHref(path: string, keep: Record<string, string>, s: PageState, nextToken: string): string {
  return href(path, keep, nextToken, s.token === "" ? [""] : [...s.trail, s.token]);
}

/** prevHref links the page before this one, or null on the first page. */
export function prevHref(path: string, keep: Record<string, string>, s: PageState): string | null {
  if (s.token === "") return null;
  const prevToken = s.trail[s.trail.length - 1] ?? "";
  return href(path, keep, prevToken, s.trail.slice(0, -1));
}
