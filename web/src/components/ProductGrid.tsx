import type { Product } from "@/lib/api/types";
import { ProductCard } from "./ProductCard";

export function ProductGrid({ products, label, eager = 0 }: { products: Product[]; label: string; eager?: number }) {
  if (products.length === 0) return <p>No products here yet.</p>;
  return (
    <ul className="grid" aria-label={label}>
      {products.map((p, i) => (
        <li key={p.id}>
          <ProductCard product={p} priority={i < eager} />
        </li>
      ))}
    </ul>
  );
}
