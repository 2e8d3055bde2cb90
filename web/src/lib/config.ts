import { isIP } from "node:net";

// The storefront's whole configuration, from environment variables only
// (a ConfigMap in Kubernetes). Parsed and checked once at start-up: a bad
// value stops the server with an error naming the variable.

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Config {
  /** Base URL of the public API for server-side calls, e.g. http://gateway:8080/api/v1. */
  apiUrl: string;
  /** Session cookies get Secure and the __Host- prefix; false only for local http development. */
  cookieSecure: boolean;
  apiTimeoutMs: number;
  /** Products per listing page. */
  pageSize: number;
  logLevel: LogLevel;
  /** Lifetime of the session (refresh token) cookie, in seconds. */
  sessionMaxAgeSeconds: number;
  /** After SIGTERM: keep serving (readiness false) this long, then stop accepting... */
  shutdownDrainDelayMs: number;
  /** ...and give in-flight requests this long to finish. */
  shutdownTimeoutMs: number;
  /**
   * Peers whose X-Forwarded-For names the client (the ingress controller),
   * as IPs or CIDRs; any other peer is the client itself.
   */
  trustedProxyCidrs: string[];
  /** Port of the Prometheus metrics listener (GET /metrics); 0: none. */
  metricsPort: number;
  /** Share of requests failed on purpose for release tests (server/fault.ts); 0: off. */
  faultErrorRatio: number;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type Env = Record<string, string | undefined>;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** parseDuration reads Go-style durations: "250ms", "5s", "1m30s", "720h". */
export function parseDuration(s: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  if (s === "0") return 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m || m[1] === undefined || m[2] === undefined) throw new Error(`invalid duration ${JSON.stringify(s)}`);
    total += Number(m[1]) * (UNIT_MS[m[2]] ?? NaN);
    pos = re.lastIndex;
  }
  if (pos === 0 || !Number.isFinite(total)) throw new Error(`invalid duration ${JSON.stringify(s)}`);
  return Math.round(total);
}

/** Loopback: `make run`, where the browser reaches the storefront directly. */
export const DEFAULT_TRUSTED_PROXIES = ["127.0.0.0/8", "::1/128"];

/**
 * parseCidrList reads "10.244.0.0/16, 192.0.2.7" into CIDRs (a bare
 * address becomes a /32 or /128). Trusting every address would let any
 * client choose its own, so /0 is refused.
 */
export function parseCidrList(s: string): string[] {
  return s
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => {
      const [addr = "", bits, extra] = v.split("/");
      const family = isIP(addr);
      const max = family === 4 ? 32 : 128;
      if (family === 0 || extra !== undefined) throw new Error(`${JSON.stringify(v)} is not an IP address or CIDR`);
      if (bits === undefined) return `${addr}/${max}`;
      const n = Number(bits);
      if (!/^\d+$/.test(bits) || n > max) throw new Error(`${JSON.stringify(v)}: the prefix length must be a number up to ${max}`);
      if (n === 0) throw new Error(`${JSON.stringify(v)} trusts every address: name the proxies' range`);
      return `${addr}/${n}`;
    });
}

export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v === "" ? undefined : v;
  };
  function read<T>(name: string, fallback: T, parse: (v: string) => T): T {
    const v = get(name);
    if (v === undefined) return fallback;
    try {
      return parse(v);
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
      return fallback;
    }
  }

  const apiUrl = read("API_URL", "", (v) => {
    const u = new URL(v);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error(`want an http(s) URL, got ${JSON.stringify(v)}`);
    if (u.search || u.hash) throw new Error("must not have a query or fragment");
    return v.replace(/\/+$/, "");
  });
  if (get("API_URL") === undefined) problems.push("API_URL: required (the public API, e.g. http://127.0.0.1:8080/api/v1)");

  const bool = (v: string) => {
    if (/^(1|true|yes)$/i.test(v)) return true;
    if (/^(0|false|no)$/i.test(v)) return false;
    throw new Error(`want true or false, got ${JSON.stringify(v)}`);
  };
  const int = (min: number, max: number) => (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`want an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
    return n;
  };
  const ratio = (v: string) => {
    const n = Number(v);
    if (!/^\d*\.?\d+$/.test(v) || n > 1) throw new Error(`want a number from 0 to 1, got ${JSON.stringify(v)}`);
    return n;
  };
  const level = (v: string): LogLevel => {
    if (v === "debug" || v === "info" || v === "warn" || v === "error") return v;
    throw new Error(`want debug, info, warn or error, got ${JSON.stringify(v)}`);
  };

  const cfg: Config = {
    apiUrl,
    cookieSecure: read("COOKIE_SECURE", true, bool),
    apiTimeoutMs: read("API_TIMEOUT", 5000, parseDuration),
    pageSize: read("PAGE_SIZE", 12, int(1, 100)),
    logLevel: read("LOG_LEVEL", "info", level),
    sessionMaxAgeSeconds: read("SESSION_MAX_AGE", 720 * 3600_000, parseDuration) / 1000,
    shutdownDrainDelayMs: read("SHUTDOWN_DRAIN_DELAY", 5000, parseDuration),
    shutdownTimeoutMs: read("SHUTDOWN_TIMEOUT", 15_000, parseDuration),
    trustedProxyCidrs: read("TRUSTED_PROXY_CIDRS", DEFAULT_TRUSTED_PROXIES, parseCidrList),
    metricsPort: read("METRICS_PORT", 0, int(0, 65535)),
    faultErrorRatio: read("FAULT_ERROR_RATIO", 0, ratio),
  };
  if (cfg.apiTimeoutMs <= 0) problems.push("API_TIMEOUT: must be positive");
  if (problems.length > 0) throw new ConfigError(`config: ${problems.join("; ")}`);
  return cfg;
}
