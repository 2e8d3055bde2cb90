import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { AddToCart } from "@/components/client/AddToCart";
import { Price } from "@/components/Price";
import { ProductImage } from "@/components/ProductImage";
import { StockNote } from "@/components/StockNote";
import { getCategory, getProduct } from "@/lib/server/catalog";
import { getSession, signInPath } from "@/lib/server/session";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await connection();
  const product = await getProduct((await params).slug);
  return product ? { title: product.name, description: product.description } : { title: "Product not found" };
}

export default async function ProductPage({ params }: Props) {
  await connection();
  const { slug } = await params;
  const [product, session] = await Promise.all([getProduct(slug), getSession()]);
  if (!product) notFound();
  const category = await getCategory(product.categorySlug);
  return (
    <article className="product">
      <ProductImage src={product.imageUrl} alt={product.name} size={448} priority />
      <div>
        {category ? (
          <p>
            <Link href={`/category/${category.slug}`}>{category.name}</Link>
          </p>
        ) : null}
        <h1>{product.name}</h1>
        <p>
          <Price money={product.price} />
        </p>
        <p>{product.description}</p>
        <p>
          <StockNote stock={product.stock} />
        </p>
        {session || product.stock <= 0 ? (
          <AddToCart productId={product.id} name={product.name} stock={product.stock} />
        ) : (
          <p>
            <Link className="button" href={signInPath(`/product/${product.slug}`)}>
              Sign in to buy
            </Link>
          </p>
        )}
      </div>
    </article>
  );
}
