// Reads a request body as text, but never more than a limit: the bytes are
// counted as they arrive and reading stops at the first chunk past the
// limit, so a large (or endless, chunked) upload costs at most the limit
// plus one chunk of memory instead of its whole size.

export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/**
 * readLimitedText returns the body decoded as UTF-8 ("" when there is
 * none) or throws BodyTooLargeError once more than limit bytes came. The
 * rest of an oversized body is left unread: the server answers and closes
 * the connection rather than draining it.
 */
export async function readLimitedText(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) throw new BodyTooLargeError(limit);
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return text + decoder.decode();
}
