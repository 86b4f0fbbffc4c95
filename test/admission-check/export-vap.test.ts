// admission-check export vap: the policy as ValidatingAdmissionPolicies. What it writes
// validates against the admissionregistration.k8s.io/v1 schema (kubernetes-models 5.1),
// every expression compiles with the engine's CEL environment, what it cannot express
// is named, and the bundled CLI writes it to standard output or one file per rule.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { jsonToCel, renameIdentifiers } from '../../deploy/admission-check/cel-text.js';
import { exportVap } from '../../deploy/admission-check/export-vap.js';
import { policyFileSchema } from '../../functions/core/index.js';
import { type Binding, compileVap, type Vap } from './export-vap-harness.js';
import { bin, root, runCli } from './run-cli.js';

const fixture = 'test/fixtures/admission-check/export/policy.yaml';
const allRules = 'test/fixtures/policy-all-rules.yaml';

function exported(file: string) {
  return exportVap(policyFileSchema.parse(parse(readFileSync(join(root, file), 'utf8'))));
}

const documents = (file: string) => exported(file).exported.flatMap((rule) => rule.documents);

describe('export vap', () => {
  it.each([fixture, allRules])('writes objects that validate against admissionregistration.k8s.io/v1 (%s)', (file) => {
    const objects = documents(file);
    expect(objects.length).toBeGreaterThan(4);
    for (const object of objects) {
      const Model =
        object.kind === 'ValidatingAdmissionPolicy' ? ValidatingAdmissionPolicy : ValidatingAdmissionPolicyBinding;
      expect(() => new Model(object as never).validate(), String(object.kind)).not.toThrow();
    }
  });

  it.each([fixture, allRules])('writes expressions that all compile with the engine CEL (%s)', (file) => {
    const policies = documents(file).filter((object) => object.kind === 'ValidatingAdmissionPolicy');
    for (const policy of policies) expect(() => compileVap(policy as unknown as Vap)).not.toThrow();
  });

  it('writes a policy and a binding per rule, in the order of the policy file', () => {
    const names = exported(allRules).exported.map((rule) => rule.rule);
    expect(names).toEqual([
      'minimum-replicas',
      'required-labels',
      'image-tag',
      'allowed-registries',
      'resources',
      'no-privileged',
      'no-host-namespaces',
      'no-host-path',
      'run-as-non-root',
      'readiness-probes',
      'at-most-50-replicas',
    ]);
    expect(exported(allRules).notExported).toEqual([]);
  });

  it('names the rule it cannot express and why', () => {
    expect(exported(fixture).notExported).toEqual([
      {
        rule: 'needs-variables-to-match',
        reason: "matchCondition scaled names variables, which a ValidatingAdmissionPolicy's matchConditions cannot see",
      },
    ]);
  });

  it('maps the action to validationActions and keeps the webhook out of the system namespaces', () => {
    const bindings = documents(fixture).filter((object) => object.kind === 'ValidatingAdmissionPolicyBinding');
    const actions = bindings.map((binding) => (binding as unknown as Binding).spec.validationActions);
    expect(actions).toEqual([['Deny'], ['Deny'], ['Deny'], ['Warn'], ['Deny'], ['Audit']]);
    expect(JSON.stringify(bindings[0])).toContain(
      '"values":["kube-system","kube-node-lease","kube-public","admission-system"]',
    );
  });

  it('matches kinds by their resources: scale for replicas, ephemeral containers for container rules', () => {
    const [replicas, , images] = documents(fixture).filter((object) => object.kind === 'ValidatingAdmissionPolicy');
    const rules = (object: unknown) => (object as Vap).spec.matchConstraints.resourceRules;
    expect(rules(replicas)).toEqual([
      expect.objectContaining({
        apiGroups: ['apps'],
        resources: [
          'deployments',
          'deployments/scale',
          'statefulsets',
          'statefulsets/scale',
          'replicasets',
          'replicasets/scale',
        ],
      }),
    ]);
    expect(rules(images).find((rule) => rule.apiGroups[0] === '')?.resources).toEqual([
      'pods',
      'pods/ephemeralcontainers',
    ]);
  });

  it('matches a kind it does not know through every resource and a condition on the kind', () => {
    const widgets = documents(fixture).find((object) =>
      JSON.stringify(object).includes('widgets-owned'),
    ) as unknown as Vap;
    expect(widgets.spec.matchConstraints.resourceRules).toEqual([
      expect.objectContaining({ apiGroups: ['*'], resources: ['*'], operations: ['CREATE', 'UPDATE', 'DELETE'] }),
    ]);
    expect(widgets.spec.matchConditions).toContainEqual({
      name: 'admission.serverless.io/kinds',
      expression: "request.kind.kind in ['Widget']",
    });
    expect(widgets.spec.matchConstraints.objectSelector?.matchLabels).toEqual({ managed: 'true' });
  });

  it('writes exact namespace names as a namespaceSelector and patterns as a matchCondition', () => {
    const [, labels, , , probes] = documents(fixture).filter(
      (object) => object.kind === 'ValidatingAdmissionPolicy',
    ) as unknown as Vap[];
    expect(labels?.spec.matchConstraints.namespaceSelector?.matchExpressions).toEqual([
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['sandbox'] },
    ]);
    const include = probes?.spec.matchConditions.find(
      (condition) => condition.name === 'admission.serverless.io/namespaces-include',
    );
    expect(include?.expression).toContain(".matches('^(prod-.*|staging)$')");
  });
});

describe('the CEL rewrite of export vap', () => {
  it('renames free identifiers, not fields, strings or longer names', () => {
    const expression = `params.a + 'params' + "object" + r'object' + x.params + x.?object + paramsList + object.b`;
    expect(renameIdentifiers(expression, { params: 'variables.params', object: 'variables.podObject' })).toBe(
      `variables.params.a + 'params' + "object" + r'object' + x.params + x.?object + paramsList + variables.podObject.b`,
    );
  });

  it('writes params as a literal of one type per list and map, as Kubernetes requires', () => {
    expect(jsonToCel({ max: 10, ratio: 0.5, registries: ['a', 1], on: true, none: null })).toBe(
      "{'max': dyn(10), 'ratio': dyn(0.5), 'registries': dyn([dyn('a'), dyn(1)]), 'on': dyn(true), 'none': dyn(null)}",
    );
  });
});

describe('the bundled admission-check export vap', () => {
  it('lives in a chunk of its own, loaded only by export', () => {
    const chunks = join(bin, '..', 'chunks');
    const holders = readdirSync(chunks).filter((name) =>
      readFileSync(join(chunks, name), 'utf8').includes('not-being-deleted'),
    );
    expect(holders).toEqual([expect.stringMatching(/^run-export-/)]);
    expect(readFileSync(bin, 'utf8')).not.toContain('not-being-deleted');
  });

  it('writes multi-document YAML, names what it could not export, and exits 3', async () => {
    const result = await runCli(['export', 'vap', '--policy', fixture]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'admission-check: NOT_EXPORTABLE: rule needs-variables-to-match: matchCondition scaled',
    );
    const objects = parseAllDocuments(result.stdout).map((document) => document.toJS());
    expect(objects.map((object) => `${object.kind} ${object.metadata.name}`).slice(0, 2)).toEqual([
      'ValidatingAdmissionPolicy serverless-admission-minimum-replicas',
      'ValidatingAdmissionPolicyBinding serverless-admission-minimum-replicas',
    ]);
    expect(objects).toEqual(documents(fixture));
    expect((await runCli(['export', 'vap', '--policy', fixture])).stdout).toBe(result.stdout);
  });

  it('writes one file per rule with --out, and exits 0 when every rule was exported', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'export-vap-')), 'vap');
    const result = await runCli(['export', 'vap', '--policy', allRules, '--out', out]);
    expect(result).toMatchObject({ code: 0, stdout: `wrote 11 rules to ${out} (policy: ${allRules})\n` });
    expect(readdirSync(out)).toHaveLength(11);
    const kinds = parseAllDocuments(readFileSync(join(out, 'image-tag.yaml'), 'utf8')).map((document) =>
      document.get('kind'),
    );
    expect(kinds).toEqual(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
  });

  it('exports only the rules named with --rule, and refuses a name the policy lacks', async () => {
    const chosen = await runCli([
      'export',
      'vap',
      '--policy',
      fixture,
      '--rule',
      'pod-probes',
      '--rule',
      'minimum-replicas',
    ]);
    expect(chosen.code).toBe(0);
    const names = parseAllDocuments(chosen.stdout).map((document) => document.getIn(['metadata', 'name']));
    expect(new Set(names)).toEqual(
      new Set(['serverless-admission-minimum-replicas', 'serverless-admission-pod-probes']),
    );
    const unknown = await runCli(['export', 'vap', '--policy', fixture, '--rule', 'nope']);
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`USAGE: --rule names no rule of ${fixture}: nope`),
    });
  });

  it('exports the built-in policy with MIN_REPLICAS when there is no policy file', async () => {
    const result = await runCli(['export', 'vap'], { env: { MIN_REPLICAS: '4' }, cwd: tmpdir() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('variables.replicas >= 4');
    expect(result.stdout).toContain('- deployments/scale');
  });

  it('refuses an unknown format, a flag of another subcommand, and a policy the webhook would refuse', async () => {
    expect(await runCli(['export', 'yaml'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('USAGE: export takes one format: export vap'),
    });
    expect(await runCli(['export', 'vap', '--scope', 'webhook'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--scope is not a flag of export vap'),
    });
    const invalid = await runCli([
      'export',
      'vap',
      '--policy',
      'test/fixtures/admission-check/export/invalid-policy.yaml',
    ]);
    expect(invalid).toMatchObject({ code: 2, stderr: expect.stringContaining('POLICY_INVALID') });
  });

  it('names a directory it cannot write with OUTPUT_UNWRITABLE', async () => {
    const result = await runCli(['export', 'vap', '--policy', allRules, '--out', '/proc/export-vap']);
    expect(result).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('admission-check: OUTPUT_UNWRITABLE: cannot write the files in /proc/export-vap'),
    });
  });
});
