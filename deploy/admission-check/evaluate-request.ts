// One request through the kernel exactly as the function app decides it (readTarget,
// then decide), and each rule's own answer: the same decide() with that rule alone,
// so every message is tied to the rule that wrote it. A request the webhook is never
// sent is reported as such, not decided.
import {
  type AdmissionRequest,
  type Decision,
  decide,
  type Policy,
  readTarget,
  type WebhookRule,
} from '../../functions/core/index.js';
import { whyNotSent } from './webhook-filter.js';

export type RuleAction = Policy['rules'][number]['action'];
/** What a rule that found something does with it: deny, warn, or audit (log only). */
export type RuleVerdict = 'deny' | 'warn' | 'audit';

export interface RuleResult {
  readonly rule: string;
  readonly action: RuleAction;
  readonly result: RuleVerdict;
  readonly messages: readonly string[];
}

export type Outcome = Decision['outcome'] | 'not-sent';

export interface Evaluation {
  readonly outcome: Outcome;
  /** Why the webhook is not sent this request (outcome not-sent). */
  readonly note?: string;
  readonly violations: readonly string[];
  readonly warnings: readonly string[];
  /** The rules that found something, each with its own answer (none for an object allowed without a word). */
  readonly rules: readonly RuleResult[];
}

const context = { cluster: undefined, now: new Date(0) };

export function evaluateRequest(
  request: AdmissionRequest,
  policy: Policy,
  scope: readonly WebhookRule[],
): { value: Evaluation } | { error: string } {
  const note = whyNotSent(scope, {
    group: request.resource.group,
    resource: request.resource.resource,
    subResource: request.subResource,
    operation: request.operation,
    namespace: request.namespace ?? '',
  });
  if (note) return { value: { outcome: 'not-sent', note, violations: [], warnings: [], rules: [] } };
  const target = readTarget(request);
  if ('error' in target) return { error: target.error.replace(/^request\.object/, 'object') };
  const decision = decide(request, target.value, policy, context);
  // Allowed without a warning or an audit finding: no rule found anything, so there is
  // nothing to attribute (and a clean object costs one decision, not one per rule).
  const clean = decision.allowed && decision.warnings.length === 0 && decision.audited.length === 0;
  const rules = (clean ? [] : policy.rules).flatMap((rule): RuleResult[] => {
    // The rule alone, and no texts to compose: "not-applicable" then means it does not match.
    const alone: Policy = { ...policy, rules: [rule], notifications: { ...policy.notifications, kinds: [] } };
    const own = decide(request, target.value, alone, context);
    if (own.outcome === 'not-applicable' || own.outcome === 'exempt') return [];
    const base = { rule: rule.name, action: rule.action };
    if (own.outcome === 'denied') return [{ ...base, result: 'deny', messages: own.violations ?? [] }];
    if (own.outcome === 'warned') return [{ ...base, result: 'warn', messages: own.warnings }];
    if (own.audited.includes(rule.name)) return [{ ...base, result: 'audit', messages: [] }];
    return [];
  });
  return {
    value: {
      outcome: decision.outcome,
      violations: decision.violations ?? [],
      warnings: decision.warnings,
      rules,
    },
  };
}
