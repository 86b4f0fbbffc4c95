// A precompiled policy (policy.precompiled.json beside policy.yaml) is read at start-up
// instead of the YAML, only when it was made from the YAML's current text, and passes
// every load-time check the YAML would: schema, CEL parse, type check, cost. Otherwise
// one log line says why, and the YAML decides.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { writePrecompiledPolicy } from '../../deploy/build/precompile-policy.js';
import { admissionReviewSchema } from '../../functions/core/admission-review.js';
import { decide } from '../../functions/core/decide.js';
import { PolicyError } from '../../functions/core/policy/policy-error.js';
import type { Policy } from '../../functions/core/policy.js';
import { readTarget } from '../../functions/core/workload.js';
import { loadPolicy } from '../../functions/shells/load-policy.js';
import { readPolicyFile } from '../../functions/shells/read-policy-file.js';
import { loadFixture } from '../helpers/fixtures.js';

const allRules = fileURLToPath(new URL('../fixtures/policy-all-rules.yaml', import.meta.url));
const header = 'apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\n';
const celRule = (name: string, expression: string) =>
  `${header}rules:\n  - name: ${name}\n    builtin: cel\n    expression: "${expression}"\n    message: m\n`;

let directory: string;
let policyFile: string;
let precompiledFile: string;
let logged: string[];
const log = (line: string) => logged.push(line);

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'precompiled-'));
  policyFile = join(directory, 'policy.yaml');
  precompiledFile = join(directory, 'policy.precompiled.json');
  logged = [];
});

/** Replaces the precompiled policy's data, keeping the hash of the YAML it claims to come from. */
async function replaceData(text: string): Promise<void> {
  const other = join(directory, 'other.yaml');
  writeFileSync(other, text);
  const { policy } = JSON.parse(readFileSync(await writePrecompiledPolicy(other), 'utf8'));
  const envelope = JSON.parse(readFileSync(precompiledFile, 'utf8'));
  writeFileSync(precompiledFile, JSON.stringify({ ...envelope, policy }));
}

function decideFixture(policy: Policy, name: string) {
  const { request } = admissionReviewSchema.parse(loadFixture(name));
  const target = readTarget(request);
  if ('error' in target) throw new Error(target.error);
  return decide(request, target.value, policy, { cluster: 'c', now: new Date('2026-12-01T00:00:00Z') });
}

describe('a precompiled policy', () => {
  it('is written beside the file and decides as the YAML does', async () => {
    copyFileSync(allRules, policyFile);
    expect(await writePrecompiledPolicy(policyFile)).toBe(precompiledFile);
    const fromJson = await readPolicyFile(policyFile, log);
    const fromYaml = await readPolicyFile(allRules, log);
    expect(fromJson.policy.rules.map((rule) => [rule.name, rule.action])).toEqual(
      fromYaml.policy.rules.map((rule) => [rule.name, rule.action]),
    );
    const recipients = ({ routes }: typeof fromYaml) =>
      routes.map(({ to, fallback, approvers }) => ({ to, fallback, approvers }));
    expect(recipients(fromJson)).toEqual(recipients(fromYaml));
    for (const fixture of ['v1-create-deployment-2-replicas.json', 'v1-create-deployment-3-replicas.json']) {
      expect(decideFixture(fromJson.policy, fixture)).toEqual(decideFixture(fromYaml.policy, fixture));
    }
    expect(logged).toEqual([]);
  });

  it('is read instead of the YAML when made from its current text', async () => {
    writeFileSync(policyFile, celRule('from-yaml', 'true'));
    await writePrecompiledPolicy(policyFile);
    await replaceData(celRule('from-precompiled', 'true'));
    const { policy } = await readPolicyFile(policyFile, log);
    expect(policy.rules.map((rule) => rule.name)).toEqual(['from-precompiled']);
  });

  it('is not used once the YAML has changed: the YAML applies, and one line says why', async () => {
    writeFileSync(policyFile, celRule('before', 'true'));
    await writePrecompiledPolicy(policyFile);
    writeFileSync(policyFile, celRule('after', 'true'));
    const { policy } = await readPolicyFile(policyFile, log);
    expect(policy.rules.map((rule) => rule.name)).toEqual(['after']);
    expect(logged).toEqual([
      'policy: policy.precompiled.json not used, the policy file has changed since it was generated (its SHA-256 differs); reading policy.yaml (the YAML parser loads)',
    ]);
  });

  it.each([
    ['its CEL does not type-check', celRule('typo', 'objct.spec.replicas < 5')],
    ['its schema is broken', `${header}rules:\n  - name: x\n    builtin: no-root\n`],
  ])('is type-checked and validated at load: when %s, the YAML decides', async (_what, text) => {
    writeFileSync(policyFile, celRule('valid', 'true'));
    await writePrecompiledPolicy(policyFile);
    const envelope = JSON.parse(readFileSync(precompiledFile, 'utf8'));
    writeFileSync(precompiledFile, JSON.stringify({ ...envelope, policy: parseYaml(text) }));
    const loaded = await readPolicyFile(policyFile, log);
    expect(loaded.policy.rules.map((rule) => rule.name)).toEqual(['valid']);
    expect(logged).toEqual([
      'policy: policy.precompiled.json not used, it does not load (POLICY_INVALID); reading policy.yaml (the YAML parser loads)',
    ]);
  });

  it('never lets a broken precompiled policy hide a broken YAML: start-up stops naming the YAML', async () => {
    writeFileSync(policyFile, celRule('typo', 'objct.spec.replicas < 5'));
    writeFileSync(precompiledFile, 'not json');
    await expect(readPolicyFile(policyFile, log)).rejects.toThrow(PolicyError);
    await expect(readPolicyFile(policyFile, log)).rejects.toThrow(
      /policy\.yaml: rule typo: the expression does not type-check: Unknown variable: objct/,
    );
    expect(logged[0]).toBe(
      'policy: policy.precompiled.json not used, it is not valid JSON; reading policy.yaml (the YAML parser loads)',
    );
  });

  it('is ignored, with the reason, when it is not a precompiled policy', async () => {
    writeFileSync(policyFile, celRule('valid', 'true'));
    writeFileSync(precompiledFile, JSON.stringify({ kind: 'AdmissionPolicy', rules: [] }));
    const { policy } = await readPolicyFile(policyFile, log);
    expect(policy.rules.map((rule) => rule.name)).toEqual(['valid']);
    expect(logged).toEqual([
      'policy: policy.precompiled.json not used, it is not a PrecompiledAdmissionPolicy (kind, source, sourceSha256, policy); reading policy.yaml (the YAML parser loads)',
    ]);
  });

  it("is not written for a policy that would not load, which is refused with start-up's message", async () => {
    writeFileSync(policyFile, celRule('typo', 'objct.spec.replicas < 5'));
    await expect(writePrecompiledPolicy(policyFile)).rejects.toThrow(
      /invalid policy .*policy\.yaml: rule typo: the expression does not type-check/,
    );
    await expect(readPolicyFile(policyFile, log)).rejects.toThrow(PolicyError);
    expect(logged).toEqual([]);
  });

  it('is refused as POLICY_FILE, with the file to name instead', async () => {
    writeFileSync(policyFile, celRule('valid', 'true'));
    await writePrecompiledPolicy(policyFile);
    await expect(readPolicyFile(precompiledFile, log)).rejects.toThrow(
      /policy\.precompiled\.json: it is a precompiled policy, which is read only beside the file it was made from: name that file \(policy\.yaml\) instead/,
    );
  });
});

describe('loading the policy at start-up', () => {
  it('reads and compiles a file once, however many entry modules load it (admission and notify)', async () => {
    writeFileSync(policyFile, celRule('once', 'true'));
    await writePrecompiledPolicy(policyFile);
    writeFileSync(policyFile, celRule('once-edited', 'true'));
    const [first, second] = await Promise.all([loadPolicy(policyFile, 3, log), loadPolicy(policyFile, 3, log)]);
    expect(second.policy).toBe(first.policy);
    expect(logged).toHaveLength(1);
  });
});
