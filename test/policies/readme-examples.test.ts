// The rule examples of the README's "Policies" section load with the real parser and
// do what the text says of them; its table of shipped files gives each file's rule count.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import type { Policy } from '../../functions/core/policy.js';
import { containerWith, decideCreate, deploymentOf, podOf, securityWith, shippedPolicyText } from './shipped-policy.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const policies = readme.split(/^## Policies$/m)[1]?.split(/^## /m)[0] ?? '';
const header = 'apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\nrules:\n';

/** The yaml blocks of the section that are lists of rules. */
const ruleBlocks = policies
  .split('```yaml\n')
  .slice(1)
  .map((block) => block.split('```')[0] ?? '')
  .filter((block) => block.startsWith('  - name:'));

function policyOfBlock(ruleName: string): Policy {
  const block = ruleBlocks.find((text) => text.includes(`- name: ${ruleName}`)) ?? '';
  return parsePolicyText('README.md', `${header}${block}`).policy;
}

describe('the README policy examples', () => {
  it('has rule examples, and each loads', () => {
    expect(ruleBlocks.length).toBeGreaterThanOrEqual(4);
    for (const block of ruleBlocks) expect(() => parsePolicyText('README.md', `${header}${block}`)).not.toThrow();
  });

  it('names the container of a Deployment in the autogen example, and keeps autogen: false to Pods', () => {
    const policy = policyOfBlock('no-privileged-containers');
    const privileged = containerWith(securityWith({ privileged: true }));
    expect(decideCreate(policy, 'Deployment', deploymentOf(privileged)).violations).toEqual([
      'deployment shop/web: container web is privileged',
    ]);
    expect(decideCreate(policy, 'Pod', podOf(privileged)).violations).toEqual([
      'pod shop/web: container web is privileged',
      'pod shop/web: create Pods through a controller (a Deployment, a Job)',
    ]);
    expect(decideCreate(policy, 'Deployment', deploymentOf(containerWith({}))).allowed).toBe(true);
  });

  it('compares quantities, matches names and reads URLs in the library example', () => {
    const policy = policyOfBlock('limits-names-and-links');
    const limit = (memory: string) => containerWith({ resources: { limits: { memory } } });
    expect(decideCreate(policy, 'Pod', podOf(limit('2048Mi'))).allowed).toBe(true);
    expect(decideCreate(policy, 'Pod', podOf(limit('3Gi'))).violations).toEqual([
      'pod shop/web: memory limits are at most 2Gi',
    ]);
    expect(decideCreate(policy, 'Pod', podOf(containerWith({ name: 'Web' }))).allowed).toBe(false);
    const docs = (url: string) =>
      decideCreate(policy, 'Pod', { ...podOf(containerWith({})), metadata: { annotations: { docs: url } } });
    expect(docs('https://wiki.example.com/web').allowed).toBe(true);
    expect(docs('http://wiki.example.com/web').violations).toEqual([
      'pod shop/web: the docs annotation is an https URL',
    ]);
  });

  it.each([
    ['pod-security-baseline.yaml', 11],
    ['pod-security-restricted.yaml', 6],
    ['best-practices.yaml', 6],
  ] as const)('gives %s its %i rules in the table of shipped files', (file, count) => {
    expect(shippedPolicyText(file).match(/^ {2}- name: /gm)).toHaveLength(count);
    expect(policies).toContain(`| \`${file}\` | ${count} |`);
  });
});
