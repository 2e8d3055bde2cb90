import { checkReadiness } from "@/lib/server/readiness";

// Readiness: not draining, and the public API answers.

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const r = await checkReadiness();
  return new Response(r.ok ? "ok\n" : `not ready: ${r.reason}\n`, {
    status: r.ok ? 200 : 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
