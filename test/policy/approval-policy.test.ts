// Approve by reply in the policy file: which rules may be approved, by whom, and the
// mistakes refused at load with the rule or route named.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicyParser } from '../../functions/core/index.js';
import { shippedFiles, shippedPolicyText } from '../policies/shipped-policy.js';

const { parsePolicyText } = await loadPolicyParser();
const header = 'apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\n';

function load(text: string) {
  return parsePolicyText('policy.yaml', header + text);
}

const replicasRule = (fields: string) =>
  `rules:\n  - name: min-replicas\n    builtin: minimum-replicas\n    minimum: 3\n${fields}`;

describe('approvable and critical rules', () => {
  it('are neither by default', () => {
    const { policy } = load(replicasRule(''));
    expect(policy.rules[0]?.approvable).toBe(false);
    expect(policy.approvalRoutes).toEqual([]);
  });

  it('marks a deny rule approvable', () => {
    const { policy } = load(replicasRule('    approvable: true\n'));
    expect(policy.rules[0]?.approvable).toBe(true);
  });

  it('refuses a rule both approvable and critical, naming the rule', () => {
    expect(() => load(replicasRule('    approvable: true\n    critical: true\n'))).toThrow(
      /policy\.yaml: rule min-replicas: approvable and critical together; a security-critical rule is never approvable by reply/,
    );
  });

  it('refuses approvable on a warn or audit rule, naming the rule', () => {
    expect(() => load(replicasRule('    action: warn\n    approvable: true\n'))).toThrow(
      /rule min-replicas: approvable is for action: deny only/,
    );
    expect(() => load(replicasRule('    action: audit\n    approvable: true\n'))).toThrow(
      /rule min-replicas: approvable/,
    );
  });

  it('accepts critical alone, which changes nothing else', () => {
    const { policy } = load(replicasRule('    critical: true\n'));
    expect(policy.rules[0]).toMatchObject({ action: 'deny', approvable: false });
  });
});

describe('route approvers and the two-person rule', () => {
  const route = (fields: string) =>
    `notifications:\n  routes:\n    - namespaces: ["prod-*"]\n      to: ["+15551230009"]\n${fields}`;

  it('lists nobody by default and needs one approval', () => {
    const { policy, routes } = load(route(''));
    expect(routes[0]).toMatchObject({ approvers: [], approvals: 1 });
    expect(policy.approvalRoutes).toEqual([]);
  });

  it('compiles a route with approvers and the two-person rule', () => {
    const text = route('      approvers: ["+15551230001", "+447700900123"]\n      approvals: 2\n');
    const { policy, routes } = load(text);
    expect(routes[0]).toMatchObject({ approvers: ['+15551230001', '+447700900123'], approvals: 2 });
    expect(policy.approvalRoutes).toHaveLength(1);
    expect(policy.approvalRoutes?.[0]).toMatchObject({ approvers: ['+15551230001', '+447700900123'], required: 2 });
    expect(policy.approvalRoutes?.[0]?.namespaces.map((pattern) => pattern('prod-shop'))).toEqual([true]);
  });

  it('refuses approvers that are not E.164 numbers', () => {
    expect(() => load(route('      approvers: ["5551230001"]\n'))).toThrow(/approvers/);
  });

  it('refuses a two-person route without two different approvers, naming the route', () => {
    expect(() => load(route('      approvers: ["+15551230001", "+15551230001"]\n      approvals: 2\n'))).toThrow(
      /notifications\.routes\[0\]: approvals: 2 needs 2 different approvers; it lists 1/,
    );
  });

  it('refuses approvals other than 1 or 2', () => {
    expect(() => load(route('      approvers: ["+15551230001"]\n      approvals: 3\n'))).toThrow(/approvals/);
  });
});

describe('the shipped policy files', () => {
  it('mark every Pod Security rule critical, so none is approvable', () => {
    for (const file of shippedFiles.filter((name) => name.startsWith('pod-security'))) {
      const { policy } = parsePolicyText(file, shippedPolicyText(file));
      expect(policy.rules.filter((rule) => rule.approvable)).toEqual([]);
      const text = shippedPolicyText(file);
      expect(text.match(/^ {4}critical: true/gm)?.length).toBe(policy.rules.length);
    }
  });

  it('leave the best practices about availability approvable, and registries and host ports critical', () => {
    const { policy } = parsePolicyText('best-practices.yaml', shippedPolicyText('best-practices.yaml'));
    const approvable = policy.rules.filter((rule) => rule.approvable).map((rule) => rule.name);
    expect(approvable).toEqual(['probes', 'resources', 'image-tag', 'pod-anti-affinity']);
  });
});

describe('the README example of approve by reply', () => {
  it('loads, with min-replicas approvable and a two-person route', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.split(/^### Approve by reply/m)[1] ?? '';
    const block = section.split('```yaml\n')[1]?.split('```')[0] ?? '';
    const { policy } = parsePolicyText('README.md', block);
    expect(policy.rules.map((rule) => [rule.name, rule.approvable])).toEqual([
      ['min-replicas', true],
      ['no-privileged', false],
    ]);
    expect(policy.approvalRoutes?.[0]?.required).toBe(2);
  });
});
