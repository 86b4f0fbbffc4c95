// admission-check as a user installs it: `npm pack` of dist/cli (what npm run build
// makes), that tarball installed into an empty directory, and the installed command
// run from there, with no file of the repository in reach.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../helpers/clean-copy.js';

let installed: string;
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
  const prefix = mkdtempSync(join(tmpdir(), 'cli-install-'));
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
});
