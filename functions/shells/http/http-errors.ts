// The answers the admission endpoint gives when it cannot decide, each under a code
// of the error catalogue (functions/core/error-catalogue.ts). Each has a stable code (logged, and the first word of the body), an HTTP status,
// and a lowercase message that names what is wrong and never echoes the input.
import type { HttpResponseInit } from '@azure/functions';
import { clusterNameForm, type ErrorCode, maxReviewBytes } from '../../core/index.js';

export const httpErrors = {
  methodNotAllowed: { code: 'METHOD_NOT_ALLOWED', status: 405, message: 'method not allowed; use POST' },
  unsupportedMediaType: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    status: 415,
    message: 'content type must be application/json',
  },
  emptyBody: { code: 'EMPTY_BODY', status: 400, message: 'request body is empty; expected an AdmissionReview' },
  bodyTooLarge: {
    code: 'BODY_TOO_LARGE',
    status: 400,
    message: `request body too large; limit is ${maxReviewBytes} bytes`,
  },
  bodyUnreadable: { code: 'BODY_UNREADABLE', status: 400, message: 'request body could not be read' },
  invalidJson: { code: 'INVALID_JSON', status: 400, message: 'request body is not valid JSON' },
  invalidReview: { code: 'INVALID_REVIEW', status: 400, message: 'request body is not a valid AdmissionReview' },
  invalidClusterName: {
    code: 'INVALID_CLUSTER_NAME',
    status: 400,
    message: `x-cluster-name header must be ${clusterNameForm}`,
  },
  internal: {
    code: 'INTERNAL',
    status: 500,
    message: 'internal error while deciding; the webhook failure policy applies',
  },
} as const satisfies Record<string, HttpError>;

export interface HttpError {
  readonly code: ErrorCode;
  readonly status: number;
  readonly message: string;
}

/** A plain-text answer: `CODE: message[: detail]`. `detail` must never hold input values. */
export function toErrorResponse(error: HttpError, detail?: string): HttpResponseInit {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (error.status === 405) headers.allow = 'POST';
  return { status: error.status, headers, body: `${error.code}: ${error.message}${detail ? `: ${detail}` : ''}\n` };
}
