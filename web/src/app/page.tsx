import Link from "next/link";
import { connection } from "next/server";
import { ProductGrid } from "@/components/ProductGrid";
import { getHome } from "@/lib/server/catalog";

export default async function HomePage() {
  await connection();
  const home = await getHome();
  const categories = home.categories.categories ?? [];
  return (
    <>
      <h1>Everything for life on board</h1>
      <section aria-labelledby="featured-heading">
        <h2 id="featured-heading">Featured</h2>
        <ProductGrid products={home.featured.products ?? []} label="Featured products" eager={4} />
      </section>
      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading">Shop by category</h2>
        <ul className="categories">
          {categories.map((c) => (
            <li key={c.id}>
              <Link href={`/category/${c.slug}`}>
                <strong>{c.name}</strong>
                <br />
                {c.description}
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <p>
        <Link href="/products">See all products →</Link>
      </p>
    </>
  );
}
