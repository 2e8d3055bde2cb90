import Link from "next/link";
import { cartCount } from "@/lib/server/account";
import { getSession } from "@/lib/server/session";
import { SignOutButton } from "./client/SignOutButton";

export async function SiteHeader() {
  const session = await getSession();
  const count = await cartCount(session);
  return (
    <header className="site-header">
      <div className="bar">
        <Link href="/" className="brand">
          shipshape
        </Link>
        <form className="search" action="/search" method="get" role="search">
          <label htmlFor="site-search" className="visually-hidden">
            Search products
          </label>
          <input id="site-search" name="q" type="search" placeholder="Search products" required maxLength={200} />
          <button type="submit" className="button secondary">
            Search
          </button>
        </form>
        <nav className="site-nav" aria-label="Main">
          <ul>
            <li>
              <Link href="/products">All products</Link>
            </li>
            <li>
              <Link href="/cart" aria-label={count === null ? "Cart" : `Cart, ${count} ${count === 1 ? "item" : "items"}`}>
                Cart{count ? ` (${count})` : ""}
              </Link>
            </li>
            {session ? (
              <>
                <li>
                  <Link href="/orders">Orders</Link>
                </li>
                <li>
                  <SignOutButton email={session.email} />
                </li>
              </>
            ) : (
              <>
                <li>
                  <Link href="/signin">Sign in</Link>
                </li>
                <li>
                  <Link href="/signup">Sign up</Link>
                </li>
              </>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}
