import { NextResponse, type NextRequest } from "next/server";
import { joinUrl } from "@/lib/api/http";
import { getConfig } from "@/lib/server/env";

// Product images are part of the public API (/api/v1/images/<file>). Where
// an ingress sends /api/v1 to the gateway, it serves them; locally (and
// anywhere the storefront gets the request) they are fetched from API_URL.

const FILE = /^[a-z0-9][a-z0-9._-]{0,127}\.(svg|png|jpg|jpeg|webp)$/;

export async function GET(_req: NextRequest, { params }: { params: Promise<{ file: string }> }): Promise<Response> {
  const { file } = await params;
  if (!FILE.test(file) || file.includes("..")) return new NextResponse("not found", { status: 404 });
  const cfg = getConfig();
  let upstream: Response;
  try {
    upstream = await fetch(joinUrl(cfg.apiUrl, `/images/${file}`), {
      signal: AbortSignal.timeout(cfg.apiTimeoutMs),
      next: { revalidate: 3600, tags: ["images"] },
    });
  } catch {
    return new NextResponse("image unavailable", { status: 502 });
  }
  if (!upstream.ok) return new NextResponse("not found", { status: upstream.status === 404 ? 404 : 502 });
  return new NextResponse(upstream.body, {
    headers: {
      "Content-Type": upstream.headers.get("content-type") ?? "application/octet-stream",
      "Cache-Control": "public, max-age=86400, stale-while-revalidate=604800",
      "X-Content-Type-Options": "nosniff",
      // An SVG opened directly must not run script.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    },
  });
}
