// Runs an exported ValidatingAdmissionPolicy and its binding the way the API server
// would, on the engine's CEL: the match (resources, operations, namespace and object
// selectors) here, its matchConditions, variables and validations compiled and run by
// the kernel's CEL rule compiler (compileCelRule: parse, type check, cost estimate).
// And the engine's own answer for the same rule, to compare them.
import { parse } from 'yaml';
import type { AdmissionRequest } from '../../functions/core/admission-review.js';
import { decide } from '../../functions/core/decide.js';
import { compileCelRule } from '../../functions/core/policy/cel-rule.js';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import type { LabelSelector, RuleInput } from '../../functions/core/rules/rule.js';
import { selects } from '../../functions/core/rules/rule-match.js';
import { readTarget } from '../../functions/core/workload.js';

export interface Vap {
  metadata: { name: string };
  spec: {
    failurePolicy: 'Fail' | 'Ignore';
    matchConstraints: {
      resourceRules: { apiGroups: string[]; resources: string[]; operations: string[] }[];
      namespaceSelector?: LabelSelector;
      objectSelector?: LabelSelector;
    };
    matchConditions: { name: string; expression: string }[];
    variables: { name: string; expression: string }[];
    validations: { expression: string; message?: string; messageExpression?: string; reason?: string }[];
  };
}

export interface Binding {
  spec: { validationActions: string[]; matchResources: { namespaceSelector: LabelSelector } };
}

/** The rule compiled by the engine's CEL compiler; throws naming the expression that does not compile. */
export function compileVap(vap: Vap) {
  const { variables, validations, matchConditions, failurePolicy } = vap.spec;
  return compileCelRule({ name: vap.metadata.name, variables, validations, matchConditions, failurePolicy });
}

function labelsOf(object: unknown): Map<string, string> {
  const labels = (object as { metadata?: { labels?: Record<string, string> } } | null)?.metadata?.labels ?? {};
  return new Map(Object.entries(labels));
}

/** A selector as the API server reads it: absent parts are empty. */
function filled(selector: Partial<LabelSelector>): LabelSelector {
  const matchExpressions = (selector.matchExpressions ?? []).map((requirement) => ({
    ...requirement,
    values: requirement.values ?? [],
  }));
  return { matchLabels: selector.matchLabels ?? {}, matchExpressions };
}

function selectsNamespace(selector: LabelSelector | undefined, request: AdmissionRequest, labels: object): boolean {
  const namespace = request.namespace || (request.kind.kind === 'Namespace' ? (request.name ?? '') : '');
  if (selector === undefined || namespace === '') return true;
  return selects(filled(selector), new Map([...Object.entries(labels), ['kubernetes.io/metadata.name', namespace]]));
}

function matchesResources(vap: Vap, request: AdmissionRequest): boolean {
  const { group, resource } = request.resource;
  const wanted = request.subResource ? `${resource}/${request.subResource}` : resource;
  return vap.spec.matchConstraints.resourceRules.some(
    (rule) =>
      (rule.apiGroups.includes(group) || rule.apiGroups.includes('*')) &&
      (rule.resources.includes(wanted) || (rule.resources.includes('*') && !request.subResource)) &&
      rule.operations.includes(request.operation),
  );
}

/** `undefined` when the policy does not apply; else the messages of the validations that failed. */
export function runVap(vap: Vap, binding: Binding, request: AdmissionRequest, namespaceLabels: object = {}) {
  const { namespaceSelector, objectSelector } = vap.spec.matchConstraints;
  if (!matchesResources(vap, request)) return undefined;
  if (!selectsNamespace(namespaceSelector, request, namespaceLabels)) return undefined;
  if (!selectsNamespace(binding.spec.matchResources.namespaceSelector, request, namespaceLabels)) return undefined;
  const object = request.operation === 'DELETE' ? null : (request.object ?? null);
  const oldObject = request.operation === 'DELETE' ? request.object : (request.oldObject ?? null);
  if (
    objectSelector !== undefined &&
    !selects(filled(objectSelector), labelsOf(object)) &&
    !selects(filled(objectSelector), labelsOf(oldObject))
  )
    return undefined;
  const input = { workload: { subject: 'vap' }, request, object, oldObject } as unknown as RuleInput;
  return compileVap(vap)(input).map((violation) => violation.message.replace(/^vap: /, ''));
}

/** What the engine answers for the one rule: denied, warned, audited, or nothing found. */
export function runEngine(policyText: string, ruleName: string, request: AdmissionRequest, namespaceLabels = {}) {
  const file = parse(policyText);
  const rule = file.rules.find((candidate: { name: string }) => candidate.name === ruleName);
  const only = JSON.stringify({ ...file, rules: [rule], notifications: { created: false, changed: false } });
  const { policy } = parsePolicyText('policy.yaml', only);
  const target = readTarget(request);
  if ('error' in target) throw new Error(target.error);
  const namespaceObject = { metadata: { name: request.namespace, labels: namespaceLabels } };
  const decision = decide(request, target.value, policy, { cluster: undefined, now: new Date(0), namespaceObject });
  if (decision.audited.length > 0) return 'audit';
  return decision.outcome === 'denied' ? 'deny' : decision.outcome === 'warned' ? 'warn' : 'allow';
}

/** The exported rule's answer in the engine's words. */
export function vapOutcome(vap: Vap, binding: Binding, request: AdmissionRequest, namespaceLabels = {}) {
  const messages = runVap(vap, binding, request, namespaceLabels);
  if (messages === undefined || messages.length === 0) return 'allow';
  const [action] = binding.spec.validationActions;
  return action === 'Deny' ? 'deny' : action === 'Warn' ? 'warn' : 'audit';
}
