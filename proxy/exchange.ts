// One webhook request on its way through the proxy: who it is (request id, review
// identity), when it started, and whether it has been answered. Whichever comes
// first (the function's answer, the deadline, a failure) sends the one answer; the
// others find it answered and do nothing.
import type { ClientRequest, ServerResponse } from 'node:http';
import { wireHeaders } from '../functions/core/wire.js';
import type { ReviewIdentity } from './review-identity.js';

export interface Exchange {
  readonly requestId: string;
  /** The review's uid and apiVersion: a body without them is refused before it gets here. */
  readonly identity: ReviewIdentity;
  /** performance.now() when the request arrived. */
  readonly started: number;
  /** The x-namespace-labels header for the review's namespace, when the watch knows it. */
  readonly namespaceLabels: string | undefined;
  answered: boolean;
  /** The call to the function, once made: destroyed when its answer no longer matters. */
  upstreamRequest?: ClientRequest;
}

/** Sends the exchange's answer, unless one was sent already. */
export function answerOnce(
  exchange: Exchange,
  res: ServerResponse,
  status: number,
  body: Buffer | string,
  type: string,
): void {
  if (exchange.answered) return;
  exchange.answered = true;
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    [wireHeaders.requestId]: exchange.requestId,
  });
  res.end(body);
}

/** The allowlisted log fields of an exchange (request id, uid, duration so far) and `extra`. */
export function exchangeFields(exchange: Exchange, extra: Record<string, unknown>) {
  const durationMs = Math.round((performance.now() - exchange.started) * 1000) / 1000;
  return { requestId: exchange.requestId, uid: exchange.identity.uid, durationMs, ...extra };
}
