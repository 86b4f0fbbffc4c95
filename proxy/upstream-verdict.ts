// Whether the function's answer may go to the API server as it came. A well-formed
// AdmissionReview for this very request may, and so may the function's own 4xx for a
// request it refused; anything else is a failure, answered per FAILURE_MODE.
import type { FailureReason } from './failure-answer.js';
import type { StreamRead } from './read-stream.js';
import { checkReviewResponse, type ReviewIdentity } from './review-identity.js';

export type UpstreamVerdict = { readonly relay: Buffer } | { readonly failure: FailureReason };

/**
 * `status` is the function's HTTP status (0 when none came), `read` its body as read
 * within the answer cap, `identity` the request's uid and apiVersion when it has them.
 */
export function judgeUpstreamAnswer(
  status: number,
  read: StreamRead,
  identity: ReviewIdentity | undefined,
): UpstreamVerdict {
  if (!('body' in read)) return { failure: { kind: 'invalid-response' } };
  if (status === 401 || status === 403) return { failure: { kind: 'unauthorized', status } };
  if (status >= 500) return { failure: { kind: 'upstream-error', status } };
  if (status === 200 && identity) {
    const check = checkReviewResponse(read.body, identity);
    if (check !== 'ok') return { failure: { kind: check } };
  } else if (status !== 200 && status < 400) {
    return { failure: { kind: 'upstream-error', status } };
  }
  return { relay: read.body };
}
