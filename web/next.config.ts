import type { NextConfig } from "next";
import { basePolicy } from "./src/lib/csp";

// Security headers for every response. Pages replace the policy with one
// carrying a per-response nonce for their scripts (src/proxy.ts, lib/csp.ts).
const csp = basePolicy();

const config: NextConfig = {
  output: "standalone",
  // The repository root has Go, not JS: trace files from web/ only.
  outputFileTracingRoot: import.meta.dirname,
  turbopack: { root: import.meta.dirname },
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // A release names its build by the commit (SHIPSHAPE_BUILD_ID), so two
  // builds of one commit are identical (scripts/build-keys.mjs does the
  // generated keys); without it Next picks a random id, as before.
  generateBuildId: async () => process.env.SHIPSHAPE_BUILD_ID || null,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: csp },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
        ],
      },
    ];
  },
};

export default config;
