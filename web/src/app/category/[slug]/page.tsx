import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Listing } from "@/components/Listing";
import { readPageState } from "@/lib/pagination";
import { getCategory, listProducts } from "@/lib/server/catalog";

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await connection();
  const category = await getCategory((await params).slug);
  return { title: category?.name ?? "Category not found", description: category?.description };
}

export default async function CategoryPage({ params, searchParams }: Props) {
  await connection();
  const { slug } = await params;
  const category = await getCategory(slug);
  if (!category) notFound();
  const state = readPageState(await searchParams);
  const page = await listProducts(category.slug, state.token);
  return (
    <>
      <h1>{category.name}</h1>
      <p>{category.description}</p>
      <Listing page={page} state={state} path={`/category/${category.slug}`} keep={{}} label={`${category.name} products`} />
    </>
  );
}
