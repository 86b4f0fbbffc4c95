// Where an exported rule applies, in a ValidatingAdmissionPolicy's words: its kinds as
// resourceRules, its operations, its objectSelector, and its namespaces. Exact
// namespace names become a namespaceSelector on kubernetes.io/metadata.name (the label
// the API server puts on every Namespace); patterns (`prod-*`), and names when
// cluster-scoped objects may match (a namespaceSelector lets those through, the engine
// does not), become matchConditions with an RE2 regex. The policy's exemptions
// (namespaces, names, users, groups) become one matchCondition on the request.
import {
  type Operation,
  type PolicyFile,
  type RuleDefinition,
  seesEphemeralContainers,
} from '../../functions/core/index.js';
import { celMatchesAny } from './cel-text.js';
import { matchKinds, type ResourceRule } from './vap-kinds.js';

/** A label selector as the policy file writes it (objectSelector, namespaceSelector). */
type LabelSelectorDefinition = NonNullable<RuleDefinition['match']['namespaceSelector']>;

export interface MatchCondition {
  readonly name: string;
  readonly expression: string;
}

export interface MatchConstraints {
  readonly resourceRules: ResourceRule[];
  readonly matchPolicy: 'Equivalent';
  readonly namespaceSelector?: LabelSelectorDefinition;
  readonly objectSelector?: LabelSelectorDefinition;
}

export interface ExportedMatch {
  readonly matchConstraints: MatchConstraints;
  readonly matchConditions: MatchCondition[];
}

/** The namespace the engine matches: the request's, or a Namespace's own name. */
export const namespaceName =
  "(request.namespace != '' ? request.namespace : request.kind.kind == 'Namespace' ? request.name : '')";

const nameLabel = 'kubernetes.io/metadata.name';

/** Names a policy file's own matchConditions cannot take (they have no `/`), so never clash. */
export const conditionPrefix = 'admission.serverless.io/';

export function exportMatch(
  rule: RuleDefinition,
  kinds: readonly string[],
  exemptions: PolicyFile['exemptions'],
): ExportedMatch {
  const operations: Operation[] = rule.match.operations ?? ['CREATE', 'UPDATE'];
  const kindMatch = matchKinds(kinds, operations, {
    scale: rule.builtin === 'minimum-replicas',
    ephemeralContainers: seesEphemeralContainers(rule.builtin, rule.match.kinds), // as the engine decides
  });
  const { include, exclude } = rule.match.namespaces;
  const includeBySelector = include.every(isExactName) && !kindMatch.clusterScoped;
  const excludeBySelector = exclude.every(isExactName);
  const requirements = [
    ...(include.length > 0 && includeBySelector ? [{ key: nameLabel, operator: 'In' as const, values: include }] : []),
    ...(exclude.length > 0 && excludeBySelector
      ? [{ key: nameLabel, operator: 'NotIn' as const, values: exclude }]
      : []),
  ];
  const conditions: (MatchCondition | undefined)[] = [
    {
      name: `${conditionPrefix}not-being-deleted`,
      expression: 'object == null || !has(object.metadata) || !has(object.metadata.deletionTimestamp)',
    },
    exemptionCondition(exemptions),
    kindMatch.kindCondition === undefined
      ? undefined
      : { name: `${conditionPrefix}kinds`, expression: kindMatch.kindCondition },
    include.length > 0 && !includeBySelector
      ? { name: `${conditionPrefix}namespaces-include`, expression: celMatchesAny(namespaceName, include) }
      : undefined,
    exclude.length > 0 && !excludeBySelector
      ? { name: `${conditionPrefix}namespaces-exclude`, expression: `!(${celMatchesAny(namespaceName, exclude)})` }
      : undefined,
  ];
  const namespaceSelector = withRequirements(rule.match.namespaceSelector, requirements);
  const objectSelector = rule.match.objectSelector ?? rule.match.labelSelector;
  return {
    matchConstraints: {
      resourceRules: kindMatch.resourceRules,
      matchPolicy: 'Equivalent',
      ...(namespaceSelector === undefined ? {} : { namespaceSelector }),
      ...(objectSelector === undefined ? {} : { objectSelector: compactSelector(objectSelector) }),
    },
    matchConditions: conditions.filter((condition) => condition !== undefined),
  };
}

function isExactName(pattern: string): boolean {
  return !pattern.includes('*');
}

function withRequirements(
  selector: LabelSelectorDefinition | undefined,
  requirements: LabelSelectorDefinition['matchExpressions'],
): LabelSelectorDefinition | undefined {
  if (selector === undefined && requirements.length === 0) return undefined;
  const base = selector ?? { matchLabels: {}, matchExpressions: [] };
  return compactSelector({ ...base, matchExpressions: [...base.matchExpressions, ...requirements] });
}

/** Exists and DoesNotExist with no values: the API server refuses values for them. */
function compactSelector(selector: LabelSelectorDefinition): LabelSelectorDefinition {
  const matchExpressions = selector.matchExpressions.map(({ key, operator, values }) =>
    operator === 'Exists' || operator === 'DoesNotExist' ? { key, operator, values: [] } : { key, operator, values },
  );
  return { matchLabels: selector.matchLabels, matchExpressions };
}

/** An exemption matches when every list it sets matches; the request is exempt when any does. */
function exemptionCondition(exemptions: PolicyFile['exemptions']): MatchCondition | undefined {
  if (exemptions.length === 0) return undefined;
  const entries = exemptions.map((exemption) => {
    const parts = [
      exemption.namespaces.length > 0 ? celMatchesAny(namespaceName, exemption.namespaces) : undefined,
      exemption.names.length > 0 ? celMatchesAny('request.name', exemption.names) : undefined,
      exemption.users.length > 0 ? celMatchesAny('request.userInfo.username', exemption.users) : undefined,
      exemption.groups.length > 0
        ? `request.userInfo.groups.exists(group, ${celMatchesAny('group', exemption.groups)})`
        : undefined,
    ].filter((part) => part !== undefined);
    return parts.length === 0 ? 'true' : `(${parts.join(' && ')})`;
  });
  return { name: `${conditionPrefix}not-exempt`, expression: `!(${entries.join(' || ')})` };
}
