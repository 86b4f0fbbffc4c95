// A policy file is read with limits: a YAML alias bomb or an oversized file is refused
// with one line naming the file and the error code, never a raw exception.
import { describe, expect, it } from 'vitest';
import { maxPolicyBytes, parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import { PolicyError } from '../../functions/core/policy/policy-error.js';

const header = 'apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\n';

function refusal(text: string): unknown {
  try {
    parsePolicyText('policy.yaml', text);
  } catch (error) {
    return error;
  }
  throw new Error('the policy was accepted');
}

const aliasBomb = `${header}a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
`;

describe('reading a policy file with limits', () => {
  it('refuses a YAML alias bomb with POLICY_TOO_LARGE and one line naming the file', () => {
    const error = refusal(aliasBomb);
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ code: 'POLICY_TOO_LARGE' });
    expect(String((error as Error).message)).toMatch(/^invalid policy policy\.yaml: .*alias/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('refuses a file over the size cap before parsing it', () => {
    const error = refusal(`${header}# ${'x'.repeat(maxPolicyBytes)}\n`);
    expect(error).toMatchObject({ code: 'POLICY_TOO_LARGE' });
    expect((error as Error).message).toBe(`invalid policy policy.yaml: the file is over ${maxPolicyBytes} bytes`);
  });

  it('still reads a policy that uses a few anchors and aliases', () => {
    const text = `${header}rules:\n  - name: a\n    builtin: image-tag\n    match: &m { kinds: [Deployment] }\n  - name: b\n    builtin: no-host-path\n    match: *m\n`;
    expect(parsePolicyText('policy.yaml', text).policy.rules).toHaveLength(2);
  });
});
