import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, codeForStatus, fieldErrors, parseErrorBody, userMessage } from "./errors";

test("parses the services' error body with its fields and request id", () => {
  const body = JSON.stringify({
    code: "INVALID_ARGUMENT",
    message: "invalid name: is required (and 1 more)",
    fields: [
      { field: "name", reason: "is required" },
      { field: "password", reason: "must be at least 10 characters" },
      { field: "password", reason: "a second reason" },
      { nonsense: true },
    ],
    requestId: "req-1",
  });
  const err = parseErrorBody(400, body, "header-id");
  assert.ok(err instanceof ApiError);
  assert.equal(err.status, 400);
  assert.equal(err.code, "INVALID_ARGUMENT");
  assert.equal(err.requestId, "req-1", "the body's id wins over the header's");
  assert.equal(err.fields.length, 3, "malformed field entries are dropped");
  assert.deepEqual(fieldErrors(err), { name: "is required", password: "must be at least 10 characters" });
});

test("a body that is not the error JSON is classified by status, never echoed", () => {
  for (const [status, text, code] of [
    [502, "<html>Bad Gateway</html>", "UNAVAILABLE"],
    [404, "", "NOT_FOUND"],
    [429, "slow down", "RESOURCE_EXHAUSTED"],
    [500, '{"error":"x"}', "INTERNAL"],
    [418, "[]", "UNKNOWN"],
  ] as const) {
    const err = parseErrorBody(status, text, "hdr");
    assert.equal(err.code, code, `${status}`);
    assert.equal(err.requestId, "hdr");
    assert.ok(!err.message.includes("html"), err.message);
  }
  assert.equal(codeForStatus(599), "INTERNAL");
});

test("userMessage shows client errors and hides server ones", () => {
  assert.equal(userMessage(new ApiError(401, "UNAUTHENTICATED", "invalid email or password")), "Invalid email or password");
  const internal = userMessage(new ApiError(500, "INTERNAL", "pq: relation orders does not exist", [], "r-9"));
  assert.ok(!internal.includes("pq:"), internal);
  assert.ok(internal.includes("r-9"), internal);
  assert.match(userMessage(new ApiError(503, "UNAVAILABLE", "x")), /cannot be reached/);
  assert.match(userMessage(new ApiError(504, "DEADLINE_EXCEEDED", "x")), /cannot be reached/);
  assert.match(userMessage(new TypeError("boom")), /Something went wrong/);
});

test("body() round-trips through parseErrorBody", () => {
  const err = new ApiError(400, "FAILED_PRECONDITION", "quantity only 2 in stock", [{ field: "quantity", reason: "only 2 in stock" }], "r");
  const again = parseErrorBody(400, JSON.stringify(err.body()));
  assert.deepEqual(again.body(), err.body());
  assert.deepEqual(new ApiError(404, "NOT_FOUND", "gone").body(), { code: "NOT_FOUND", message: "gone" });
});
