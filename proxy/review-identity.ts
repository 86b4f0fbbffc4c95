// The two facts the proxy needs from a review it relays: the uid and apiVersion to
// answer with when the function cannot, and to check the function's answer against.
import { z } from 'zod';
import {
  type AdmissionReviewVersion,
  maxUidLength,
  admissionReviewVersions as versions,
} from '../functions/core/wire.js';

export interface ReviewIdentity {
  readonly apiVersion: AdmissionReviewVersion;
  readonly uid: string;
}

const requestShape = z.object({
  apiVersion: z.enum(versions),
  request: z.object({ uid: z.string().min(1).max(maxUidLength) }),
});

const responseShape = z.object({
  apiVersion: z.enum(versions),
  kind: z.literal('AdmissionReview'),
  response: z.object({ uid: z.string(), allowed: z.boolean() }),
});

/** The uid and apiVersion of a request body, or undefined when it has none. */
export function readReviewIdentity(body: Buffer): ReviewIdentity | undefined {
  const parsed = requestShape.safeParse(parseJson(body));
  return parsed.success ? { apiVersion: parsed.data.apiVersion, uid: parsed.data.request.uid } : undefined;
}

/** Whether the function's answer is an AdmissionReview for this very request. */
export function checkReviewResponse(
  body: Buffer,
  identity: ReviewIdentity,
): 'ok' | 'invalid-response' | 'uid-mismatch' {
  const parsed = responseShape.safeParse(parseJson(body));
  if (!parsed.success) return 'invalid-response';
  return parsed.data.response.uid === identity.uid && parsed.data.apiVersion === identity.apiVersion
    ? 'ok'
    : 'uid-mismatch';
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined; // not JSON: the shape check reports it
  }
}
