// Whether the function's answer may go to the API server. Only a 2xx carrying a
// well-formed AdmissionReview for this very request (its uid and apiVersion) may; any
// other answer is one the proxy cannot vouch for, and is a failure, answered per
// FAILURE_MODE. That includes the function's own 4xx: the API server never sends a
// malformed review, so a 400 means a forged request or a broken function, and neither
// should see the function's raw text.
import type { FailureReason } from './failure-answer.js';
import type { StreamRead } from './read-stream.js';
import { checkReviewResponse, type ReviewIdentity } from './review-identity.js';

export type UpstreamVerdict = { readonly relay: Buffer } | { readonly failure: FailureReason };

// An AdmissionReview answer is a few hundred bytes (a patch would be more; this is
// a validating webhook).
export const maxResponseBytes = 1024 * 1024;

/**
 * `status` is the function's HTTP status (0 when none came), `read` its body as read
 * within the answer cap, `identity` the request's uid and apiVersion.
 */
export function judgeUpstreamAnswer(status: number, read: StreamRead, identity: ReviewIdentity): UpstreamVerdict {
  const refusal = judgeStatus(status);
  if (refusal) return { failure: refusal };
  if (!('body' in read)) {
    return {
      failure:
        read.failure === 'too-large'
          ? { kind: 'response-too-large', limit: maxResponseBytes }
          : { kind: 'invalid-response' },
    };
  }
  const check = checkReviewResponse(read.body, identity);
  return check === 'ok' ? { relay: read.body } : { failure: { kind: check } };
}

/** The failure a status alone makes of an answer, or undefined for a 2xx. */
function judgeStatus(status: number): FailureReason | undefined {
  if (status >= 200 && status <= 299) return undefined;
  if (status === 401 || status === 403) return { kind: 'unauthorized', status };
  if (status >= 400 && status <= 499) return { kind: 'upstream-refused', status };
  return { kind: 'upstream-error', status }; // 5xx, and 1xx/3xx the proxy does not follow
}
