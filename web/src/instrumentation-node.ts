import { errorFields } from "@/lib/log";
import { getConfig, logger } from "@/lib/server/env";

/**
 * checkConfig reads the configuration before the first request; a bad value
 * ends the process naming the variable (the launcher checks first too, this
 * covers `node server.js` and `next start`).
 */
export function checkConfig(): void {
  try {
    const cfg = getConfig();
    logger().info("storefront configured", { api_url: cfg.apiUrl, cookie_secure: cfg.cookieSecure, page_size: cfg.pageSize });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
}

/** logRequestError logs a failed render or route as one JSON line with its route. */
export function logRequestError(
  err: unknown,
  request: { path: string; method: string },
  context: { routePath: string; routeType: string },
): void {
  const digest = typeof err === "object" && err !== null && "digest" in err ? String((err as { digest: unknown }).digest) : undefined;
  logger().error("request failed", {
    method: request.method,
    path: request.path.split("?")[0],
    route: context.routePath,
    route_type: context.routeType,
    digest,
    ...errorFields(err),
  });
}
