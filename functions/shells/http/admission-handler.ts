// The admission handler: read, decide, hand notifications on, answer. Thin on purpose;
// the transport is in read-admission-review.ts and the policy in core/.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { ApprovalClaims, Policy } from '../../core/index.js';
import { decide, readRequestId, toAdmissionReviewResponse, wireHeaders } from '../../core/index.js';
import type { NotificationSink } from '../notification-sink.js';
import { settleApproval } from './claim-approval.js';
import { httpErrors, toErrorResponse } from './http-errors.js';
import { logDecision } from './log-decision.js';
import { type AdmissionLogFields, describeRequestForLog, formatLogLine } from './log-fields.js';
import { readAdmissionReview } from './read-admission-review.js';

export type { NotificationSink };

export interface AdmissionDependencies {
  /** CLUSTER_NAME, named in texts when the proxy sends no x-cluster-name. */
  readonly settings: { readonly clusterName: string | undefined };
  readonly policy: Policy;
  readonly now: () => Date;
  readonly sendNotifications: NotificationSink;
  /** Approve by reply: claims grants for approvable denials; absent when the policy has none to claim. */
  readonly approvalClaims?: ApprovalClaims | undefined;
}

export type AdmissionHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export function createAdmissionHandler({
  settings,
  policy,
  now,
  sendNotifications,
  approvalClaims,
}: AdmissionDependencies): AdmissionHandler {
  return async function admission(request, context) {
    const started = performance.now();
    const requestId = readRequestId(request.headers.get(wireHeaders.requestId));
    let fields: Omit<AdmissionLogFields, 'durationMs'> = { requestId };
    try {
      const read = await readAdmissionReview(request);
      if ('response' in read) {
        const line = { requestId, uid: read.uid, errorCode: read.code, durationMs: performance.now() - started };
        context.warn(formatLogLine('admission.rejected', line));
        return read.response;
      }
      const { review, target, clusterFromHeader, namespaceObject, ignoredHeader } = read.value;
      fields = { requestId, ...describeRequestForLog(review.request) };
      // A malformed x-namespace-labels is ignored (namespaceSelector rules answer per their failurePolicy).
      if (ignoredHeader)
        context.warn(formatLogLine('admission.header-ignored', { ...fields, errorCode: ignoredHeader, durationMs: 0 }));
      const cluster = clusterFromHeader ?? settings.clusterName;
      const decision = decide(review.request, target, policy, { cluster, now: now(), namespaceObject });
      // Only an approvable denial reaches the approvals table, and for at most claimTimeoutMs.
      const settled = await settleApproval(decision, approvalClaims, review.request.dryRun === true);
      sendNotifications(settled.decision.notifications, context);
      logDecision(context, fields, settled, performance.now() - started);
      return { status: 200, jsonBody: toAdmissionReviewResponse(review, settled.decision) };
    } catch (error) {
      // A bug, not bad input: answer 500 so the webhook's failure policy (or the
      // proxy's FAILURE_MODE) decides, rather than guessing allow or deny here.
      const line = { ...fields, errorCode: httpErrors.internal.code, durationMs: performance.now() - started };
      context.error(formatLogLine('admission.failed', line), describeErrorForLog(error));
      return toErrorResponse(httpErrors.internal);
    }
  };
}

/** The error's class and where it was thrown; its message may quote input, so it is left out. */
function describeErrorForLog(error: unknown): string {
  if (!(error instanceof Error)) return `non-error thrown: ${typeof error}`;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 5);
  return [error.name, ...frames].join('\n');
}
