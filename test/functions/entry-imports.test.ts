// The function app's entry modules (package.json "main") must start fast: twilio
// (~0.4 s) and @kubernetes/client-node (~1.2 s) may only load where they are used.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { entryModules } from '../helpers/function-app-entries.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const hook = fileURLToPath(new URL('../helpers/forbid-heavy-imports.mjs', import.meta.url));

async function importUnderHook(specifiers: string[]) {
  const script = `for (const s of ${JSON.stringify(specifiers)}) await import(s);`;
  return run(process.execPath, ['--import', hook, '--input-type=module', '-e', script], { cwd: root, timeout: 30_000 });
}

describe('function app entry modules', () => {
  it('include the admission function', () => {
    expect(entryModules().map((file) => file.split('/').pop())).toContain('admission.js');
  });

  it('load without importing twilio or @kubernetes/client-node', async () => {
    await expect(importUnderHook(entryModules())).resolves.toBeDefined();
  });

  it('would be caught if they did (the guard itself works)', async () => {
    await expect(importUnderHook(['@kubernetes/client-node'])).rejects.toThrow(
      /forbidden import at start-up: @kubernetes\/client-node/,
    );
  });
});
