import { test } from "node:test";
import assert from "node:assert/strict";
import { safeReturnPath } from "./safe-path";
import { OFF_SITE_RETURN_PATHS as OFF_SITE } from "./safe-path.testdata";

test("paths on this site are kept", () => {
  assert.equal(safeReturnPath("/cart"), "/cart");
  assert.equal(safeReturnPath("/search?q=rope#top"), "/search?q=rope#top");
  assert.equal(safeReturnPath(["/orders", "/x"]), "/orders");
  // Normalised, and still on this site.
  assert.equal(safeReturnPath("/a/../cart"), "/cart");
  assert.equal(safeReturnPath("/./orders"), "/orders");
  assert.equal(safeReturnPath("/%2F%2Fevil.example"), "/%2F%2Fevil.example", "encoded slashes are a path segment here");
});

test("anything that could leave the site falls back", () => {
  for (const bad of [undefined, null, "", "cart", "/%5Cevil", ...OFF_SITE]) {
    const got = safeReturnPath(bad, "/home");
    assert.ok(got === "/home" || got.startsWith("/%5C"), `${JSON.stringify(bad)} -> ${got}`);
  }
});

test("whatever comes back resolves to this site", () => {
  for (const input of OFF_SITE) {
    const got = safeReturnPath(input, "/home");
    assert.ok(got.startsWith("/") && !got.startsWith("//") && !got.includes("\\"), `${JSON.stringify(input)} -> ${got}`);
    assert.equal(new URL(got, "https://shop.example").origin, "https://shop.example", `${JSON.stringify(input)} -> ${got}`);
  }
});
