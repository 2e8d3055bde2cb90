import { test } from "node:test";
import assert from "node:assert/strict";
import { createLogger, formatLine } from "./log";

test("one JSON object per line with time, level, msg and fields", () => {
  const line = formatLine("warn", "refresh failed", { status: 503, big: 5n }, new Date("2026-01-02T03:04:05Z"));
  assert.ok(line.endsWith("\n"));
  assert.deepEqual(JSON.parse(line), {
    time: "2026-01-02T03:04:05.000Z",
    level: "WARN",
    msg: "refresh failed",
    service: "web",
    status: 503,
    big: "5",
  });
});

test("errors are logged with message and type", () => {
  const rec = JSON.parse(formatLine("error", "boom", { err: new RangeError("bad") })) as { err: { error: string; error_type: string } };
  assert.equal(rec.err.error, "bad");
  assert.equal(rec.err.error_type, "RangeError");
});

test("records below the level are dropped", () => {
  const lines: string[] = [];
  const log = createLogger("warn", (l) => lines.push(l));
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.error("e");
  assert.deepEqual(lines.map((l) => (JSON.parse(l) as { msg: string }).msg), ["w", "e"]);
});
