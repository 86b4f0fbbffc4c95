// The admission-check CLI as CI runs it (the built bin), over good and bad manifests.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../dist/functions/cli/admission-check.js', import.meta.url));
const manifests = fileURLToPath(new URL('../fixtures/manifests/', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

function check(args: string[], stdin?: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], { cwd: root, env: { PATH: process.env.PATH, ...env }, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? '');
  });
}

describe('admission-check', () => {
  it('prints the table and exits 1 over a directory with bad manifests', async () => {
    const result = await check(['test/fixtures/manifests']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        'DENIED   Deployment shop/search  test/fixtures/manifests/bad/no-replicas-list.yaml:2',
        '         deployment shop/search does not set spec.replicas (so runs 1 replica); the minimum is 3. Set spec.replicas to 3 or more and re-apply.',
        'DENIED   Deployment shop/cart  test/fixtures/manifests/bad/single-replica.yaml:1',
        '         deployment shop/cart has 1 replica; the minimum is 3. Set spec.replicas to 3 or more and re-apply.',
        'ALLOWED  Deployment shop/web  test/fixtures/manifests/good/shop.yaml:2',
        'ALLOWED  Service shop/web (no policy applies)  test/fixtures/manifests/good/shop.yaml:25',
        'ALLOWED  Deployment default/worker  test/fixtures/manifests/good/worker.json:1',
        '5 checked: 3 allowed, 2 denied, 0 warned',
        '',
      ].join('\n'),
    );
  });

  it('exits 0 when nothing is denied, and takes the namespace for objects without one', async () => {
    const result = await check(['--namespace', 'team-a', join(manifests, 'good')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ALLOWED  Deployment team-a/worker');
  });

  it('gives stable JSON for tools', async () => {
    const result = await check(['--format', 'json', join(manifests, 'bad', 'single-replica.yaml')]);
    expect(JSON.parse(result.stdout)).toEqual({
      version: 1,
      results: [{
        file: join(manifests, 'bad', 'single-replica.yaml'), line: 1, kind: 'Deployment', namespace: 'shop', name: 'cart',
        allowed: false, decision: 'denied',
        message: 'deployment shop/cart has 1 replica; the minimum is 3. Set spec.replicas to 3 or more and re-apply.',
        violations: ['deployment shop/cart has 1 replica; the minimum is 3. Set spec.replicas to 3 or more and re-apply.'], warnings: [],
      }],
      summary: { checked: 1, allowed: 0, denied: 1, warned: 0 },
    });
  });

  it('reads standard input', async () => {
    const result = await check(['-'], 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 5}\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ALLOWED  Deployment default/a  (stdin):1');
  });

  it('uses MIN_REPLICAS like the function app', async () => {
    const result = await check([join(manifests, 'bad', 'single-replica.yaml')], undefined, { MIN_REPLICAS: '1' });
    expect(result.code).toBe(0);
  });

  it.each<[string, string, RegExp]>([
    ['broken YAML', 'apiVersion: apps/v1\nkind: Deployment\nspec: [\n', /broken\.yaml:\d+: not valid YAML or JSON/],
    ['a document without a kind', 'apiVersion: v1\nmetadata: {name: x}\n', /broken\.yaml:1: expected a Kubernetes object: apiVersion and kind are required/],
    ['replicas that are not a number', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replicas: three\n', /broken\.yaml:1: object\.spec\.replicas: Invalid input: expected number, received string/],
  ])('exits 2 naming file and line for %s', async (_what, text, message) => {
    const directory = mkdtempSync(join(tmpdir(), 'check-'));
    writeFileSync(join(directory, 'broken.yaml'), text);
    const result = await check([join(directory, 'broken.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('exits 2 with usage for a missing file or no arguments', async () => {
    expect((await check(['nope.yaml'])).stderr).toContain('nope.yaml: no such file or directory');
    const none = await check([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: admission-check');
  });
});
