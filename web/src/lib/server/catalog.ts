import "server-only";
import { cache } from "react";
import { isApiError } from "../api/errors";
import type { Category, Home, Product, ProductPage } from "../api/types";
import { api, getConfig } from "./env";

// Catalog reads for server components. Public data, so it goes through
// Next's data cache: listings for a minute, a product (its stock) for ten
// seconds, searches not at all; React's cache() shares one answer within a
// render.

const LISTING_SECONDS = 60;
const PRODUCT_SECONDS = 10;
const TAGS = ["catalog"];

export const getHome = cache(() => api().request<Home>("/storefront/home", { revalidate: LISTING_SECONDS, tags: TAGS }));

export const getCategories = cache(async (): Promise<Category[]> => {
  const r = await api().request<{ categories?: Category[] }>("/categories", { revalidate: LISTING_SECONDS, tags: TAGS });
  return r.categories ?? [];
});

export const getCategory = cache(async (slug: string): Promise<Category | null> => {
  return (await getCategories()).find((c) => c.slug === slug) ?? null;
});

function pageQuery(extra: Record<string, string>, pageToken: string): string {
  const q = new URLSearchParams(extra);
  q.set("pageSize", String(getConfig().pageSize));
  if (pageToken) q.set("pageToken", pageToken);
  return q.toString();
}

export const listProducts = cache(async (category: string, pageToken: string): Promise<ProductPage> => {
  const r = await api().request<ProductPage>(`/products?${pageQuery(category ? { category } : {}, pageToken)}`, {
    revalidate: LISTING_SECONDS,
    tags: TAGS,
  });
  return { products: r.products ?? [], nextPageToken: r.nextPageToken ?? "" };
});

/**
 * searchProducts is never cached: every query would be an entry of its own
 * in the data cache (on disk), so anyone could fill it by searching; and
 * uncached, each search reaches the gateway as its shopper's and counts
 * against their own rate limit.
 */
export const searchProducts = cache(async (q: string, pageToken: string): Promise<ProductPage> => {
  const r = await api().request<ProductPage>(`/search?${pageQuery({ q }, pageToken)}`);
  return { products: r.products ?? [], nextPageToken: r.nextPageToken ?? "" };
});

/** getProduct returns null for an unknown slug. */
export const getProduct = cache(async (slug: string): Promise<Product | null> => {
  try {
    return await api().request<Product>(`/products/${encodeURIComponent(slug)}`, { revalidate: PRODUCT_SECONDS, tags: TAGS });
  } catch (err) {
    if (isApiError(err) && (err.code === "NOT_FOUND" || err.code === "INVALID_ARGUMENT")) return null;
    throw err;
  }
});
