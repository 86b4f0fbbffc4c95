// What the proxy answers when the function cannot: a well-formed AdmissionReview for
// the request's uid and apiVersion, denying (FAILURE_MODE=closed) or allowing with a
// warning (open), and saying why in words an operator can act on.

import { clampWarning } from '../functions/core/wire.js';
import type { FailureMode } from './config.js';
import type { ReviewIdentity } from './review-identity.js';

export type FailureReason =
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'unreachable'; readonly code: string }
  | { readonly kind: 'upstream-error'; readonly status: number }
  | { readonly kind: 'upstream-refused'; readonly status: number }
  | { readonly kind: 'unauthorized'; readonly status: number }
  | { readonly kind: 'invalid-response' }
  | { readonly kind: 'response-too-large'; readonly limit: number }
  | { readonly kind: 'uid-mismatch' }
  | { readonly kind: 'no-key' };

export function describeFailure(reason: FailureReason): string {
  switch (reason.kind) {
    case 'timeout':
      return `timed out after ${formatSeconds(reason.afterMs)}`;
    case 'unreachable':
      return `could not connect (${reason.code})`;
    case 'upstream-error':
      return `answered HTTP ${reason.status}`;
    case 'upstream-refused':
      return `refused the review (HTTP ${reason.status})`;
    case 'unauthorized':
      return `refused the function key (HTTP ${reason.status}); check FUNCTION_KEY_FILE`;
    case 'invalid-response':
      return 'answered something that is not an AdmissionReview';
    case 'response-too-large':
      return `answered more than ${reason.limit} bytes`;
    case 'uid-mismatch':
      return 'answered for a different request (uid mismatch)';
    case 'no-key':
      return 'no function key loaded; check FUNCTION_KEY_FILE';
  }
}

/**
 * The metric label and log field for a reason: one per kind, never per HTTP status, so
 * the label set stays small and fixed; the status is in the log line (upstreamStatus)
 * and in the duration histogram's `status` label.
 */
export function failureLabel(reason: FailureReason): string {
  return reason.kind.replaceAll('-', '_');
}

export function toFailureReview(identity: ReviewIdentity, mode: FailureMode, reason: FailureReason) {
  const why = `policy backend unavailable: ${describeFailure(reason)}`;
  const response =
    mode === 'closed'
      ? {
          uid: identity.uid,
          allowed: false,
          status: {
            code: 503,
            reason: 'ServiceUnavailable',
            message: `${why}; denied because the webhook fails closed. Retry shortly.`,
          },
        }
      : { uid: identity.uid, allowed: true, warnings: [clampWarning(`${why}; admitted unchecked (fails open)`)] };
  return { apiVersion: identity.apiVersion, kind: 'AdmissionReview', response };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
