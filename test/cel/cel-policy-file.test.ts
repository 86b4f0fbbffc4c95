// A policy file with a CEL rule in ValidatingAdmissionPolicy form, read as the function
// app reads it (YAML, schema, compile), and its errors, naming the file and the rule.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import { deployment, inputFor } from './cel-rule-harness.js';

/** The example rule of the README's "CEL rules" section. */
function readmeExample(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^### CEL rules$/m)[1] ?? '';
  return section.split('```yaml\n')[1]?.split('```')[0] ?? '';
}

const header = 'apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\n';

const vapRule = `${header}rules:
  - name: replicas-in-range
    builtin: cel
    failurePolicy: Ignore
    params: { maxReplicas: 10 }
    variables:
      - name: replicas
        expression: "object.spec.?replicas.orValue(1)"
    matchConditions:
      - name: not-kube-system
        expression: "request.namespace != 'kube-system'"
    validations:
      - expression: "variables.replicas <= params.maxReplicas"
        messageExpression: "'at most ' + string(params.maxReplicas) + ' replicas, not ' + string(variables.replicas)"
        reason: Invalid
`;

describe('a policy file with a CEL rule in ValidatingAdmissionPolicy form', () => {
  it('loads, with the rule compiled', () => {
    const { policy } = parsePolicyText('policy.yaml', vapRule);
    expect(policy.rules.map((rule) => rule.name)).toEqual(['replicas-in-range']);
  });

  it.each([
    [
      'a validation that is not a bool',
      'variables.replicas <= params.maxReplicas',
      'variables.replicas + 1',
      /rule replicas-in-range: validations\[0\]\.expression gives an int, not a bool/,
    ],
    [
      'an unknown field of the rule',
      '    reason: Invalid',
      '    reason: Invalid\n        severity: high',
      /validations\[0\]: Unrecognized key: "severity"/,
    ],
    ['a bad failure policy', 'failurePolicy: Ignore', 'failurePolicy: Sometimes', /failurePolicy: Invalid option/],
  ])('refuses %s, naming where', (_what, from, to, message) => {
    expect(() => parsePolicyText('policy.yaml', vapRule.replace(from, to))).toThrow(message);
  });

  it('loads the README example, which allows an image from the registry and denies 12 replicas', () => {
    const { policy } = parsePolicyText('policy.yaml', `${header}rules:\n${readmeExample()}`);
    const [rule] = policy.rules;
    const image = (replicas: number) => deployment(replicas, [{ name: 'web', image: 'myregistry.azurecr.io/web:1' }]);
    expect(rule?.check(inputFor(image(3)))).toEqual([]);
    expect(rule?.check(inputFor(image(12))).map((violation) => violation.message)).toEqual([
      'deployment shop/web: at most 10 replicas, not 12 (Invalid)',
    ]);
  });
});
