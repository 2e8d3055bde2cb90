export function StockNote({ stock }: { stock: number }) {
  if (stock <= 0) return <span className="stock-out">Out of stock</span>;
  if (stock <= 5) return <span className="stock-low">Only {stock} left</span>;
  return <span>In stock</span>;
}
