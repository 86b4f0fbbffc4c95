// The policy as native ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
// objects (admissionregistration.k8s.io/v1, GA in Kubernetes 1.30): one policy and one
// binding per rule, in the policy file's order. Built-in rules become CEL
// (vap-builtin-cel.ts), `cel` rules keep theirs (vap-cel-rule.ts); the match, the
// exemptions and the action carry over (vap-match.ts). The binding leaves out what the
// webhook registration is never sent (the system namespaces, namespaces labelled
// admission.serverless.io/skip), so the cluster enforces the same rules either way.
// What a ValidatingAdmissionPolicy cannot do is listed: rules it cannot express, and
// the webhook's features it has no word for.
import type { PolicyFile, RuleDefinition } from '../../functions/core/index.js';
import { builtinCel, type RuleCel } from './vap-builtin-cel.js';
import { exportCelRule, runsOnPodViews } from './vap-cel-rule.js';
import { replicatedKinds, workloadKinds } from './vap-kinds.js';
import { exportMatch, type MatchCondition } from './vap-match.js';
import { excludedNamespaces, skipLabel } from './webhook-filter.js';

export interface ExportedRule {
  readonly rule: string;
  /** The ValidatingAdmissionPolicy, then its binding. */
  readonly documents: readonly [Record<string, unknown>, Record<string, unknown>];
}

export interface NotExported {
  readonly rule: string;
  readonly reason: string;
}

export interface VapExport {
  readonly exported: readonly ExportedRule[];
  readonly notExported: readonly NotExported[];
}

const actions = { deny: 'Deny', warn: 'Warn', audit: 'Audit' } as const;
const labels = {
  'app.kubernetes.io/part-of': 'serverless-admission',
  'app.kubernetes.io/managed-by': 'admission-check',
};

/** The name of a rule's policy and binding. */
export function vapName(rule: string): string {
  return `serverless-admission-${rule}`;
}

/** The rules and exemptions of a policy file, as the kernel's schema reads them. */
export type ExportedPolicy = Pick<PolicyFile, 'rules' | 'exemptions'>;

export function exportVap(policy: ExportedPolicy): VapExport {
  const exported: ExportedRule[] = [];
  const notExported: NotExported[] = [];
  for (const rule of policy.rules) {
    const result = exportRule(rule, policy.exemptions);
    if ('reason' in result) notExported.push({ rule: rule.name, reason: result.reason });
    else exported.push(result);
  }
  return { exported, notExported };
}

function exportRule(rule: RuleDefinition, exemptions: PolicyFile['exemptions']): ExportedRule | NotExported {
  const named = rule.match.kinds ?? (rule.builtin === 'minimum-replicas' ? replicatedKinds : workloadKinds);
  const kinds = runsOnPodViews(rule) ? [...new Set([...named, ...workloadKinds])] : named;
  const match = exportMatch(rule, kinds, exemptions);
  let cel: RuleCel;
  let ownConditions: MatchCondition[] = [];
  const builtin = builtinCel(rule);
  if (builtin !== undefined) cel = builtin;
  else if (rule.builtin === 'cel') {
    const translated = exportCelRule(rule);
    if ('reason' in translated) return { rule: rule.name, reason: translated.reason };
    cel = translated.cel;
    ownConditions = translated.matchConditions;
  } else return { rule: rule.name, reason: `the built-in ${rule.builtin} has no CEL translation in this release` };
  const name = vapName(rule.name);
  const annotations = { 'admission.serverless.io/rule': rule.name };
  const vap = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name, labels, annotations },
    spec: {
      failurePolicy: rule.failurePolicy,
      matchConstraints: match.matchConstraints,
      matchConditions: [...match.matchConditions, ...ownConditions],
      variables: cel.variables,
      validations: cel.validations,
    },
  };
  const binding = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name, labels, annotations },
    spec: {
      policyName: name,
      validationActions: [actions[rule.action]],
      matchResources: {
        namespaceSelector: {
          matchExpressions: [
            { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...excludedNamespaces] },
            { key: skipLabel, operator: 'DoesNotExist' },
          ],
        },
      },
    },
  };
  return { rule: rule.name, documents: [vap, binding] };
}

/** What the webhook does that no ValidatingAdmissionPolicy can, for the rules exported. */
export function describeDifferences(policy: ExportedPolicy, exported: readonly ExportedRule[]): string[] {
  const rules = policy.rules.filter((rule) => exported.some((item) => item.rule === rule.name));
  const notes: string[] = [];
  if (rules.some((rule) => rule.notify ?? rule.action === 'deny'))
    notes.push('texts (notify, notifications) are not exported: a ValidatingAdmissionPolicy cannot send them');
  if (rules.some((rule) => rule.action === 'deny'))
    notes.push(
      'an update that changes only the metadata of an object that already breaks a deny rule is denied by the exported policy; the webhook allows it with a warning',
    );
  return notes;
}
