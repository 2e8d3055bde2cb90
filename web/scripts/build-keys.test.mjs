import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { deriveBuildKeys, keysFromEnv, pinPreviewKeys } from "./build-keys.mjs";

// a made-up secret (any 32 bytes or more)
const secret = "s".repeat(40);

function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), "build-keys-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("the same secret gives the same keys, another secret other keys", () => {
  assert.deepEqual(deriveBuildKeys(secret), deriveBuildKeys(secret));
  const other = deriveBuildKeys("t".repeat(40));
  for (const [name, value] of Object.entries(deriveBuildKeys(secret))) {
    assert.notEqual(other[name], value, name);
  }
});

test("the keys have the sizes and encodings Next generates", () => {
  const keys = deriveBuildKeys(secret);
  assert.match(keys.previewModeId, /^[0-9a-f]{32}$/);
  assert.match(keys.previewModeSigningKey, /^[0-9a-f]{64}$/);
  assert.match(keys.previewModeEncryptionKey, /^[0-9a-f]{64}$/);
  assert.equal(Buffer.from(keys.serverActionsKey, "base64").length, 32);
  assert.notEqual(keys.previewModeSigningKey, keys.previewModeEncryptionKey);
});

test("a short secret is refused with the file and its size", (t) => {
  const file = join(tempDir(t), "secret");
  writeFileSync(file, "short\n");
  assert.throws(() => keysFromEnv({ SHIPSHAPE_BUILD_SECRET_FILE: file }), new RegExp(`${file}: build secret: at least 32 bytes, got 5`));
  assert.throws(() => keysFromEnv({ SHIPSHAPE_BUILD_SECRET_FILE: join(file, "missing") }), /ENOTDIR|ENOENT/);
  assert.equal(keysFromEnv({}), null);
});

test("the generated draft-mode keys are replaced in every copy, the cache left alone", (t) => {
  const dist = tempDir(t);
  const generated = { previewModeId: "a".repeat(32), previewModeSigningKey: "b".repeat(64), previewModeEncryptionKey: "c".repeat(64) };
  const props = JSON.stringify(generated, null, 2);
  const manifest = JSON.stringify({ version: 4, routes: {}, preview: generated });
  for (const dir of ["server", "standalone/.next/server", "cache"]) mkdirSync(join(dist, dir), { recursive: true });
  writeFileSync(join(dist, "server", "preview-props.json"), props);
  writeFileSync(join(dist, "standalone", ".next", "server", "preview-props.json"), props);
  writeFileSync(join(dist, "standalone", ".next", "prerender-manifest.json"), manifest);
  writeFileSync(join(dist, "cache", ".previewinfo"), props);
  writeFileSync(join(dist, "BUILD_ID"), "commit");

  const keys = deriveBuildKeys(secret);
  const changed = pinPreviewKeys(dist, keys).map((f) => f.slice(dist.length + 1)).sort();
  assert.deepEqual(changed, ["server/preview-props.json", "standalone/.next/prerender-manifest.json", "standalone/.next/server/preview-props.json"]);
  const pinned = JSON.parse(readFileSync(join(dist, "standalone", ".next", "prerender-manifest.json"), "utf8")).preview;
  assert.deepEqual(pinned, { previewModeId: keys.previewModeId, previewModeSigningKey: keys.previewModeSigningKey, previewModeEncryptionKey: keys.previewModeEncryptionKey });
  assert.equal(readFileSync(join(dist, "cache", ".previewinfo"), "utf8"), props);
  assert.equal(readFileSync(join(dist, "BUILD_ID"), "utf8"), "commit");
});

test("a build without draft-mode keys fails instead of passing unpinned", (t) => {
  const dist = tempDir(t);
  mkdirSync(join(dist, "server"), { recursive: true });
  writeFileSync(join(dist, "server", "preview-props.json"), JSON.stringify({ previewModeId: "x" }));
  assert.throws(() => pinPreviewKeys(dist, deriveBuildKeys(secret)), /previewModeId missing or too short/);
});
