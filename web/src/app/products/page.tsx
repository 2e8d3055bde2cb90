import type { Metadata } from "next";
import { connection } from "next/server";
import { Listing } from "@/components/Listing";
import { readPageState } from "@/lib/pagination";
import { listProducts } from "@/lib/server/catalog";

export const metadata: Metadata = { title: "All products" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ProductsPage({ searchParams }: Props) {
  await connection();
  const state = readPageState(await searchParams);
  const page = await listProducts("", state.token);
  return (
    <>
      <h1>All products</h1>
      <Listing page={page} state={state} path="/products" keep={{}} label="Products" />
    </>
  );
}
