import path from "node:path";

// What the e2e runner (scripts/web-e2e.sh) tells the browser tests about
// the stack it started.
export interface E2EEnv {
  /** The storefront, e.g. http://127.0.0.1:3100. */
  baseUrl: string;
  /** The public API (the gateway), for test setup only. */
  apiUrl: string;
  /** Service binaries (.bin), for identity's grant-admin. */
  binDir: string;
  /** PostgreSQL port of this stack. */
  pgPort: number;
  /** Where screenshots go (git-ignored). */
  screenshots: string;
  chromium: string;
  /** The storefront's standalone build (start.js), to start a second one. */
  standalone: string;
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests with scripts/web-e2e.sh`);
  return v;
}

export function e2eEnv(): E2EEnv {
  return {
    baseUrl: required("E2E_BASE_URL").replace(/\/$/, ""),
    apiUrl: required("E2E_API_URL").replace(/\/$/, ""),
    binDir: path.resolve(required("E2E_BIN_DIR")),
    pgPort: Number(required("E2E_PG_PORT")),
    screenshots: path.resolve(required("E2E_SCREENSHOTS")),
    chromium: process.env.E2E_CHROMIUM ?? "/usr/bin/chromium",
    standalone: path.resolve(required("E2E_STANDALONE")),
  };
}
