// Shared by unit-tests.mjs and e2e-tests.mjs: compiles the test sources with
// tsc (tsconfig.test.json, CommonJS) into a fresh .test-build and returns
// its path; exits the process with tsc's status when compilation fails.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export function compileTests() {
  const web = join(dirname(fileURLToPath(import.meta.url)), "..");
  const out = join(web, ".test-build");
  rmSync(out, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [join(web, "node_modules", "typescript", "bin", "tsc"), "-p", join(web, "tsconfig.test.json")], { stdio: "inherit" });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "package.json"), '{ "type": "commonjs" }\n');
  return out;
}
