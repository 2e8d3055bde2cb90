import "server-only";
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

/** api is the public API client for server-side calls (API_URL). */
export function api(): ApiClient {
  const c = getConfig();
  client ??= createApiClient({ baseUrl: c.apiUrl, timeoutMs: c.apiTimeoutMs });
  return client;
}
