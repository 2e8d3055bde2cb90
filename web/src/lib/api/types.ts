// The public API's JSON (protojson: lowerCamelCase, int64 as strings).
import type { Money } from "../money";

export type { Money };

export interface Category {
  id: string;
  slug: string;
  name: string;
  description: string;
}

export interface Product {
  id: string;
  slug: string;
  name: string;
  description: string;
  price: Money;
  categoryId: string;
  categorySlug: string;
  imageUrl: string;
  stock: number;
}

export interface ProductPage {
  products: Product[];
  nextPageToken?: string;
}

export interface Home {
  featured: ProductPage;
  categories: { categories: Category[] };
}

export interface CartItem {
  productId: string;
  quantity: number;
  slug: string;
  name: string;
  imageUrl: string;
  unitPrice: Money;
  lineTotal: Money;
  available: number;
}

export interface Cart {
  items: CartItem[];
  subtotal: Money;
  itemCount: number;
  version: string;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export type OrderStatus =
  | "ORDER_STATUS_PAID"
  | "ORDER_STATUS_SHIPPED"
  | "ORDER_STATUS_DELIVERED"
  | "ORDER_STATUS_CANCELLED"
  | "ORDER_STATUS_UNSPECIFIED";

export interface OrderLine {
  productId: string;
  slug: string;
  name: string;
  unitPrice: Money;
  quantity: number;
  lineTotal: Money;
}

export interface Order {
  id: string;
  status: OrderStatus;
  lines: OrderLine[];
  total: Money;
  cardLast4: string;
  createTime: string;
}

export interface OrderPage {
  orders: Order[];
  nextPageToken?: string;
}

export interface PaymentCard {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}
