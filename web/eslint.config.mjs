import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["error"] }],
      eqeqeq: ["error", "always"],
    },
  },
  {
    // Scripts and the launcher talk to a terminal or replace console itself.
    files: ["scripts/**", "server/**", "e2e/**"],
    rules: { "no-console": "off" },
  },
  globalIgnores([".next/**", ".test-build/**", "node_modules/**", "next-env.d.ts"]),
]);
