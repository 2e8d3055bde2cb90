import { test } from "node:test";
import assert from "node:assert/strict";
import { clientAddressOf, markClientAddressResolved } from "./client-address";

test("the header is the client's address only once the launcher resolves it", () => {
  const headers = new Headers({ "X-Forwarded-For": "203.0.113.9" });
  assert.equal(clientAddressOf(headers), undefined, "without the launcher the header is the client's own claim");
  markClientAddressResolved();
  assert.equal(clientAddressOf(headers), "203.0.113.9");
  assert.equal(clientAddressOf(new Headers()), undefined);
});
