// Reproducible keys for release builds. `next build` writes keys it
// generates at random into its output: the draft-mode keys (preview-props.json
// and prerender-manifest.json) and the server-actions key
// (server-reference-manifest), so two builds of one commit differ. Given a
// release secret, scripts/build.mjs derives them instead: the same secret
// and commit give the same output, and nobody without the secret can
// compute them (they are secrets: the draft-mode id is a bypass cookie's
// value). The storefront uses neither feature; Next writes the keys anyway.
//
// Next would reuse keys cached in .next/cache, but not where it believes it
// runs in a container (a Docker build, this project's CI machines): so the
// server-actions key goes in through NEXT_SERVER_ACTIONS_ENCRYPTION_KEY and
// the draft-mode keys are replaced in the output after the build.
import { createHmac } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const MIN_SECRET_BYTES = 32;
const PREVIEW_KEYS = ["previewModeId", "previewModeSigningKey", "previewModeEncryptionKey"];

function derive(secret, label, bytes) {
  return createHmac("sha256", secret).update(`shipshape web build: ${label}`).digest().subarray(0, bytes);
}

// deriveBuildKeys returns the keys in the sizes and encodings Next uses
// (hex for draft mode, base64 of a raw AES-256 key for server actions).
export function deriveBuildKeys(secret) {
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    throw new Error(`build secret: at least ${MIN_SECRET_BYTES} bytes, got ${Buffer.byteLength(secret)}`);
  }
  return {
    previewModeId: derive(secret, "preview mode id", 16).toString("hex"),
    previewModeSigningKey: derive(secret, "preview mode signing key", 32).toString("hex"),
    previewModeEncryptionKey: derive(secret, "preview mode encryption key", 32).toString("hex"),
    serverActionsKey: derive(secret, "server actions key", 32).toString("base64"),
  };
}

// keysFromEnv reads the secret named by SHIPSHAPE_BUILD_SECRET_FILE; null
// without the variable (a development build keeps Next's random keys).
export function keysFromEnv(env = process.env) {
  const file = env.SHIPSHAPE_BUILD_SECRET_FILE;
  if (!file) return null;
  try {
    return deriveBuildKeys(readFileSync(file, "utf8").trim());
  } catch (err) {
    throw new Error(`SHIPSHAPE_BUILD_SECRET_FILE=${file}: ${err.message}`);
  }
}

function files(dir, skip) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return p === skip ? [] : files(p, skip);
    return e.isFile() ? [p] : [];
  });
}

// pinPreviewKeys replaces the draft-mode keys this build generated (read
// from server/preview-props.json) with the derived ones in every file of
// distDir but its cache, and fails if any copy of them is left. It returns
// the files it changed.
export function pinPreviewKeys(distDir, keys) {
  const generated = JSON.parse(readFileSync(join(distDir, "server", "preview-props.json"), "utf8"));
  const pairs = PREVIEW_KEYS.map((k) => {
    if (typeof generated[k] !== "string" || generated[k].length < 32) {
      throw new Error(`preview-props.json: ${k} missing or too short`);
    }
    return [generated[k], keys[k]];
  });
  const changed = [];
  for (const f of files(distDir, join(distDir, "cache"))) {
    const text = readFileSync(f, "latin1");
    if (!pairs.some(([old]) => text.includes(old))) continue;
    writeFileSync(f, pairs.reduce((t, [old, pinned]) => t.replaceAll(old, pinned), text), "latin1");
    changed.push(f);
  }
  if (changed.length === 0) throw new Error(`${distDir}: no file holds the generated draft-mode keys`);
  return changed;
}
