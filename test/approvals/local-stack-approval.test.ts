// Approve by reply end to end through the local stack (npm start: proxy, development
// function host, Azurite), the reply simulated by the built `npm run sms:reply`, signed
// as Twilio signs it: blocked, code texted, reply, confirmation, the retried apply
// admitted once with the warning, the same spec denied again, a changed spec denied.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadFixture } from '../helpers/fixtures.js';
import { type LocalStack, startLocalStack } from '../helpers/local-stack.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../dist/deploy/local/sms-reply.js', import.meta.url));
const approver = '+15551230001';
const policy = `apiVersion: admission.serverless.io/v1
kind: AdmissionPolicy
rules:
  - name: minimum-replicas
    builtin: minimum-replicas
    minimum: 3
    approvable: true
notifications:
  routes:
    - namespaces: ["shop"]
      to: ["+15551230009"]
      approvers: ["${approver}"]
`;

let stack: LocalStack;
let functionsPort = 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

beforeAll(async () => {
  const directory = mkdtempSync(join(tmpdir(), 'approval-e2e-'));
  writeFileSync(join(directory, 'policy.yaml'), policy);
  functionsPort = await freePort();
  stack = await startLocalStack({ POLICY_FILE: join(directory, 'policy.yaml'), FUNCTIONS_PORT: String(functionsPort) });
}, 40_000);

afterAll(async () => {
  if (stack.process.exitCode === null) {
    stack.process.kill('SIGTERM');
    await once(stack.process, 'exit');
  }
}, 20_000);

describe('approve by reply through the local stack', () => {
  it('admits the blocked change once after an approver replies, and nothing else', async () => {
    const blocked = loadFixture('v1-create-deployment-2-replicas.json');
    expect((await stack.review(blocked)).response.allowed).toBe(false);
    const line = / Reply APPROVE (\d{6}) within 15 min to admit this exact change once\.$/;
    const code = await vi.waitFor(
      () => {
        const text = stack.texts().find((entry) => entry.to === approver && line.test(entry.body));
        if (!text) throw new Error('no code texted yet');
        return line.exec(text.body)?.[1] ?? '';
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(stack.texts().find((entry) => entry.to === '+15551230009')?.body).not.toMatch(/APPROVE/);

    const env = { PATH: process.env.PATH, FUNCTIONS_PORT: String(functionsPort) };
    const { stdout } = await run(process.execPath, [script, 'APPROVE', code, '--from', approver], { env });
    expect(stdout).toMatch(
      /<Message>\[e2e\] APPROVED deployment shop\/web \(rule minimum-replicas\) by \+15\.\.\.0001\. Re-apply by \d\d:\d\d UTC; it is admitted once\.<\/Message>/,
    );

    const admitted = await stack.review(blocked);
    expect(admitted.response.allowed).toBe(true);
    expect(admitted.response.warnings).toEqual([
      expect.stringMatching(/^approved by \+15\.\.\.0001 at \d\d:\d\d UTC \(rule minimum-replicas\)$/),
    ]);
    expect((await stack.review(blocked)).response.allowed).toBe(false);

    const changed = loadFixture('v1-create-deployment-2-replicas.json');
    changed.request.object.spec.template.spec.containers[0] = { name: 'web', image: 'nginx:1.27' };
    expect((await stack.review(changed)).response.allowed).toBe(false);
  });
});
