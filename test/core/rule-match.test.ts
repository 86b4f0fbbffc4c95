import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../functions/core/patterns.js';
import type { RuleMatch } from '../../functions/core/rules/rule.js';
import { ruleMatches } from '../../functions/core/rules/rule-match.js';
import type { WorkloadKind } from '../../functions/core/workload-kinds.js';

function match(overrides: Partial<RuleMatch> = {}): RuleMatch {
  return {
    kinds: ['Deployment'],
    includeNamespaces: [compilePattern('*')],
    excludeNamespaces: [],
    labelSelector: undefined,
    ...overrides,
  };
}

describe('ruleMatches', () => {
  it.each<[string, Partial<RuleMatch>, WorkloadKind, string, Record<string, string>, boolean]>([
    ['matches a listed kind anywhere', {}, 'Deployment', 'shop', {}, true],
    ['skips a kind it does not list', {}, 'StatefulSet', 'shop', {}, false],
    ['includes by pattern', { includeNamespaces: [compilePattern('prod-*')] }, 'Deployment', 'prod-eu', {}, true],
    [
      'skips a namespace not included',
      { includeNamespaces: [compilePattern('prod-*')] },
      'Deployment',
      'dev',
      {},
      false,
    ],
    [
      'excludes win over includes',
      { excludeNamespaces: [compilePattern('prod-sandbox')] },
      'Deployment',
      'prod-sandbox',
      {},
      false,
    ],
    [
      'treats dots in patterns literally',
      { includeNamespaces: [compilePattern('a.b')] },
      'Deployment',
      'axb',
      {},
      false,
    ],
    [
      'selects by matchLabels',
      { labelSelector: { matchLabels: { tier: 'web' }, matchExpressions: [] } },
      'Deployment',
      'shop',
      { tier: 'web' },
      true,
    ],
    [
      'skips when matchLabels differ',
      { labelSelector: { matchLabels: { tier: 'web' }, matchExpressions: [] } },
      'Deployment',
      'shop',
      { tier: 'db' },
      false,
    ],
    [
      'selects with In',
      {
        labelSelector: { matchLabels: {}, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] },
      },
      'Deployment',
      'shop',
      { tier: 'api' },
      true,
    ],
    [
      'selects with NotIn, also when the label is absent',
      { labelSelector: { matchLabels: {}, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] } },
      'Deployment',
      'shop',
      {},
      true,
    ],
    [
      'selects with Exists',
      { labelSelector: { matchLabels: {}, matchExpressions: [{ key: 'owner', operator: 'Exists', values: [] }] } },
      'Deployment',
      'shop',
      { owner: 'x' },
      true,
    ],
    [
      'skips with DoesNotExist when present',
      {
        labelSelector: { matchLabels: {}, matchExpressions: [{ key: 'owner', operator: 'DoesNotExist', values: [] }] },
      },
      'Deployment',
      'shop',
      { owner: 'x' },
      false,
    ],
  ])('%s', (_sentence, overrides, kind, namespace, labels, expected) => {
    expect(ruleMatches(match(overrides), kind, namespace, new Map(Object.entries(labels)))).toBe(expected);
  });
});
