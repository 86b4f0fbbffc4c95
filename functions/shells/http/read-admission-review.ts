// The transport in front of the decision: method, content type, size, JSON, shape.
// Returns the parsed review or the response to send; it never throws for bad input.
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  type AdmissionReview,
  type AdmissionTarget,
  admissionReviewSchema,
  describeIssues,
  type ErrorCode,
  isJsonContentType,
  parseClusterName,
  readTarget,
  wireHeaders,
} from '../../core/index.js';
import { type HttpError, httpErrors, toErrorResponse } from './http-errors.js';
import { readBody } from './read-body.js';
import { type NamespaceObject, readNamespaceObject } from './read-namespace-object.js';

export interface ParsedReview {
  readonly review: AdmissionReview;
  readonly target: AdmissionTarget;
  /** From the proxy's x-cluster-name header, when it sent one. */
  readonly clusterFromHeader: string | undefined;
  /** From the proxy's x-namespace-labels header (read-namespace-object.ts), when it sent a valid one. */
  readonly namespaceObject: NamespaceObject | undefined;
  /** Set when that header came malformed and was ignored: logged as a warning, never a failure. */
  readonly ignoredHeader?: ErrorCode;
}

export type ReadResult =
  | { readonly value: ParsedReview }
  | { readonly response: HttpResponseInit; readonly code: ErrorCode; readonly uid?: string };

const bodyFailures = {
  empty: httpErrors.emptyBody,
  'too-large': httpErrors.bodyTooLarge,
  unreadable: httpErrors.bodyUnreadable,
} as const;

export async function readAdmissionReview(request: HttpRequest): Promise<ReadResult> {
  if (request.method !== 'POST') return fail(httpErrors.methodNotAllowed);
  if (!isJsonContentType(request.headers.get('content-type'))) return fail(httpErrors.unsupportedMediaType);

  const clusterHeader = request.headers.get(wireHeaders.clusterName);
  const cluster = clusterHeader === null ? undefined : parseClusterName(clusterHeader);
  if (cluster === null) return fail(httpErrors.invalidClusterName);

  const body = await readBody(request);
  if ('failure' in body) return fail(bodyFailures[body.failure]);

  let json: unknown;
  try {
    json = JSON.parse(body.body);
  } catch {
    // SyntaxError messages quote the input around the error; they are not repeated.
    return fail(httpErrors.invalidJson);
  }

  const parsed = admissionReviewSchema.safeParse(json);
  if (!parsed.success) return fail(httpErrors.invalidReview, describeIssues(parsed.error, ''));
  const review = parsed.data;
  const target = readTarget(review.request);
  if ('error' in target) return fail(httpErrors.invalidReview, target.error, review.request.uid);
  const namespace = readNamespaceObject(request.headers.get(wireHeaders.namespaceLabels), review.request);
  const { namespaceObject, ignored } = namespace;
  return {
    value: {
      review,
      target: target.value,
      clusterFromHeader: cluster,
      namespaceObject,
      ...(ignored ? { ignoredHeader: ignored } : {}),
    },
  };
}

function fail(error: HttpError, detail?: string, uid?: string): ReadResult {
  return { response: toErrorResponse(error, detail), code: error.code, ...(uid ? { uid } : {}) };
}
