import { formatMoney, type Money } from "@/lib/money";

export function Price({ money, className = "price" }: { money: Money; className?: string }) {
  return <span className={className}>{formatMoney(money)}</span>;
}
