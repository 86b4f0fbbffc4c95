// The bundled CLI starts fast because what only some runs need is split off and loaded
// on use: @kubernetes/client-node lives in audit's chunk alone, and check and test never
// load that chunk (a resolve hook makes loading it fail loudly).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bin, root } from './run-cli.js';

const run = promisify(execFile);
const chunks = join(bin, '..', 'chunks');
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier.includes('run-audit')) throw new Error('audit chunk loaded: ' + specifier);
  return next(specifier, context);
}`;
const guard = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;

function runGuarded(args: string[]) {
  return run(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(guard)}`, bin, ...args], {
    cwd: root,
    timeout: 20_000,
  }).catch((error: { code: number; stdout: string; stderr: string }) => error);
}

describe('the bundled CLI', () => {
  it('keeps the Kubernetes client in the audit chunk only', () => {
    const holders = readdirSync(chunks).filter((name) =>
      readFileSync(join(chunks, name), 'utf8').includes('KubeConfig'),
    );
    expect(holders).toEqual([expect.stringMatching(/^run-audit-/)]);
    expect(readFileSync(bin, 'utf8')).not.toContain('KubeConfig');
  });

  it('keeps the table SDK out of the entry and the audit chunk: loaded only to read approvals', () => {
    const holders = readdirSync(chunks).filter((name) =>
      readFileSync(join(chunks, name), 'utf8').includes('fromConnectionString'),
    );
    expect(holders.length).toBeGreaterThan(0);
    expect(holders.filter((name) => name.startsWith('run-audit-'))).toEqual([]);
    expect(readFileSync(bin, 'utf8')).not.toContain('fromConnectionString');
    const audit = readdirSync(chunks).find((name) => name.startsWith('run-audit-')) ?? '';
    const sdk = holders.filter((name) => !name.startsWith('read-approval-grants-'));
    for (const name of sdk) expect(readFileSync(join(chunks, audit), 'utf8')).not.toContain(`from "./${name}"`);
  });

  it('checks manifests and runs tests without loading the audit chunk', async () => {
    const check = await runGuarded(['test/fixtures/manifests/good']);
    expect(check.stderr).toBe('');
    const test = await runGuarded(['test', 'test/fixtures/admission-check/shop']);
    expect(test.stderr).toBe('');
  });

  it('would be caught if it did (the guard itself works)', async () => {
    const audit = await runGuarded(['audit', '--kubeconfig', '/nonexistent']);
    expect(audit.stderr).toContain('audit chunk loaded');
  });
});
