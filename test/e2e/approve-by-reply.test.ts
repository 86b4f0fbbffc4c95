// Approve by reply, end to end through the local stack (proxy, development function
// host, Azurite, texts in sms.log, replies signed as Twilio signs them): a blocked
// change, the code texted to the approver, the reply and its confirmation, a changed
// spec denied, the retried apply admitted once with the warning, the same spec denied again.
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localReplyUrl, localTwilio } from '../../deploy/local/local-twilio.js';
import { postReply, signedReply } from '../../deploy/local/sms-reply-request.js';
import { loadFixture, type ReviewFixture } from '../helpers/fixtures.js';
import { type LocalStack, startLocalStack } from '../helpers/local-stack.js';

const approver = '+15551230001';
const policy = `apiVersion: admission.serverless.io/v1
kind: AdmissionPolicy
rules:
  - name: min-replicas
    builtin: minimum-replicas
    minimum: 3
    approvable: true
notifications:
  routes:
    - namespaces: [shop]
      to: ["+15551230009"]
      approvers: ["${approver}"]
`;

let stack: LocalStack;

beforeAll(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'approve-by-reply-'));
  writeFileSync(join(folder, 'policy.yaml'), policy);
  stack = await startLocalStack({ POLICY_FILE: join(folder, 'policy.yaml') });
}, 40_000);

afterAll(async () => {
  if (stack.process.exitCode === null) {
    stack.process.kill('SIGTERM');
    await once(stack.process, 'exit');
  }
}, 20_000);

/** The 2-replica Deployment as a new attempt sends it: a fresh uid and resourceVersion. */
function attempt(n: number, change: (review: ReviewFixture) => void = () => undefined): ReviewFixture {
  const review = loadFixture('v1-create-deployment-2-replicas.json');
  review.request.uid = `0e9d4c6b-71a2-4b8e-a3f5-${String(n).padStart(12, '0')}`;
  Object.assign(review.request.object.metadata, { uid: `object-${n}`, resourceVersion: String(1000 + n) });
  change(review);
  return review;
}

async function reply(body: string) {
  const url = localReplyUrl(stack.functionsPort);
  const message = { body, from: approver, to: localTwilio.number, accountSid: localTwilio.accountSid };
  return postReply(url, signedReply(message, url, localTwilio.authToken));
}

describe('approve by reply, end to end', () => {
  let code = '';

  it('blocks the change and texts the approver a code', async () => {
    const answer = await stack.review(attempt(1));
    expect(answer.response).toMatchObject({ allowed: false, status: { code: 403 } });
    await vi.waitFor(
      () => {
        const text = stack.texts().find((sent) => sent.to === approver && /APPROVE \d{6}/.test(sent.body));
        code = /APPROVE (\d{6})/.exec(text?.body ?? '')?.[1] ?? '';
        expect(code).toMatch(/^\d{6}$/);
      },
      { timeout: 20_000, interval: 200 },
    );
  }, 30_000);

  it('confirms the reply, naming the object', async () => {
    const answer = await reply(`APPROVE ${code}`);
    expect(answer.status).toBe(200);
    expect(answer.answer).toContain('APPROVED deployment shop/web');
  });

  it('denies a changed spec while the approval waits: it was given for the change as blocked', async () => {
    const changed = await stack.review(attempt(2, (review) => (review.request.object.spec.replicas = 1)));
    expect(changed.response).toMatchObject({ allowed: false, status: { code: 403 } });
  });

  it('admits the retried apply once, with the warning kubectl shows and the audit annotations', async () => {
    const answer = await stack.review(attempt(3));
    expect(answer.response.allowed).toBe(true);
    expect(answer.response.warnings).toEqual([
      expect.stringMatching(/^approved by \+1\d*\.\.\.0001 at \d\d:\d\d UTC \(rule min-replicas\)$/),
    ]);
    expect(answer.response.auditAnnotations).toMatchObject({ 'approved-rules': 'min-replicas' });
    expect(JSON.stringify(answer)).not.toContain(approver);
  });

  it('denies a second apply of the same spec', async () => {
    expect((await stack.review(attempt(4))).response).toMatchObject({ allowed: false, status: { code: 403 } });
  });
});
