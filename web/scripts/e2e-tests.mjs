// Browser tests: compile e2e/ with tsc (CommonJS) and run them with node's
// test runner. Needs the stack that scripts/web-e2e.sh starts (it sets the
// E2E_* variables); run that script rather than this one.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { compileTests } from "./compile-tests.mjs";

const out = compileTests();

const run = spawnSync(
  process.execPath,
  [
    "--test",
    "--test-reporter=spec",
    "--test-concurrency=1",
    "--test-timeout=180000",
    // E2E_TEST_PATTERN selects tests by name (the cluster run takes the journey only).
    ...(process.env.E2E_TEST_PATTERN ? [`--test-name-pattern=${process.env.E2E_TEST_PATTERN}`] : []),
    // One file each: the timeout above bounds each test and each file.
    join(out, "e2e", "storefront.e2e.js"),
    join(out, "e2e", "edge.e2e.js"),
  ],
  { stdio: "inherit" },
);
process.exit(run.status ?? 1);
