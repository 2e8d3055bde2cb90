// Runs once when the server starts, and on every request error. The work
// lives in instrumentation-node.ts, loaded only in the Node.js runtime.

type RequestInfo = { path: string; method: string };
type ErrorContext = { routerKind: string; routePath: string; routeType: string };

export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") (await import("./instrumentation-node")).checkConfig();
}

export async function onRequestError(err: unknown, request: RequestInfo, context: ErrorContext): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") (await import("./instrumentation-node")).logRequestError(err, request, context);
}
