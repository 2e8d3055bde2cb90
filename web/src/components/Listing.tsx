import type { ProductPage } from "@/lib/api/types";
import type { PageState } from "@/lib/pagination";
import { Pagination } from "./Pagination";
import { ProductGrid } from "./ProductGrid";

/** A paginated product listing (all products, a category, search results). */
export function Listing({ page, state, path, keep, label }: { page: ProductPage; state: PageState; path: string; keep: Record<string, string>; label: string }) {
  return (
    <>
      <ProductGrid products={page.products} label={label} eager={4} />
      <Pagination path={path} keep={keep} state={state} nextToken={page.nextPageToken ?? ""} />
    </>
  );
}
