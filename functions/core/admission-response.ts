// Encodes a decision as the AdmissionReview the API server expects: same apiVersion
// as the request, the request's uid, and on denial a Status with code 403.
import type { AdmissionReview, AdmissionReviewResponse } from './admission-review.js';
import type { Decision } from './decide.js';

// The API server truncates long warnings and many of them; Kubernetes asks webhooks
// to keep each under 120 characters.
export const maxWarningLength = 119;
const maxWarnings = 10;

export function toAdmissionReviewResponse(review: AdmissionReview, decision: Decision): AdmissionReviewResponse {
  const warnings = decision.warnings.slice(0, maxWarnings).map(clampWarning);
  return {
    apiVersion: review.apiVersion,
    kind: 'AdmissionReview',
    response: {
      uid: review.request.uid,
      allowed: decision.allowed,
      ...(decision.allowed
        ? {}
        : { status: { code: 403, reason: 'Forbidden', message: decision.message ?? 'denied by policy' } }),
      ...(warnings.length > 0 ? { warnings } : {}),
    },
  };
}

/** Keeps a warning within the API server's limits, ending with "..." when cut. */
export function clampWarning(warning: string): string {
  // Printable ASCII only: the API server drops warnings with control characters.
  const printable = warning.replace(/[^\x20-\x7e]/g, '?');
  return printable.length <= maxWarningLength ? printable : `${printable.slice(0, maxWarningLength - 3)}...`;
}
