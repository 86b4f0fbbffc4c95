// What admission-check treats as sent to the webhook is what the registration in
// deploy/kubernetes/components/webhook asks for: its namespaceSelector's exclusions here,
// its rules through the kernel's webhookScope (test/deploy/webhook-scope.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { excludedNamespaces, scopeRules, skipLabel, whyNotSent } from '../../deploy/admission-check/webhook-filter.js';

const selector = z.object({
  webhooks: z.array(
    z.looseObject({
      namespaceSelector: z.object({
        matchExpressions: z.array(
          z.object({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() }),
        ),
      }),
    }),
  ),
});

describe('the webhook filter', () => {
  it("excludes exactly the namespaces the webhook's namespaceSelector excludes, and honours its opt-out label", () => {
    const text = readFileSync('deploy/kubernetes/components/webhook/validatingwebhookconfiguration.yaml', 'utf8');
    const [webhook] = selector.parse(parse(text)).webhooks;
    const expressions = webhook?.namespaceSelector.matchExpressions ?? [];
    expect(expressions).toContainEqual({
      key: 'kubernetes.io/metadata.name',
      operator: 'NotIn',
      values: [...excludedNamespaces],
    });
    expect(expressions).toContainEqual({ key: skipLabel, operator: 'DoesNotExist' });
  });

  it.each([
    [
      'a Deployment CREATE in shop',
      { group: 'apps', resource: 'deployments', operation: 'CREATE', namespace: 'shop' },
      undefined,
    ],
    [
      'a Deployment scale',
      { group: 'apps', resource: 'deployments', subResource: 'scale', operation: 'UPDATE', namespace: 'shop' },
      undefined,
    ],
    [
      'a Deployment DELETE',
      { group: 'apps', resource: 'deployments', operation: 'DELETE', namespace: 'shop' },
      'the webhook is not registered for DELETE of deployments',
    ],
    [
      'a Pod CREATE',
      { group: '', resource: 'pods', operation: 'CREATE', namespace: 'shop' },
      'the webhook is not registered for pods',
    ],
    [
      'a Deployment in kube-system',
      { group: 'apps', resource: 'deployments', operation: 'CREATE', namespace: 'kube-system' },
      "namespace kube-system is excluded by the webhook's namespaceSelector",
    ],
  ] as const)('decides whether the webhook is sent %s', (_what, address, expected) => {
    expect(whyNotSent(scopeRules('webhook'), address)).toBe(expected);
  });

  it('sends Pods too with components/all-workloads', () => {
    const pod = { group: '', resource: 'pods', operation: 'CREATE', namespace: 'shop' } as const;
    expect(whyNotSent(scopeRules('all-workloads'), pod)).toBeUndefined();
  });
});
