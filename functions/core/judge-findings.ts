// Allowed, denied or warned, from what the rules found: deny rules deny, warn rules
// warn, audit rules are only logged. One tolerance: an object that already breaks a
// deny rule, touched without changing what rules check, is allowed with a warning.
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

export function judgeFindings(findings: readonly Finding[], target: WorkloadTarget): Verdict {
  const denials = findings.filter((finding) => finding.rule.action === 'deny');
  const warnings = findings
    .filter((finding) => finding.rule.action === 'warn')
    .map((finding) => finding.violation.message);
  const audited = findings.filter((finding) => finding.rule.action === 'audit').map((finding) => finding.rule.name);
  if (denials.length > 0 && changesWhatRulesCheck(target)) return { allowed: false, denials, warnings, audited };
  // An object that already breaks a rule, touched without changing its spec (labels,
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

/** Whether the request changes anything rules look at: the spec, or the scale. */
function changesWhatRulesCheck({ object, oldObject, workload, oldWorkload }: WorkloadTarget): boolean {
  if (!oldObject || !oldWorkload) return true;
  if (workload.viaScale) return oldWorkload.replicas?.count !== workload.replicas?.count;
  return !isDeepStrictEqual(oldObject.spec, object.spec);
}
