// Unit tests: compile src/lib and server/ with tsc (CommonJS) into
// .test-build, then run every *.test.js there and the build scripts'
// scripts/*.test.mjs with node's test runner.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { compileTests } from "./compile-tests.mjs";

const out = compileTests();

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith(".test.js") ? [p] : [];
  });
}
// The build scripts are plain JavaScript: their tests run from scripts/.
const scripts = join(out, "..", "scripts");
const scriptTests = readdirSync(scripts)
  .filter((f) => f.endsWith(".test.mjs"))
  .map((f) => join(scripts, f));
const files = [...testFiles(join(out, "src")), ...testFiles(join(out, "server")), ...scriptTests].sort();
if (files.length === 0) {
  console.error("no unit tests found");
  process.exit(1);
}
const run = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...files], { stdio: "inherit", env: { ...process.env, TZ: "UTC" } });
process.exit(run.status ?? 1);
