import { ApiError, parseErrorBody } from "./errors";

// A small JSON client for the public API. Every failure becomes an
// ApiError: the services' error body, a timeout (504), no connection (503)
// or an answer that is not JSON (502).

/** Next.js' extension of fetch options (data cache). */
export interface NextFetchOptions {
  revalidate?: number | false;
  tags?: string[];
}

export type FetchInit = RequestInit & { next?: NextFetchOptions };
export type FetchLike = (url: string, init: FetchInit) => Promise<Response>;

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Bearer access token of the signed-in user. */
  token?: string;
  headers?: Record<string, string>;
  /** Cache in Next's data cache for this many seconds; otherwise no-store. */
  revalidate?: number;
  tags?: string[];
  signal?: AbortSignal;
  /** The end client's address (X-Forwarded-For); by default ApiClientOptions.clientAddress. */
  clientAddress?: string;
}

export interface ApiClientOptions {
  baseUrl: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  /** The address of the client a request is made for (the current request's). */
  clientAddress?: () => Promise<string | undefined>;
}

export interface ApiClient {
  request<T>(path: string, opts?: RequestOptions): Promise<T>;
}

export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, "") + "/" + path.replace(/^\/+/, "");
}

function isAbort(err: unknown, name: string): boolean {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === name;
}

export function createApiClient(o: ApiClientOptions): ApiClient {
  const doFetch: FetchLike = o.fetch ?? ((url, init) => fetch(url, init));
  const timeoutMs = o.timeoutMs ?? 5000;

  return {
    async request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
      const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
      if (opts.body !== undefined) headers["Content-Type"] = "application/json";
      if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
      const shared = opts.revalidate !== undefined && !opts.token;
      // The gateway limits each client by this address. A shared (cached)
      // answer is fetched for everyone, so it goes without one: the header
      // would also be part of the cache key, one entry per client.
      const client = shared ? undefined : (opts.clientAddress ?? (await o.clientAddress?.()));
      if (client) headers["X-Forwarded-For"] = client;
      const timeout = AbortSignal.timeout(timeoutMs);
      const init: FetchInit = {
        method: opts.method ?? "GET",
        headers,
        signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
      };
      if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
      if (shared) {
        init.next = { revalidate: opts.revalidate, tags: opts.tags ?? [] };
      } else {
        init.cache = "no-store";
      }

      let res: Response;
      let text: string;
      try {
        res = await doFetch(joinUrl(o.baseUrl, path), init);
        text = await res.text();
      } catch (err) {
        if (timeout.aborted || isAbort(err, "TimeoutError")) {
          throw new ApiError(504, "DEADLINE_EXCEEDED", `the API did not answer within ${timeoutMs} ms`);
        }
        if (opts.signal?.aborted) throw new ApiError(499, "CANCELLED", "the request was cancelled");
        throw new ApiError(503, "UNAVAILABLE", "the API cannot be reached");
      }
      if (!res.ok) throw parseErrorBody(res.status, text, res.headers.get("x-request-id"));
      if (res.status === 204 || text === "") return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ApiError(502, "UNAVAILABLE", "the API answered with something that is not JSON", [], res.headers.get("x-request-id") ?? undefined);
      }
    },
  };
}
