import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../functions/core/policy/policy-error.js';
import { renderPolicyJsonSchema } from '../../functions/core/policy/policy-json-schema.js';
import { loadPolicy } from '../../functions/shells/load-policy.js';
import { readPolicyFile } from '../../functions/shells/read-policy-file.js';

const policyJsonSchemaFile = fileURLToPath(new URL('../../deploy/policy-schema/policy.schema.json', import.meta.url));

const fixture = fileURLToPath(new URL('../fixtures/policy-all-rules.yaml', import.meta.url));
const header = 'apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\n';

function policyFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.yaml');
  writeFileSync(file, text);
  return file;
}

describe('loading a policy', () => {
  it('compiles the fixture with every built-in rule and two CEL rules', async () => {
    const { policy, routes } = await readPolicyFile(fixture);
    expect(policy.rules.map((rule) => rule.name)).toEqual([
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
    expect(policy.rules.find((rule) => rule.name === 'run-as-non-root')).toMatchObject({
      action: 'warn',
      notify: false,
    });
    expect(policy.rules.find((rule) => rule.name === 'minimum-replicas')).toMatchObject({
      action: 'deny',
      notify: true,
      checksScale: true,
    });
    expect(routes[0]?.to).toEqual(['+15551230009']);
  });

  it('falls back to the built-in default (MIN_REPLICAS) without a file', async () => {
    const { policy, file } = await loadPolicy(undefined, 4);
    expect(file).toBeUndefined();
    expect(policy.rules.map((rule) => rule.name)).toEqual(['minimum-replicas']);
  });

  it('reads POLICY_FILE', async () => {
    expect((await loadPolicy(fixture, 3)).file).toBe(fixture);
  });

  it.each<[string, string, RegExp]>([
    [
      'broken YAML, with its line',
      `${header}rules:\n  - name: x\n   builtin: image-tag\n`,
      /policy\.yaml: line 5: not valid YAML/,
    ],
    [
      'an unknown built-in, with its path',
      `${header}rules:\n  - name: x\n    builtin: no-root\n`,
      /rules\[0\]\.builtin: Invalid discriminator value\. Expected 'minimum-replicas' \| 'required-labels'/,
    ],
    [
      'a misspelt field',
      `${header}rules:\n  - name: x\n    builtin: image-tag\n    acton: warn\n`,
      /rules\[0\]: Unrecognized key: "acton"/,
    ],
    [
      'a bad action',
      `${header}rules:\n  - name: x\n    builtin: image-tag\n    action: block\n`,
      /rules\[0\]\.action: Invalid option: expected one of "deny"\|"warn"\|"audit"/,
    ],
    [
      'a CEL typo, naming the rule',
      `${header}rules:\n  - name: small\n    builtin: cel\n    expression: "objct.spec.replicas < 5"\n    message: m\n`,
      /rule small: the expression does not type-check: Unknown variable: objct/,
    ],
    [
      'CEL that does not parse',
      `${header}rules:\n  - name: small\n    builtin: cel\n    expression: "object.spec.replicas <"\n    message: m\n`,
      /rule small: the expression does not compile/,
    ],
    [
      'a comprehension inside another',
      `${header}rules:\n  - name: slow\n    builtin: cel\n    expression: "object.spec.template.spec.containers.all(c, object.spec.template.spec.containers.exists(d, d.name == c.name))"\n    message: m\n`,
      /rule slow: the expression is too costly: its worst case is an estimated .* cost units, over the limit/,
    ],
    [
      'an expression past the size limit',
      `${header}rules:\n  - name: big\n    builtin: cel\n    expression: "${Array.from({ length: 600 }, () => '1').join(' + ')} > 0"\n    message: m\n`,
      /rule big: the expression does not compile: Exceeded maxAstNodes/,
    ],
    [
      'a name used twice',
      `${header}rules:\n  - {name: x, builtin: image-tag}\n  - {name: x, builtin: no-host-path}\n`,
      /rule x: the name is used twice/,
    ],
    [
      'a route to a number that is not E.164',
      `${header}notifications:\n  routes:\n    - {namespaces: ["prod-*"], to: ["555-0100"]}\n`,
      /notifications\.routes\[0\]\.to\[0\]: expected an E\.164 number/,
    ],
  ])('refuses %s', async (_what, text, message) => {
    const file = policyFile(text);
    await expect(readPolicyFile(file)).rejects.toThrow(PolicyError);
    await expect(readPolicyFile(file)).rejects.toThrow(message);
  });

  it('names a file it cannot read by the system error code, chaining the cause', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'policy-')), 'absent.yaml');
    const error = await readPolicyFile(missing).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({
      code: 'POLICY_INVALID',
      message: `invalid policy ${missing}: cannot read it (ENOENT)`,
    });
    expect(error).toHaveProperty('cause.code', 'ENOENT');
  });

  it('keeps the committed JSON Schema in step with the zod schema (npm run policy:schema)', () => {
    expect(readFileSync(policyJsonSchemaFile, 'utf8')).toBe(renderPolicyJsonSchema());
  });
});
