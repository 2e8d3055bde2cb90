/* eslint-disable @next/next/no-img-element -- product images are small SVGs
   from the catalog; Next's image optimizer does not process SVG. */

/** ProductImage shows a catalog image (4:3) at `size` CSS pixels wide. */
export function ProductImage({ src, alt, size, priority = false }: { src: string; alt: string; size: number; priority?: boolean }) {
  return (
    <img
      src={src}
      alt={alt}
      width={size}
      height={Math.round((size * 3) / 4)}
      loading={priority ? "eager" : "lazy"}
      decoding="async"
      fetchPriority={priority ? "high" : "auto"}
    />
  );
}
