import { test } from "node:test";
import assert from "node:assert/strict";
import { installJsonConsole, plain } from "./json-console";

test("console output becomes JSON lines without colours or symbols", (t) => {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  t.after(() => Object.assign(console, saved));
  const lines: string[] = [];
  installJsonConsole("info", (l) => lines.push(l));
  console.log("\u001b[32m✓\u001b[39m Ready in %dms", 42);
  console.error(new Error("render failed"));
  console.debug("hidden at info");
  console.warn("");
  Object.assign(console, saved);
  const recs = lines.map((l) => JSON.parse(l) as { level: string; msg: string });
  assert.equal(recs.length, 2);
  assert.deepEqual(recs[0], { ...recs[0], level: "INFO", msg: "Ready in 42ms" });
  assert.equal(recs[1]?.level, "ERROR");
  assert.match(recs[1]?.msg ?? "", /render failed/);
});

test("plain", () => {
  assert.equal(plain(["▲ Next.js 16"]), "Next.js 16");
  assert.equal(plain(["a", { b: 1 }]), "a { b: 1 }");
});
