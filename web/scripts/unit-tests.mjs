// Unit tests: compile src/lib and server/ with tsc (CommonJS) into
// .test-build, then run every *.test.js there with node's test runner.
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(web, ".test-build");
rmSync(out, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(web, "node_modules", "typescript", "bin", "tsc"), "-p", join(web, "tsconfig.test.json")], { stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "package.json"), '{ "type": "commonjs" }\n');

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith(".test.js") ? [p] : [];
  });
}
const files = [...testFiles(join(out, "src")), ...testFiles(join(out, "server"))].sort();
if (files.length === 0) {
  console.error("no unit tests found");
  process.exit(1);
}
const run = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...files], { stdio: "inherit", env: { ...process.env, TZ: "UTC" } });
process.exit(run.status ?? 1);
