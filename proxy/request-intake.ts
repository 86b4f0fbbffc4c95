// The checks a webhook request passes before anything is relayed: POST, a JSON content
// type, a body within the review cap and within the proxy's buffer budget, read without
// buffering past it. A refusal is a value; sendRefusal writes it and counts it under
// its outcome.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonContentType, maxReviewBytes } from '../functions/core/wire.js';
import type { ByteBudget } from './byte-budget.js';
import type { ProxyMetrics } from './metrics.js';
import { readStream } from './read-stream.js';

export interface Refusal {
  readonly status: number;
  /** The admission_proxy_requests_total outcome label. */
  readonly outcome: string;
  readonly message: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The body to relay, a refusal to send, or a caller that went away (nothing to answer). */
export type Intake = { readonly body: Buffer } | { readonly refusal: Refusal } | { readonly aborted: true };

const notPost: Refusal = {
  status: 405,
  outcome: 'method_not_allowed',
  message: 'METHOD_NOT_ALLOWED: use POST',
  headers: { allow: 'POST' },
};

const notJson: Refusal = {
  status: 415,
  outcome: 'unsupported_media_type',
  message: 'UNSUPPORTED_MEDIA_TYPE: content type must be application/json',
  headers: {},
};

// The connection is closed: the rest of an oversized body is not worth reading.
const tooLarge: Refusal = {
  status: 413,
  outcome: 'payload_too_large',
  message: `PAYLOAD_TOO_LARGE: request body over ${maxReviewBytes} bytes (2 x 3 MiB objects + 1 MiB envelope)`,
  headers: { connection: 'close' },
};

// Too many bytes held already: refused before the body is read, and the connection
// closed so that its body is never read either. The API server treats it as a failed
// call (its failurePolicy decides) and calls again for the next request.
const overloaded: Refusal = {
  status: 503,
  outcome: 'overloaded',
  message: 'OVERLOADED: too many request bytes in flight; retry shortly',
  headers: { connection: 'close', 'retry-after': '1' },
};

/** A body that is not an AdmissionReview the proxy can answer for; never relayed. */
export function invalidReview(reason: string): Refusal {
  return { status: 400, outcome: 'invalid_review', message: `INVALID_REVIEW: ${reason}`, headers: {} };
}

/** Reads the body of a webhook request; its bytes stay reserved in `budget` until `res` closes. */
export async function takeWebhookRequest(
  req: IncomingMessage,
  res: ServerResponse,
  budget: ByteBudget,
): Promise<Intake> {
  if (req.method !== 'POST') return { refusal: notPost };
  if (!isJsonContentType(req.headers['content-type'])) return { refusal: notJson };
  // A declared length over the cap is refused before a byte of the body is read.
  const declared = req.headers['content-length'];
  if (Number(declared ?? 0) > maxReviewBytes) return { refusal: tooLarge };
  const reserved = declared === undefined ? maxReviewBytes : Number(declared);
  if (!budget.reserve(reserved)) return { refusal: overloaded };
  res.once('close', () => budget.release(reserved));
  const read = await readStream(req, maxReviewBytes);
  if ('body' in read) return { body: read.body };
  return read.failure === 'aborted' ? { aborted: true } : { refusal: tooLarge };
}

export function sendRefusal(res: ServerResponse, metrics: ProxyMetrics, refusal: Refusal): void {
  metrics.requests.inc({ outcome: refusal.outcome });
  res
    .writeHead(refusal.status, { 'content-type': 'text/plain; charset=utf-8', ...refusal.headers })
    .end(`${refusal.message}\n`);
}
