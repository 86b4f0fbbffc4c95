// The function app as `func azure functionapp publish` uploads it: the directory npm run
// package:function-app makes (host.json, package.json, the bundle, production
// node_modules), copied alone into an empty directory and loaded there in a fresh
// process, as the Functions worker loads it (package.json "main"). It answers reviews
// as the sources do, reads a policy file through its lazy chunk, starts from the
// precompiled policy it ships beside policy.yaml, and carries no dev dependency.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../helpers/clean-copy.js';

let app: string;
/** The package made with --policy, kept for the tests after the one that makes it. */
let packaged: string;
const fixture = (name: string) => join(repositoryRoot, 'test/fixtures', name);

/** Runs npm run package:function-app's script and copies its output alone into an empty directory. */
function packageAndCopy(args: readonly string[] = []): string {
  execFileSync(process.execPath, ['dist/deploy/build/package-function-app.js', ...args], {
    cwd: repositoryRoot,
    stdio: 'pipe',
  });
  const copy = join(mkdtempSync(join(tmpdir(), 'function-app-')), 'app');
  cpSync(join(repositoryRoot, 'dist/function-app'), copy, { recursive: true });
  return copy;
}

function writePolicy(expression: string, message: string): string {
  const policyFile = join(mkdtempSync(join(tmpdir(), 'bundle-policy-')), 'policy.yaml');
  const rule = [
    '  - name: at-most-2-replicas',
    '    builtin: cel',
    `    expression: "${expression}"`,
    `    message: ${message}`,
  ];
  writeFileSync(
    policyFile,
    ['apiVersion: admission.serverless.io/v1', 'kind: AdmissionPolicy', 'rules:', ...rule].join('\n'),
  );
  return policyFile;
}

beforeAll(() => {
  app = packageAndCopy();
}, 120_000);

function readManifest(): {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
} {
  return JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
}

/** Imports every "main" entry in a new process inside the package and answers one fixture. */
function answerInFreshProcess(fixtureName: string, env: Record<string, string> = {}, directory = app) {
  const main = readManifest().main.replace(/\/\*\.js$/, '');
  const entries = readdirSync(join(directory, main)).filter((file) => file.endsWith('.js'));
  const script = `
    import { readFileSync } from 'node:fs';
    const functions = (await import('@azure/functions')).default;
    const modules = [];
    for (const entry of ${JSON.stringify(entries)}) modules.push(await import('./${main}/' + entry));
    const { admission, smsQueue } = modules.find((module) => module.admission);
    const body = readFileSync(${JSON.stringify(fixture(fixtureName))}, 'utf8');
    const request = new functions.HttpRequest({ method: 'POST', url: 'http://127.0.0.1/api/admission', headers: { 'content-type': 'application/json' }, body: { string: body } });
    const context = new functions.InvocationContext({ logHandler: () => {} });
    const response = await admission(request, context);
    console.log(JSON.stringify({ answer: response.jsonBody, queued: context.extraOutputs.get(smsQueue) ?? [], exported: modules.map((module) => Object.keys(module).sort()) }));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: directory,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, CLUSTER_NAME: 'bundle', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = output.trim().split('\n');
  return { ...JSON.parse(lines.pop() ?? 'null'), logs: lines };
}

describe('the function app package', () => {
  it('holds host.json, package.json, the bundle and production dependencies only', () => {
    expect(readdirSync(app).sort()).toEqual(['dist', 'host.json', 'node_modules', 'package-lock.json', 'package.json']);
    expect(readdirSync(join(app, 'dist'))).toEqual(['app']);
    const { main, dependencies, devDependencies } = readManifest();
    expect(main).toBe('dist/app/*.js');
    for (const name of Object.keys(dependencies)) expect(existsSync(join(app, 'node_modules', name))).toBe(true);
    for (const name of Object.keys(devDependencies)) expect(existsSync(join(app, 'node_modules', name))).toBe(false);
  });

  it('registers the two functions, nothing else at the level "main" globs', () => {
    expect(
      readdirSync(join(app, 'dist/app'))
        .filter((file) => file.endsWith('.js'))
        .sort(),
    ).toEqual(['admission.js', 'notify.js']);
  });

  it('denies a Deployment below the minimum and queues its text', () => {
    const { answer, queued, exported } = answerInFreshProcess('v1-create-deployment-2-replicas.json');
    expect(answer.response).toMatchObject({ uid: expect.any(String), allowed: false, status: { code: 403 } });
    expect(answer.response.status.message).toContain('minimum is 3');
    expect(queued).toHaveLength(1);
    expect(exported.flat()).toEqual(expect.arrayContaining(['admission', 'notify', 'smsQueue']));
  });

  it('reads a policy file with CEL rules through its lazily loaded part', () => {
    const policyFile = writePolicy('object.spec.replicas <= 2', 'at most 2 replicas in this test');
    const { answer } = answerInFreshProcess('v1-create-deployment-3-replicas.json', { POLICY_FILE: policyFile });
    expect(answer.response).toMatchObject({ allowed: false, status: { code: 403 } });
    expect(answer.response.status.message).toContain('at most 2 replicas in this test');
  });

  it('ships the policy it is given as policy.yaml at the app root, and applies it without POLICY_FILE', () => {
    const policyFile = writePolicy('object.spec.replicas <= 2', 'the packaged policy applies');
    packaged = packageAndCopy(['--policy', policyFile]);
    expect(readFileSync(join(packaged, 'policy.yaml'), 'utf8')).toBe(readFileSync(policyFile, 'utf8'));
    const { answer, logs } = answerInFreshProcess('v1-create-deployment-3-replicas.json', {}, packaged);
    expect(answer.response.status.message).toContain('the packaged policy applies');
    expect(logs.join('\n')).not.toContain('precompiled');
  }, 120_000);

  it('ships the policy precompiled, and starts from it without the YAML parser', () => {
    expect(readdirSync(packaged).sort()).toEqual([
      'dist',
      'host.json',
      'node_modules',
      'package-lock.json',
      'package.json',
      'policy.precompiled.json',
      'policy.yaml',
    ]);
    const withoutYaml = join(mkdtempSync(join(tmpdir(), 'function-app-')), 'app');
    cpSync(packaged, withoutYaml, { recursive: true });
    rmSync(join(withoutYaml, 'node_modules/yaml'), { recursive: true });
    const { answer } = answerInFreshProcess('v1-create-deployment-3-replicas.json', {}, withoutYaml);
    expect(answer.response.status.message).toContain('the packaged policy applies');
  });

  it('applies policy.yaml edited after packaging, and logs that the precompiled policy is out of date', () => {
    const edited = join(mkdtempSync(join(tmpdir(), 'function-app-')), 'app');
    cpSync(packaged, edited, { recursive: true });
    const policy = readFileSync(join(edited, 'policy.yaml'), 'utf8');
    writeFileSync(
      join(edited, 'policy.yaml'),
      policy.replace('the packaged policy applies', 'the edited policy applies'),
    );
    const { answer, logs } = answerInFreshProcess('v1-create-deployment-3-replicas.json', {}, edited);
    expect(answer.response.status.message).toContain('the edited policy applies');
    expect(logs).toContain(
      'policy: policy.precompiled.json not used, the policy file has changed since it was generated (its SHA-256 differs); reading policy.yaml (the YAML parser loads)',
    );
  });

  it('refuses to package a policy that would not start, with the message start-up would give', () => {
    const policyFile = writePolicy('objct.spec.replicas <= 2', 'never packaged');
    expect(() => packageAndCopy(['--policy', policyFile])).toThrow(
      /not packaged: .*policy\.yaml would not load: invalid policy .*policy\.yaml: rule at-most-2-replicas: the expression does not type-check/,
    );
  });

  it('leaves twilio and yaml out of the bundle, to be loaded when needed, and bundles the CEL library', () => {
    const bundle = join(app, 'dist/app');
    const files = readdirSync(bundle, { recursive: true }).filter((name) => String(name).endsWith('.js'));
    const text = files.map((name) => readFileSync(join(bundle, String(name)), 'utf8')).join('\n');
    expect(text).toMatch(/from ["']twilio["']|import\(["']twilio["']\)/);
    expect(text).toMatch(/from ["']yaml["']/);
    expect(text).not.toContain('api.twilio.com');
    expect(text).not.toContain('class YAMLMap');
    expect(text).not.toMatch(/from ["']@marcbachmann\/cel-js["']/);
  });
});
