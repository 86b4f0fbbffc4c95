// Reads a request body up to a byte limit (the wire's maxReviewBytes, which says where
// the number comes from), refusing early on a declared Content-Length over the limit
// and stopping as soon as a streamed body passes it.
import { maxReviewBytes } from '../../core/index.js';

export type BodyResult = { readonly body: string } | { readonly failure: 'empty' | 'too-large' | 'unreadable' };

interface BodySource {
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
}

export async function readBody(request: BodySource, limit = maxReviewBytes): Promise<BodyResult> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) return { failure: 'too-large' };
  if (!request.body) return { failure: 'empty' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        return { failure: 'too-large' };
      }
      chunks.push(value);
    }
  } catch {
    // A client that disconnected mid-body, or a stream error: nothing to decide on,
    // and the cause carries nothing the caller can act on.
    return { failure: 'unreadable' };
  }
  if (size === 0) return { failure: 'empty' };
  return { body: Buffer.concat(chunks, size).toString('utf8') };
}
