import "server-only";
import { headers } from "next/headers";
import { clientAddressOf } from "../client-address";
import { parseConfig, type Config } from "../config";
import { createLogger, type Logger } from "../log";
import { createApiClient, type ApiClient } from "../api/http";

// Process-wide singletons, created on first use from the environment.

let cfg: Config | undefined;
let log: Logger | undefined;
let client: ApiClient | undefined;

export function getConfig(): Config {
  cfg ??= parseConfig(process.env);
  return cfg;
}

export function logger(): Logger {
  log ??= createLogger(getConfig().logLevel);
  return log;
}

/** requestClientAddress is the client's address of the request being served, if any. */
async function requestClientAddress(): Promise<string | undefined> {
  try {
    return clientAddressOf(await headers());
  } catch {
    // Outside a request (start-up, the proxy): callers pass it themselves.
    return undefined;
  }
}

/** api is the public API client for server-side calls (API_URL), on behalf of the current request's client. */
export function api(): ApiClient {
  const c = getConfig();
  client ??= createApiClient({ baseUrl: c.apiUrl, timeoutMs: c.apiTimeoutMs, clientAddress: requestClientAddress });
  return client;
}
