import Link from "next/link";
import { nextHref, pageNumber, prevHref, type PageState } from "@/lib/pagination";

export function Pagination({ path, keep, state, nextToken }: { path: string; keep: Record<string, string>; state: PageState; nextToken: string }) {
  const prev = prevHref(path, keep, state);
  const next = nextToken ? nextHref(path, keep, state, nextToken) : null;
  if (!prev && !next) return null;
  return (
    <nav className="pagination" aria-label="Pages">
      {prev ? (
        <Link href={prev} rel="prev">
          ← Previous page
        </Link>
      ) : null}
      <span aria-current="page">Page {pageNumber(state)}</span>
      {next ? (
        <Link href={next} rel="next">
          Next page →
        </Link>
      ) : null}
    </nav>
  );
}
