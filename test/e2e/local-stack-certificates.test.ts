// npm start makes its development certificates once, with the certificate tool, and
// keeps them: a second start in the same state directory serves the same CA.
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../helpers/fixtures.js';
import { type LocalStack, startLocalStack } from '../helpers/local-stack.js';

async function stop(stack: LocalStack): Promise<void> {
  if (stack.process.exitCode !== null) return;
  stack.process.kill('SIGTERM');
  await once(stack.process, 'exit');
}

describe('the local stack certificates', () => {
  it('are made on the first start and kept on the next, CA and all', async () => {
    const state = mkdtempSync(join(tmpdir(), 'local-stack-certs-'));
    const first = await startLocalStack({}, state);
    await stop(first);
    expect(first.output()).toContain('[certs] wrote ca.crt, ca.key, tls.crt, tls.key');
    const files = ['ca.crt', 'tls.crt', 'tls.key'].map((name) => readFileSync(join(state, 'certs', name), 'utf8'));

    const second = await startLocalStack({}, state);
    try {
      expect(second.output()).toContain('[certs] using certificates in');
      expect(second.ca).toBe(first.ca);
      expect(['ca.crt', 'tls.crt', 'tls.key'].map((name) => readFileSync(join(state, 'certs', name), 'utf8'))).toEqual(
        files,
      );
      const answer = await second.review(loadFixture('v1-create-deployment-3-replicas.json'));
      expect(answer.response.allowed).toBe(true);
    } finally {
      await stop(second);
    }
  }, 60_000);
});
