// The decision: a pure function from a parsed request and a compiled policy to
// allowed / denied / warned, plus the notifications ops should get. No I/O, no clock,
// no settings lookups. The steps live beside it: choose-rules.ts picks the rules,
// judge-findings.ts weighs what they found, decision-notifications.ts writes the texts.
import type { AdmissionRequest } from './admission-review.js';
import type { ApprovalBinding } from './approval.js';
import { describeApprovalOffer } from './approval-offer.js';
import { chooseRules } from './choose-rules.js';
import { type Decision, type DecisionContext, type Finding, notApplicable } from './decision.js';
import { describeNotifications, describeSubject } from './decision-notifications.js';
import { judgeFindings, type Verdict } from './judge-findings.js';
import type { Notification } from './notification.js';
import type { Policy } from './policy.js';
import { type CompiledRule, newReviewMemo, type ReviewMemo, type RuleInput } from './rules/rule.js';
import { isExempt } from './rules/rule-match.js';
import type { AdmissionTarget, WorkloadTarget } from './workload.js';

export function decide(
  request: AdmissionRequest,
  target: AdmissionTarget,
  policy: Policy,
  context: DecisionContext,
): Decision {
  if (target.type === 'other') return notApplicable;
  const { workload, oldWorkload } = target;
  // Deletion in progress: the API server and garbage collector update finalizers and
  // deletionTimestamp. Blocking those would wedge the delete; nothing to check.
  if (workload.deletionStarted) return notApplicable;
  if (isExempt(policy, request, workload.name, workload.namespace)) return { ...notApplicable, outcome: 'exempt' };

  const { rules, undecided } = chooseRules(policy, request.operation, workload, oldWorkload, context.namespaceObject);
  const texted = request.operation === 'CREATE' || request.operation === 'UPDATE';
  const announced = texted && policy.notifications.kinds.some((kind) => kind === workload.kind);
  if (rules.length === 0 && undecided.length === 0 && !announced) return notApplicable;
  const input = ruleInput(request, target, context.namespaceObject, newReviewMemo());
  // The old object could not have been decided either: an undecided rule counts as broken before.
  const unknown = undecided.map((rule) => ({ rule, violation: namespaceUnknown(rule, workload.subject) }));
  const findings: Finding[] = [];
  for (const rule of rules) for (const violation of rule.check(input)) findings.push({ rule, violation });
  findings.push(...unknown);
  const before = oldInput(request, target, context, input.review);
  const broken = new Map<CompiledRule, boolean>();
  const brokeBefore = (finding: Finding): boolean => {
    if (before === undefined) return false;
    if (unknown.includes(finding)) return true;
    const known = broken.get(finding.rule) ?? finding.rule.check(before).length > 0;
    broken.set(finding.rule, known);
    return known;
  };
  const verdict = judgeFindings(findings, target, brokeBefore);
  const approval = verdict.allowed
    ? undefined
    : describeApprovalOffer(verdict.denials, target, policy, context.cluster);
  // A dry run is decided the same way but must have no side effects: no texts. Texts
  // speak of creates and updates; a rule on DELETE or CONNECT answers kubectl only.
  const notifications =
    request.dryRun === true || !texted
      ? []
      : describeNotifications(
          verdict,
          target,
          policy.notifications,
          describeSubject(request, workload, context),
          approval,
        );
  return toDecision(verdict, notifications, approval?.binding);
}

/** What rules see: as a ValidatingAdmissionPolicy, `object` is null for a DELETE and `oldObject` the object deleted. */
function ruleInput(
  request: AdmissionRequest,
  target: WorkloadTarget,
  namespaceObject: unknown,
  review: ReviewMemo,
): RuleInput & { readonly review: ReviewMemo } {
  const deleting = request.operation === 'DELETE';
  return {
    workload: target.workload,
    request,
    object: deleting ? null : target.object,
    oldObject: deleting ? target.object : target.oldObject,
    namespaceObject,
    review,
  };
}

/** The old object as if re-applied unchanged: whether it broke a rule already. */
function oldInput(
  request: AdmissionRequest,
  target: WorkloadTarget,
  context: DecisionContext,
  review: ReviewMemo,
): RuleInput | undefined {
  const { oldObject, oldWorkload } = target;
  if (!oldObject || !oldWorkload) return undefined;
  const { namespaceObject } = context;
  return { workload: oldWorkload, request, object: oldObject, oldObject, namespaceObject, review };
}

function namespaceUnknown(rule: CompiledRule, subject: string) {
  return {
    message: `${subject}: rule ${rule.name} selects namespaces by their labels (namespaceSelector), and the labels of this namespace were not supplied with the request; its failurePolicy is Fail, so it counts as broken.`,
    reason: `${rule.name} could not read the namespace's labels`,
    fix: 'Supply the namespace to the webhook, or set failurePolicy: Ignore on the rule.',
  };
}

function toDecision(
  verdict: Verdict,
  notifications: readonly Notification[],
  approvable: ApprovalBinding | undefined,
): Decision {
  const { warnings, audited } = verdict;
  if (!verdict.allowed) {
    const violations = verdict.denials.map((finding) => finding.violation.message);
    return {
      ...(approvable ? { approvable } : {}),
      allowed: false,
      message: violations.join(' '),
      violations,
      warnings,
      notifications,
      audited,
      outcome: 'denied',
    };
  }
  return { allowed: true, warnings, notifications, audited, outcome: warnings.length > 0 ? 'warned' : 'allowed' };
}
