import path from "node:path";

// What the e2e runner (scripts/web-e2e.sh) tells the browser tests about
// the stack it started.
export interface E2EEnv {
  /** The storefront, e.g. http://127.0.0.1:3100. */
  baseUrl: string;
  /** The public API (the gateway), for test setup only. */
  apiUrl: string;
  /** Service binaries (.bin), for identity's grant-admin ("" if none). */
  binDir: string;
  /** PostgreSQL port of this stack (0 if not reachable, as in the cluster run). */
  pgPort: number;
  /** Where screenshots go (git-ignored). */
  screenshots: string;
  chromium: string;
  /**
   * A HOME for Chromium whose NSS database (.pki/nssdb) trusts a CA of the
   * run's own ("" for the caller's HOME): the cluster's edge serves HTTPS
   * with the test cluster's CA.
   */
  browserHome: string;
  /** The storefront's standalone build (start.js), to start a second one ("" if none). */
  standalone: string;
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests with scripts/web-e2e.sh`);
  return v;
}

function optionalPath(name: string): string {
  const v = process.env[name];
  return v ? path.resolve(v) : "";
}

/** needs returns a setting that a test depends on, or throws naming its variable. */
export function needs<T extends string | number>(value: T, name: string): T {
  if (!value) throw new Error(`${name} is not set: this test needs the local stack of scripts/web-e2e.sh`);
  return value;
}

export function e2eEnv(): E2EEnv {
  return {
    baseUrl: required("E2E_BASE_URL").replace(/\/$/, ""),
    apiUrl: required("E2E_API_URL").replace(/\/$/, ""),
    binDir: optionalPath("E2E_BIN_DIR"),
    pgPort: Number(process.env.E2E_PG_PORT ?? "0"),
    screenshots: path.resolve(required("E2E_SCREENSHOTS")),
    chromium: process.env.E2E_CHROMIUM ?? "/usr/bin/chromium",
    browserHome: optionalPath("E2E_BROWSER_HOME"),
    standalone: optionalPath("E2E_STANDALONE"),
  };
}
