import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, parseConfig, parseDuration } from "./config";

test("defaults with only API_URL set", () => {
  assert.deepEqual(parseConfig({ API_URL: "http://127.0.0.1:8080/api/v1/" }), {
    apiUrl: "http://127.0.0.1:8080/api/v1",
    cookieSecure: true,
    apiTimeoutMs: 5000,
    pageSize: 12,
    logLevel: "info",
    sessionMaxAgeSeconds: 2_592_000,
    shutdownDrainDelayMs: 5000,
    shutdownTimeoutMs: 15000,
    trustedProxyCidrs: ["127.0.0.0/8", "::1/128"],
    metricsPort: 0,
    faultErrorRatio: 0,
  });
});

test("every variable is read", () => {
  const c = parseConfig({
    API_URL: "https://gateway/api/v1",
    COOKIE_SECURE: "false",
    API_TIMEOUT: "750ms",
    PAGE_SIZE: "4",
    LOG_LEVEL: "debug",
    SESSION_MAX_AGE: "24h",
    SHUTDOWN_DRAIN_DELAY: "0s",
    SHUTDOWN_TIMEOUT: "1m30s",
    TRUSTED_PROXY_CIDRS: "10.244.0.0/16, 192.0.2.7,fd00::/8",
    METRICS_PORT: "9091",
    FAULT_ERROR_RATIO: "0.05",
  });
  assert.equal(c.metricsPort, 9091);
  assert.equal(c.faultErrorRatio, 0.05);
  assert.deepEqual(c.trustedProxyCidrs, ["10.244.0.0/16", "192.0.2.7/32", "fd00::/8"]);
  assert.equal(c.cookieSecure, false);
  assert.equal(c.apiTimeoutMs, 750);
  assert.equal(c.pageSize, 4);
  assert.equal(c.logLevel, "debug");
  assert.equal(c.sessionMaxAgeSeconds, 86400);
  assert.equal(c.shutdownDrainDelayMs, 0);
  assert.equal(c.shutdownTimeoutMs, 90_000);
});

test("bad values are all named in one error", () => {
  assert.throws(
    () => parseConfig({ API_URL: "ftp://x", COOKIE_SECURE: "maybe", PAGE_SIZE: "500", API_TIMEOUT: "soon", LOG_LEVEL: "loud", METRICS_PORT: "70000", FAULT_ERROR_RATIO: "1.5" }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      for (const name of ["API_URL", "COOKIE_SECURE", "PAGE_SIZE", "API_TIMEOUT", "LOG_LEVEL", "METRICS_PORT", "FAULT_ERROR_RATIO"]) {
        assert.ok(err.message.includes(name), `${name} missing from: ${err.message}`);
      }
      return true;
    },
  );
  assert.throws(() => parseConfig({}), /API_URL: required/);
  for (const bad of ["-0.1", "half", "1e-1", "0x1"]) {
    assert.throws(() => parseConfig({ API_URL: "http://gateway", FAULT_ERROR_RATIO: bad }), /FAULT_ERROR_RATIO: want a number from 0 to 1/, bad);
  }
  for (const [bad, why] of [
    ["0.0.0.0/0", /trusts every address/],
    ["::/0", /trusts every address/],
    ["10.0.0.0/33", /prefix length must be a number up to 32/],
    ["10.0.0.0/x", /prefix length/],
    ["ingress", /not an IP address or CIDR/],
    ["10.0.0.1/8/1", /not an IP address or CIDR/],
  ] as const) {
    assert.throws(() => parseConfig({ API_URL: "http://x", TRUSTED_PROXY_CIDRS: bad }), (err: Error) => err.message.includes("TRUSTED_PROXY_CIDRS") && why.test(err.message), bad);
  }
  assert.throws(() => parseConfig({ API_URL: "http://x/api?x=1" }), /query/);
  assert.throws(() => parseConfig({ API_URL: "http://x", API_TIMEOUT: "0s" }), /API_TIMEOUT: must be positive/);
});

test("parseDuration", () => {
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration("1.5s"), 1500);
  assert.equal(parseDuration("2h3m4s"), 7_384_000);
  assert.equal(parseDuration("0"), 0);
  for (const bad of ["", "5", "s", "5x", "5s junk", "-1s"]) assert.throws(() => parseDuration(bad), /invalid duration/, bad);
});
