// The kernel's one entry: everything the function app's shells, the CLI and the tools
// may use. Pure: no I/O, no environment, no clock; the callers bring those. Internals
// stay behind this file, so they can move without breaking a caller.

export { toAdmissionReviewResponse } from './admission-response.js';
export {
  type AdmissionRequest,
  type AdmissionReview,
  type AdmissionReviewResponse,
  admissionReviewSchema,
  type Operation,
} from './admission-review.js';
export {
  type ApprovalBinding,
  type ApprovalClaims,
  type ApprovalOffer,
  type ClaimedApproval,
  canonicalBinding,
} from './approval.js';
export { canonicalJson, hashApprovalSpec } from './approval-spec-hash.js';
export { admitByApproval, describeApprovers } from './approved-decision.js';
export { decide } from './decide.js';
export type { Decision, DecisionContext } from './decision.js';
export { describeFlagIssues, describeIssues } from './describe-issues.js';
export { dnsLabelForm, dnsLabelPattern, dnsNameForm, dnsNamePattern, e164Form, e164Pattern } from './names.js';
export type { BlockedNotification, Notification, NotificationSubject } from './notification.js';
export { compilePattern, matchesAny, type Pattern } from './patterns.js';
export { seesEphemeralContainers } from './policy/compile-match.js';
export type { CompiledPolicyFile, NotificationRoute } from './policy/compile-policy.js';
export { maxPolicyBytes, oversizedPolicy, PolicyError, unreadablePolicy } from './policy/policy-error.js';
export { renderPolicyJsonSchema } from './policy/policy-json-schema.js';
export { type PolicyFile, policyFileSchema, type RuleDefinition } from './policy/policy-schema.js';
export { defaultPolicy, type Policy } from './policy.js';
export { onPodViews, podViewsFor } from './rules/pod-views.js';
export { describeDuplicateIdentity } from './texts/duplicate-identity.js';
export { maxQueueMessageBytes } from './texts/fit-queue-message.js';
export {
  type ApprovalSubject,
  appendReplyLine,
  expiredCodeText,
  formatAlreadyApproved,
  formatApproved,
  formatFirstOfTwo,
  formatLockedOut,
  formatLockoutNotice,
  formatReplyLine,
  helpText,
  maskNumber,
  unknownReplyText,
  wrongCodeText,
} from './texts/format-approval.js';
export { type DigestFacts, formatDigest } from './texts/format-digest.js';
export { formatSms } from './texts/format-sms.js';
export { formatSummary, type HeldCounts, type HeldSummary } from './texts/format-summary.js';
export { countSegments } from './texts/gsm7.js';
export { parseQueueMessage, type QueueMessage, toQueueMessage } from './texts/queue-message.js';
export { allWorkloadsScope, type WebhookRule, webhookScope } from './webhook-scope.js';
export * from './wire.js';
export { type AdmissionTarget, readTarget } from './workload.js';
export { type WorkloadKind, workloadKinds } from './workload-kinds.js';

/** The policy-file parser (YAML, zod, CEL): loaded on first use, so a default start-up never pays for it. */
export function loadPolicyParser(): Promise<typeof import('./policy/parse-policy.js')> {
  return import('./policy/parse-policy.js');
}
/** Precompiled policies (JSON, zod, CEL; no YAML parser): loaded on first use, like the parser. */
export function loadPrecompiledPolicyReader(): Promise<typeof import('./policy/precompiled-policy.js')> {
  return import('./policy/precompiled-policy.js');
}
export { type CatalogueEntry, type ErrorCode, errorCatalogue } from './error-catalogue.js';
export {
  describeSettings,
  parseSettings,
  type SettingSpec,
  type SettingSpecs,
  type SettingValues,
  wholeNumber,
} from './settings-schema.js';
