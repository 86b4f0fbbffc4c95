// Encodes a decision as the AdmissionReview the API server expects: same apiVersion
// as the request, the request's uid, and on denial a Status with code 403.
import type { AdmissionReview, AdmissionReviewResponse } from './admission-review.js';
import type { Decision } from './decision.js';
import { clampWarning, maxWarnings } from './wire.js';

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
      ...(decision.auditAnnotations ? { auditAnnotations: decision.auditAnnotations } : {}),
    },
  };
}
