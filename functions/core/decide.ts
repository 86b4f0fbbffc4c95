// The decision: a pure function from a parsed request and a compiled policy to
// allowed / denied / warned, plus the notifications ops should get. No I/O, no clock,
// no settings lookups.
import { isDeepStrictEqual } from 'node:util';
import type { AdmissionRequest } from './admission-review.js';
import { describeWorkloadChanges } from './describe-changes.js';
import type { Notification, NotificationSubject } from './notification.js';
import type { Policy } from './policy.js';
import type { CompiledRule, RuleInput, Violation } from './rules/rule.js';
import { isExempt, ruleMatches } from './rules/rule-match.js';
import {
  type AdmissionTarget,
  type Deployment,
  podTemplateOf,
  replicasOf,
  type Workload,
  type WorkloadKind,
} from './workload.js';

export interface DecisionContext {
  readonly cluster: string | undefined;
  readonly now: Date;
}

export interface Decision {
  readonly allowed: boolean;
  /** Set when denied: the `status.message` kubectl shows (the violations, joined). */
  readonly message?: string;
  /** Set when denied: each violation's message. */
  readonly violations?: readonly string[];
  readonly warnings: readonly string[];
  /** Empty for dry runs: they are decided the same way but must have no side effects. */
  readonly notifications: readonly Notification[];
  /** Rules whose action is `audit` and that found something: for the log only. */
  readonly audited: readonly string[];
  /** Short label for logs and metrics. */
  readonly outcome: 'allowed' | 'denied' | 'warned' | 'exempt' | 'not-applicable';
}

interface Finding {
  readonly rule: CompiledRule;
  readonly violation: Violation;
}

const notApplicable: Decision = {
  allowed: true,
  warnings: [],
  notifications: [],
  audited: [],
  outcome: 'not-applicable',
};

export function decide(
  request: AdmissionRequest,
  target: AdmissionTarget,
  policy: Policy,
  context: DecisionContext,
): Decision {
  if (target.type === 'other') return notApplicable;
  // Deletion in progress: the API server and garbage collector update finalizers and
  // deletionTimestamp. Blocking those would wedge the delete; nothing to check.
  if (target.object.metadata?.deletionTimestamp) return notApplicable;
  const input = toRuleInput(request, target);
  const name = describeName(request, target.object);
  if (isExempt(policy, request, name)) return { ...notApplicable, outcome: 'exempt' };

  const viaScale = target.type === 'scale';
  const rules = policy.rules.filter(
    (rule) =>
      (!viaScale || rule.checksScale) && ruleMatches(rule.match, target.kind, request.namespace ?? '', input.labels),
  );
  if (rules.length === 0 && !policy.notifications.kinds.includes(target.kind)) return notApplicable;
  const findings: Finding[] = rules.flatMap((rule) => rule.check(input).map((violation) => ({ rule, violation })));
  const subject = describeSubject(request, target.kind, name, context, viaScale ? 'scale' : undefined);
  const denials = findings.filter((finding) => finding.rule.action === 'deny');
  const warnings = findings
    .filter((finding) => finding.rule.action === 'warn')
    .map((finding) => finding.violation.message);
  const audited = findings.filter((finding) => finding.rule.action === 'audit').map((finding) => finding.rule.name);
  const flagged = findings.filter((finding) => finding.rule.action !== 'deny' && finding.rule.notify);

  let decision: Decision;
  if (denials.length > 0 && changesWhatRulesCheck(target)) {
    decision = deny(subject, denials, warnings, audited);
  } else {
    // An object that already breaks a rule, touched without changing its spec (labels,
    // finalizers, a GitOps re-apply): denying would wedge controllers and text ops
    // every sync. Allow it, and tell whoever sent it.
    const standing = denials.map(({ rule, violation }) => standingWarning(input, rule, violation));
    const allWarnings = [...standing, ...warnings];
    const notifications: Notification[] = [
      ...flagged.map(({ violation }) => ({
        ...subject,
        type: 'flagged' as const,
        reason: violation.reason,
        fix: violation.fix,
      })),
      ...(standing.length === 0 ? describeAdmitted(request, target, policy, subject) : []),
    ];
    decision = {
      allowed: true,
      warnings: allWarnings,
      notifications,
      audited,
      outcome: allWarnings.length > 0 ? 'warned' : 'allowed',
    };
  }
  return request.dryRun === true ? { ...decision, notifications: [] } : decision;
}

function deny(
  subject: NotificationSubject,
  denials: readonly Finding[],
  warnings: readonly string[],
  audited: readonly string[],
): Decision {
  const notifying = denials.filter((finding) => finding.rule.notify);
  const notifications: Notification[] =
    notifying.length === 0
      ? []
      : [
          {
            ...subject,
            type: 'blocked',
            reason: notifying.map((finding) => finding.violation.reason).join('; '),
            fix: (notifying[0] as Finding).violation.fix,
          },
        ];
  const violations = denials.map((finding) => finding.violation.message);
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

/** Whether the request changes anything rules look at: the spec, or the scale. */
function changesWhatRulesCheck(target: Exclude<AdmissionTarget, { type: 'other' }>): boolean {
  if (!target.oldObject) return true;
  if (target.type === 'scale') return (target.oldObject.spec?.replicas ?? 0) !== (target.object.spec?.replicas ?? 0);
  return !isDeepStrictEqual(target.oldObject.spec, target.object.spec);
}

function standingWarning(input: RuleInput, rule: CompiledRule, violation: Violation): string {
  return (
    violation.standing ?? `${input.subject} breaks ${rule.name} (${violation.reason}); spec changes will be denied`
  );
}

/** "New application" and "changed application" texts for admitted requests. */
function describeAdmitted(
  request: AdmissionRequest,
  target: Exclude<AdmissionTarget, { type: 'other' }>,
  policy: Policy,
  subject: NotificationSubject,
): Notification[] {
  const { notifications } = policy;
  if (!notifications.kinds.includes(target.kind)) return [];
  if (target.type === 'scale') {
    const [before, after] = [target.oldObject?.spec?.replicas ?? 0, target.object.spec?.replicas ?? 0];
    if (!notifications.changed || !target.oldObject || before === after) return [];
    return [{ ...subject, type: 'changed', changes: [`replicas ${before} -> ${after}`] }];
  }
  if (request.operation === 'CREATE' || !target.oldObject) {
    if (!notifications.created) return [];
    const containers = podTemplateOf(target.kind, target.object).spec?.containers ?? [];
    const images = containers.map((container) => ({ container: container.name, image: container.image ?? '' }));
    return [{ ...subject, type: 'created', replicas: replicasOf(target.kind, target.object) ?? 1, images }];
  }
  if (!notifications.changed) return [];
  const changes = describeWorkloadChanges(target.kind, target.oldObject, target.object);
  return changes.length > 0 ? [{ ...subject, type: 'changed', changes }] : [];
}

function toRuleInput(request: AdmissionRequest, target: Exclude<AdmissionTarget, { type: 'other' }>): RuleInput {
  const name = describeName(request, target.object);
  const subject = `${target.kind.toLowerCase()} ${request.namespace ? `${request.namespace}/` : ''}${name}`;
  const labels = (target.object.metadata?.labels ?? {}) as Record<string, unknown>;
  if (target.type === 'scale') {
    // autoscaling/v1 ScaleSpec.replicas is omitempty: absent means 0.
    return {
      kind: target.kind,
      subject,
      request,
      object: target.object,
      oldObject: target.oldObject,
      labels,
      template: undefined,
      podSpec: undefined,
      replicas: target.object.spec?.replicas ?? 0,
      replicasDefaulted: false,
      viaScale: true,
    };
  }
  const template = podTemplateOf(target.kind, target.object);
  return {
    kind: target.kind,
    subject,
    request,
    object: target.object,
    oldObject: target.oldObject,
    labels,
    template,
    podSpec: template.spec ?? {},
    replicas: replicasOf(target.kind, target.object),
    replicasDefaulted: (target.object as Deployment).spec?.replicas == null,
    viaScale: false,
  };
}

function describeName(request: AdmissionRequest, object: Workload | { metadata?: Workload['metadata'] }): string {
  const metadata = object.metadata;
  return (
    request.name || metadata?.name || (metadata?.generateName ? `${metadata.generateName}(generated)` : '(unnamed)')
  );
}

function describeSubject(
  request: AdmissionRequest,
  kind: WorkloadKind,
  name: string,
  context: DecisionContext,
  subResource: 'scale' | undefined,
): NotificationSubject {
  return {
    cluster: context.cluster,
    kind,
    namespace: request.namespace ?? '',
    name,
    operation: request.operation === 'CREATE' ? 'CREATE' : 'UPDATE',
    subResource,
    user: request.userInfo?.username || '(unknown user)',
    uid: request.uid,
    at: context.now.toISOString(),
  };
}
