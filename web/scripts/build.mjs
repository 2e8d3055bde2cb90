// npm run build: next build, then the standalone launcher
// (finish-standalone.mjs). With SHIPSHAPE_BUILD_SECRET_FILE (and
// SHIPSHAPE_BUILD_ID, next.config.ts) the output is reproducible: the keys
// Next generates are derived from the secret instead (build-keys.mjs).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { keysFromEnv, pinPreviewKeys } from "./build-keys.mjs";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");

function run(args, env) {
  const r = spawnSync(process.execPath, args, { cwd: web, stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

let keys;
try {
  keys = keysFromEnv();
} catch (err) {
  console.error(`build: ${err.message}`);
  process.exit(1);
}
const env = keys ? { ...process.env, NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: keys.serverActionsKey } : process.env;
run([join(web, "node_modules", "next", "dist", "bin", "next"), "build"], env);
if (keys) {
  try {
    const changed = pinPreviewKeys(join(web, ".next"), keys);
    console.log(`build: keys derived from the build secret (${changed.length} files)`);
  } catch (err) {
    console.error(`build: ${err.message}`);
    process.exit(1);
  }
}
run([join(web, "scripts", "finish-standalone.mjs")], process.env);
