import { test } from "node:test";
import assert from "node:assert/strict";
import { BodyTooLargeError, readLimitedText } from "./body-limit";

/** A pull stream of total bytes in chunks of chunk bytes that counts what was pulled. */
function counted(total: number, chunk: number, fill = 0x20) {
  const stats = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const n = Math.min(chunk, total - stats.pulled);
        if (n <= 0) return controller.close();
        stats.pulled += n;
        controller.enqueue(new Uint8Array(n).fill(fill));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, stats };
}

test("a body within the limit is read whole and decoded as UTF-8", async () => {
  const bytes = new TextEncoder().encode(JSON.stringify({ name: "Ærøskøbing ⚓" }));
  // Split inside a multi-byte character.
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes.slice(0, 12));
      c.enqueue(bytes.slice(12));
      c.close();
    },
  });
  assert.equal(await readLimitedText(stream, bytes.byteLength), '{"name":"Ærøskøbing ⚓"}');
  assert.equal(await readLimitedText(null, 10), "");
});

test("a 10 MB body is refused after about the limit was read, not all of it", async () => {
  const limit = 16 * 1024;
  const chunk = 1024;
  const { stream, stats } = counted(10 * 1024 * 1024, chunk);
  await assert.rejects(readLimitedText(stream, limit), (err) => err instanceof BodyTooLargeError && err.limit === limit);
  assert.ok(stats.pulled <= limit + chunk, `read ${stats.pulled} bytes of a body past ${limit}`);
  assert.ok(stats.pulled > limit, "the refusal comes once the limit is passed");
});

test("a body of exactly the limit passes; one byte more does not", async () => {
  assert.equal((await readLimitedText(counted(4096, 1000).stream, 4096)).length, 4096);
  await assert.rejects(readLimitedText(counted(4097, 1000).stream, 4096), BodyTooLargeError);
});
