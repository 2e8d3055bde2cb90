import { test } from "node:test";
import assert from "node:assert/strict";
import { refreshOncePerToken, SHARE_MS } from "./refresh-policy";

// Identity's default REFRESH_GRACE (docs/adr/0016).
const IDENTITY_GRACE_MS = 10_000;

/**
 * Identity's refresh rule, in memory: a live token rotates to a successor;
 * the client that rotated it may present it once more within the grace and
 * gets the same successor; any other presentation revokes the session.
 */
class Identity {
  calls = 0;
  revoked = false;
  private live = new Set(["rt1"]);
  private rotated = new Map<string, { at: number; client: string; successor: string; repeated: boolean }>();
  constructor(private readonly now: () => number) {}

  refresh = async (token: string, client: string): Promise<string> => {
    this.calls++;
    if (this.revoked) throw new Error("session revoked");
    if (this.live.delete(token)) {
      const successor = `${token}'`;
      this.live.add(successor);
      this.rotated.set(token, { at: this.now(), client, successor, repeated: false });
      return successor;
    }
    const r = this.rotated.get(token);
    if (r && !r.repeated && r.client === client && this.now() - r.at < IDENTITY_GRACE_MS) {
      r.repeated = true;
      return r.successor;
    }
    this.revoked = true;
    throw new Error("rotated token presented again: session revoked");
  };
}

test("two replicas refreshing one session at once, with bursts of requests, keep it", async () => {
  let clock = 0;
  const identity = new Identity(() => clock);
  const replicas = [refreshOncePerToken(identity.refresh, () => clock), refreshOncePerToken(identity.refresh, () => clock)];
  // A page and its prefetches, spread over both replicas, all with the same token.
  const burst = await Promise.all(replicas.flatMap((refresh) => [1, 2, 3].map(() => refresh("rt1", "203.0.113.9"))));
  assert.deepEqual(new Set(burst), new Set(["rt1'"]));
  // Requests that left the browser before the new cookies arrived.
  clock = SHARE_MS - 1;
  for (const refresh of replicas) assert.equal(await refresh("rt1", "203.0.113.9"), "rt1'");
  assert.equal(identity.calls, 2, "once per replica");
  assert.equal(identity.revoked, false);
});

test("the storefront answers for a rotated token no longer than identity's grace", async () => {
  assert.ok(SHARE_MS <= IDENTITY_GRACE_MS, `shared for ${SHARE_MS} ms, identity's grace is ${IDENTITY_GRACE_MS} ms`);
  let clock = 0;
  const identity = new Identity(() => clock);
  const refresh = refreshOncePerToken(identity.refresh, () => clock);
  assert.equal(await refresh("rt1", "203.0.113.9"), "rt1'");
  // A copy of the rotated token replayed after the grace: identity must see
  // it (and end the session), not get the successor from our memory.
  clock = IDENTITY_GRACE_MS + 500;
  await assert.rejects(refresh("rt1", "198.51.100.66"), /session revoked/);
  assert.equal(identity.calls, 2);
  assert.equal(identity.revoked, true);
});
