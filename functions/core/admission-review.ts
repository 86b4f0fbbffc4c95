// The AdmissionReview envelope the API server sends to a validating webhook,
// admission.k8s.io/v1 and v1beta1 (the two share this shape for everything we read).
// Only the fields a decision needs are typed; `object` and `oldObject` stay unknown
// here and are read by the workload parsers, so one bad field names its own path.
import { z } from 'zod';
import { type AdmissionReviewVersion, admissionReviewVersions, maxUidLength } from './wire.js';

export const operations = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const;
export type Operation = (typeof operations)[number];

const groupVersionKind = z.object({ group: z.string(), version: z.string(), kind: z.string() });
const groupVersionResource = z.object({ group: z.string(), version: z.string(), resource: z.string() });

const userInfo = z.object({
  username: z.string().optional(),
  uid: z.string().optional(),
  groups: z.array(z.string()).optional(),
});

const admissionRequest = z.object({
  uid: z.string().min(1).max(maxUidLength),
  kind: groupVersionKind,
  resource: groupVersionResource,
  subResource: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  operation: z.enum(operations),
  userInfo: userInfo.optional(),
  object: z.unknown().optional(),
  oldObject: z.unknown().optional(),
  dryRun: z.boolean().optional(),
});

export const admissionReviewSchema = z.object({
  apiVersion: z.enum(admissionReviewVersions),
  kind: z.literal('AdmissionReview'),
  request: admissionRequest,
});

/** An AdmissionReview as the API server sends it, reduced to what we read. */
export type AdmissionReview = Readonly<z.infer<typeof admissionReviewSchema>>;
/** The `request` of an AdmissionReview. */
export type AdmissionRequest = Readonly<z.infer<typeof admissionRequest>>;

/** The AdmissionReview we answer with. */
export interface AdmissionReviewResponse {
  readonly apiVersion: AdmissionReviewVersion;
  readonly kind: 'AdmissionReview';
  readonly response: {
    readonly uid: string;
    readonly allowed: boolean;
    readonly status?: { readonly code: number; readonly reason: string; readonly message: string };
    readonly warnings?: readonly string[];
    /** Keys without a `/`: the API server prefixes each with the webhook's name. */
    readonly auditAnnotations?: Readonly<Record<string, string>>;
  };
}
