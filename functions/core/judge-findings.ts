// Allowed, denied or warned, from what the rules found: deny rules deny, warn rules
// warn, audit rules are only logged. One tolerance: an object that already broke a
// deny rule, touched without changing anything but its metadata, is allowed with a
// warning for that rule. Only for that rule: the old object must have broken the
// same rule, so an update cannot break a rule (drop a required label) unseen.
import { isDeepStrictEqual } from 'node:util';
import type { Finding } from './decision.js';
import type { WorkloadTarget } from './workload.js';

interface Judged {
  readonly warnings: readonly string[];
  /** Names of the audit rules that found something. */
  readonly audited: readonly string[];
}

export type Verdict =
  | (Judged & { readonly allowed: false; readonly denials: readonly Finding[] })
  | (Judged & {
      readonly allowed: true;
      /** Deny findings let through because the object already broke them. */
      readonly tolerated: readonly Finding[];
      /** Warn and audit findings whose rule notifies. */
      readonly flagged: readonly Finding[];
    });

/** Whether the old object broke the rule of this finding too. */
export type BrokeBefore = (finding: Finding) => boolean;

export function judgeFindings(findings: readonly Finding[], target: WorkloadTarget, brokeBefore: BrokeBefore): Verdict {
  const denials = findings.filter((finding) => finding.rule.action === 'deny');
  const warnings = findings
    .filter((finding) => finding.rule.action === 'warn')
    .map((finding) => finding.violation.message);
  const audited = findings.filter((finding) => finding.rule.action === 'audit').map((finding) => finding.rule.name);
  const changed = denials.length > 0 && changesWhatRulesCheck(target);
  const blocking = changed ? denials : denials.filter((finding) => !brokeBefore(finding));
  if (blocking.length > 0) return { allowed: false, denials: blocking, warnings, audited };
  // An object that already broke a rule, touched without changing its spec (labels,
  // finalizers, a GitOps re-apply): denying would wedge controllers and text ops
  // every sync. Allow it, and tell whoever sent it.
  const standing = denials.map(({ rule, violation }) => {
    const fallback = `${target.workload.subject} breaks ${rule.name} (${violation.reason}); spec changes will be denied`;
    return violation.standing ?? fallback;
  });
  return {
    allowed: true,
    tolerated: denials,
    flagged: findings.filter((finding) => finding.rule.action !== 'deny' && finding.rule.notify),
    warnings: [...standing, ...warnings],
    audited,
  };
}

/**
 * Whether the request changes anything but metadata (and status): a workload's spec,
 * a ConfigMap's data, a Scale's count. Without an old object (a CREATE, a DELETE),
 * everything is new.
 */
function changesWhatRulesCheck({ object, oldObject, workload, oldWorkload }: WorkloadTarget): boolean {
  if (!oldObject || !oldWorkload) return true;
  if (workload.viaScale) return oldWorkload.replicas?.count !== workload.replicas?.count;
  return !isDeepStrictEqual(withoutMetadata(oldObject), withoutMetadata(object));
}

function withoutMetadata(object: object): object {
  const { metadata: _metadata, status: _status, ...rest } = { metadata: undefined, status: undefined, ...object };
  return rest;
}
