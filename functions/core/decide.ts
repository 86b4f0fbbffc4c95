// The decision: a pure function from a parsed request and a compiled policy to
// allowed / denied / warned, plus the notifications ops should get. No I/O, no clock,
// no settings lookups. The steps live beside it: choose-rules.ts picks the rules,
// judge-findings.ts weighs what they found, decision-notifications.ts writes the texts.
import type { AdmissionRequest } from './admission-review.js';
import { chooseRules } from './choose-rules.js';
import { type Decision, type DecisionContext, type Finding, notApplicable } from './decision.js';
import { describeNotifications, describeSubject } from './decision-notifications.js';
import { judgeFindings, type Verdict } from './judge-findings.js';
import type { Notification } from './notification.js';
import type { Policy } from './policy.js';
import type { RuleInput } from './rules/rule.js';
import { isExempt } from './rules/rule-match.js';
import type { AdmissionTarget } from './workload.js';

export function decide(
  request: AdmissionRequest,
  target: AdmissionTarget,
  policy: Policy,
  context: DecisionContext,
): Decision {
  if (target.type === 'other') return notApplicable;
  const { workload } = target;
  // Deletion in progress: the API server and garbage collector update finalizers and
  // deletionTimestamp. Blocking those would wedge the delete; nothing to check.
  if (workload.deletionStarted) return notApplicable;
  if (isExempt(policy, request, workload.name)) return { ...notApplicable, outcome: 'exempt' };

  const rules = chooseRules(policy, workload);
  if (rules.length === 0 && !policy.notifications.kinds.includes(workload.kind)) return notApplicable;
  const input: RuleInput = { workload, request, object: target.object, oldObject: target.oldObject };
  const findings: Finding[] = rules.flatMap((rule) => rule.check(input).map((violation) => ({ rule, violation })));
  const verdict = judgeFindings(findings, target);
  // A dry run is decided the same way but must have no side effects: no texts.
  const notifications =
    request.dryRun === true
      ? []
      : describeNotifications(verdict, target, policy.notifications, describeSubject(request, workload, context));
  return toDecision(verdict, notifications);
}

function toDecision(verdict: Verdict, notifications: readonly Notification[]): Decision {
  const { warnings, audited } = verdict;
  if (!verdict.allowed) {
    const violations = verdict.denials.map((finding) => finding.violation.message);
    return {
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
