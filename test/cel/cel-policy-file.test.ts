// A policy file with a CEL rule in ValidatingAdmissionPolicy form, read as the function
// app reads it (YAML, schema, compile), and its errors, naming the file and the rule.
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';

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
});
