import { test } from "node:test";
import assert from "node:assert/strict";
import { safeReturnPath } from "./safe-path";

test("paths on this site are kept", () => {
  assert.equal(safeReturnPath("/cart"), "/cart");
  assert.equal(safeReturnPath("/search?q=rope#top"), "/search?q=rope#top");
  assert.equal(safeReturnPath(["/orders", "/x"]), "/orders");
});

test("anything that could leave the site falls back", () => {
  for (const bad of [undefined, null, "", "cart", "//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "/%5Cevil"]) {
    const got = safeReturnPath(bad, "/home");
    assert.ok(got === "/home" || got.startsWith("/%5C"), `${String(bad)} -> ${got}`);
  }
});
