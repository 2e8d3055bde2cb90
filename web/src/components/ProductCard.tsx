import Link from "next/link";
import type { Product } from "@/lib/api/types";
import { Price } from "./Price";
import { ProductImage } from "./ProductImage";
import { StockNote } from "./StockNote";

export function ProductCard({ product, priority = false }: { product: Product; priority?: boolean }) {
  return (
    <article className="card">
      <Link href={`/product/${product.slug}`}>
        {/* The name follows as the link text: the image is decorative here. */}
        <ProductImage src={product.imageUrl} alt="" size={320} priority={priority} />
        <div className="card-body">
          <span className="card-name">{product.name}</span>
          <Price money={product.price} />
          <StockNote stock={product.stock} />
        </div>
      </Link>
    </article>
  );
}
