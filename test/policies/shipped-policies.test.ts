// The shipped policy files as a whole: each loads through the kernel's entry as the
// function app loads a policy file, the three together make one policy (as a user
// copies them) that allows a compliant workload, and every rule is a Pod rule (so it
// also runs on pod templates) except the one about replicas.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPolicyParser } from '../../functions/core/index.js';
import {
  combinedPolicyText,
  decideCreate,
  deploymentOf,
  goodPodSpec,
  podOf,
  shippedFiles,
  shippedPolicyText,
} from './shipped-policy.js';

const { parsePolicyText } = await loadPolicyParser();

interface RuleText {
  name: string;
  builtin: string;
  match?: { kinds?: string[] };
  validations?: { messageExpression?: string }[];
}

function rulesOf(text: string): RuleText[] {
  const { rules }: { rules: RuleText[] } = parse(text);
  return rules;
}

describe('the shipped policy files', () => {
  it.each(shippedFiles)('%s loads with the real parser', (file) => {
    const { policy } = parsePolicyText(`deploy/policies/${file}`, shippedPolicyText(file));
    expect(policy.rules.length).toBeGreaterThan(3);
  });

  it.each(shippedFiles)('%s writes plain CEL rules for Pods, with messageExpressions', (file) => {
    for (const rule of rulesOf(shippedPolicyText(file))) {
      expect(rule.builtin).toBe('cel');
      if (rule.name !== 'pod-anti-affinity') expect(rule.match?.kinds).toEqual(['Pod']);
      expect(rule.validations?.some((validation) => validation.messageExpression !== undefined)).toBe(true);
    }
  });

  it('loads the three as one policy, with no rule name used twice', () => {
    const { policy } = parsePolicyText('policy.yaml', combinedPolicyText());
    const count = shippedFiles.reduce((total, file) => total + rulesOf(shippedPolicyText(file)).length, 0);
    expect(policy.rules).toHaveLength(count);
  });

  it('allows a compliant Pod and Deployment under all three, and announces the Deployment', () => {
    const { policy } = parsePolicyText('policy.yaml', combinedPolicyText());
    expect(decideCreate(policy, 'Pod', podOf(goodPodSpec()))).toMatchObject({ allowed: true, warnings: [] });
    const deployment = decideCreate(policy, 'Deployment', deploymentOf(goodPodSpec()));
    expect(deployment).toMatchObject({ allowed: true, outcome: 'allowed', warnings: [] });
    expect(deployment.notifications.map((notification) => notification.type)).toEqual(['created']);
  });

  it('denies a privileged nginx:latest Deployment under all three with each rule named in its own words', () => {
    const { policy } = parsePolicyText('policy.yaml', combinedPolicyText());
    const spec = { containers: [{ name: 'app', image: 'nginx:latest', securityContext: { privileged: true } }] };
    const decision = decideCreate(policy, 'Deployment', deploymentOf(spec));
    expect(decision.allowed).toBe(false);
    expect(decision.violations?.length).toBeGreaterThan(8);
    for (const violation of decision.violations ?? []) expect(violation).toMatch(/^deployment shop\/web: .*\bapp\b/);
  });
});
