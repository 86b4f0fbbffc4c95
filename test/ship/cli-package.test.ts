// admission-check as a user installs it: `npm pack` of dist/cli (what npm run build
// makes), that tarball installed into an empty directory, and the installed command
// run from there, with no file of the repository in reach.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../helpers/clean-copy.js';

let installed: string;
let prefix: string;
let version: string;

beforeAll(() => {
  const packDirectory = mkdtempSync(join(tmpdir(), 'cli-pack-'));
  const packed = execFileSync(
    'npm',
    ['pack', join(repositoryRoot, 'dist/cli'), '--pack-destination', packDirectory, '--json'],
    {
      encoding: 'utf8',
    },
  );
  const [tarball] = JSON.parse(packed) as { filename: string; version: string }[];
  if (!tarball) throw new Error('npm pack made nothing');
  version = tarball.version;
  prefix = mkdtempSync(join(tmpdir(), 'cli-install-'));
  execFileSync(
    'npm',
    ['install', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(packDirectory, tarball.filename)],
    {
      stdio: 'pipe',
    },
  );
  installed = join(prefix, 'node_modules', '.bin', 'admission-check');
}, 60_000);

function run(args: string[], cwd: string): { code: number; stdout: string } {
  try {
    return {
      code: 0,
      stdout: execFileSync(installed, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH } }),
    };
  } catch (error) {
    const failure = error as { status: number; stdout: string };
    return { code: failure.status, stdout: failure.stdout };
  }
}

describe('the installed admission-check', () => {
  it('installs with no dependencies of its own', () => {
    const modules = readdirSync(join(installed, '..', '..'));
    expect(modules.filter((name) => !name.startsWith('.'))).toEqual(['serverless-admission-check']);
  });

  it('says its version', () => {
    expect(run(['--version'], tmpdir())).toEqual({ code: 0, stdout: `admission-check ${version}\n` });
  });

  it('denies a Deployment below the minimum and exits 1', () => {
    const directory = mkdtempSync(join(tmpdir(), 'cli-check-'));
    writeFileSync(
      join(directory, 'web.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {replicas: 1}\n',
    );
    const result = run(['web.yaml'], directory);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('DENIED   Deployment shop/web  web.yaml:1');
  });

  it('runs a test suite through npx, as a CI job does, and ships the test file schema', () => {
    const directory = mkdtempSync(join(tmpdir(), 'cli-suite-'));
    writeFileSync(
      join(directory, 'policy.yaml'),
      'apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\nrules:\n  - {name: min, builtin: minimum-replicas, minimum: 2}\n',
    );
    const deployment = (replicas: number) =>
      `{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop}, spec: {replicas: ${replicas}}}`;
    writeFileSync(
      join(directory, 'admission-test.yaml'),
      [
        'apiVersion: admission.serverless.io/v1',
        'kind: AdmissionTest',
        'policy: policy.yaml',
        'resources:',
        `  - inline: ${deployment(1)}`,
        'reviews:',
        `  - {name: scale-up, operation: UPDATE, object: ${deployment(2)}, oldObject: ${deployment(1)}}`,
        'results:',
        '  - {resource: Deployment/shop/web, rule: min, result: deny, message: "the minimum is 2"}',
        '  - {review: scale-up, result: allow}',
        '',
      ].join('\n'),
    );
    const output = execFileSync('npx', ['--offline', '--no-install', 'admission-check', 'test', directory], {
      cwd: prefix,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    expect(output).toMatch(/^2 passed, 0 failed \(1 test file\)$/m);
    expect(existsSync(join(prefix, 'node_modules', 'serverless-admission-check', 'admission-test.schema.json'))).toBe(
      true,
    );
  });
});
