import type { Metadata } from "next";
import { connection } from "next/server";
import { Listing } from "@/components/Listing";
import { readPageState } from "@/lib/pagination";
import { searchProducts } from "@/lib/server/catalog";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function queryOf(v: string | string[] | undefined): string {
  return ((Array.isArray(v) ? v[0] : v) ?? "").trim().slice(0, 200);
}

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const q = queryOf((await searchParams).q);
  return { title: q ? `Search: ${q}` : "Search", robots: { index: false } };
}

export default async function SearchPage({ searchParams }: Props) {
  await connection();
  const params = await searchParams;
  const q = queryOf(params.q);
  if (!q) {
    return (
      <>
        <h1>Search</h1>
        <p>Type what you are looking for in the search box above.</p>
      </>
    );
  }
  const state = readPageState(params);
  const page = await searchProducts(q, state.token);
  return (
    <>
      <h1>Results for “{q}”</h1>
      {page.products.length === 0 && !state.token ? <p role="status">Nothing matches “{q}”. Try other words.</p> : null}
      <Listing page={page} state={state} path="/search" keep={{ q }} label="Search results" />
    </>
  );
}
