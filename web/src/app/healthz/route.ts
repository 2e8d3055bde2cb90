// Liveness: the process serves requests. Nothing else is checked, so a
// down API never gets the storefront restarted.

export const dynamic = "force-dynamic";

export function GET(): Response {
  return new Response("ok\n", { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
