// Approve by reply at the admission handler: an approvable denial claims a grant bound
// to its exact change, once, within a bound; claimed, the review is admitted with a
// warning, audit annotations and an admission.approved log line, and no BLOCKED text.
import type { HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import {
  type AdmissionReviewResponse,
  type ApprovalClaims,
  hashApprovalSpec,
  type Notification,
} from '../../functions/core/index.js';
import { defaultPolicy } from '../../functions/core/policy.js';
import { createAdmissionApprovalClaims } from '../../functions/shells/http/admission-approval-claims.js';
import { createAdmissionHandler } from '../../functions/shells/http/admission-handler.js';
import { readStateStorage } from '../../functions/shells/settings/state-storage.js';
import { approvalPolicy, approvers, memoryClaims, now } from '../helpers/approvals.js';
import { loadFixture, type ReviewFixture, recordingContext, reviewRequest } from '../helpers/fixtures.js';
import { secretsFoundIn } from '../helpers/secrets-in-logs.js';

const policy = approvalPolicy();

function handlerWith(claims: ApprovalClaims | undefined) {
  const sent: Notification[] = [];
  const handler = createAdmissionHandler({
    settings: { clusterName: 'prod-aks' },
    policy,
    now: () => now,
    sendNotifications: (notifications) => sent.push(...notifications),
    approvalClaims: claims,
  });
  return { handler, sent };
}

async function review(handler: ReturnType<typeof handlerWith>['handler'], fixture: ReviewFixture) {
  const { context, lines } = recordingContext();
  const response: HttpResponseInit = await handler(reviewRequest(fixture), context);
  // Trust boundary: the handler under test builds jsonBody with toAdmissionReviewResponse.
  const body = response.jsonBody as AdmissionReviewResponse;
  return { answer: body.response, lines, log: JSON.parse(lines.at(-1)?.text ?? '{}') };
}

function twoReplicas(): ReviewFixture {
  return loadFixture('v1-create-deployment-2-replicas.json');
}

function bindingOf(fixture: ReviewFixture) {
  const specHash = hashApprovalSpec(fixture.request.object);
  return { cluster: 'prod-aks', namespace: 'shop', kind: 'Deployment', name: 'web', rules: ['min-replicas'], specHash };
}

const approval = { approvers: ['+44…0123'], approvedAt: '2026-12-02T10:42:17Z' };

describe('admission handler: approve by reply', () => {
  it('admits an approved change once, with the warning, audit annotations and no BLOCKED text', async () => {
    const { claims, grant } = memoryClaims();
    grant(bindingOf(twoReplicas()), approval);
    const { handler, sent } = handlerWith(claims);
    const { answer, log, lines } = await review(handler, twoReplicas());
    expect(answer).toMatchObject({
      allowed: true,
      warnings: ['approved by +44...0123 at 10:42 UTC (rule min-replicas)'],
      auditAnnotations: {
        'approved-by': '+44...0123',
        'approved-at': '2026-12-02T10:42:17Z',
        'approved-rules': 'min-replicas',
      },
    });
    expect(answer.status).toBeUndefined();
    expect(sent).toEqual([]);
    expect(log).toMatchObject({
      event: 'admission.approved',
      decision: 'approved',
      approvedBy: '+44...0123',
      approvedRules: ['min-replicas'],
    });
    expect(
      secretsFoundIn(
        lines.map((line) => line.text),
        approvers,
      ),
    ).toEqual([]);
  });

  it('denies the same change applied a second time, texting BLOCKED again', async () => {
    const { claims, grant } = memoryClaims();
    grant(bindingOf(twoReplicas()), approval);
    const { handler, sent } = handlerWith(claims);
    await review(handler, twoReplicas());
    const second = await review(handler, twoReplicas());
    expect(second.answer).toMatchObject({ allowed: false, status: { code: 403 } });
    expect(second.log).toMatchObject({ event: 'admission.decided', decision: 'denied' });
    expect(sent.map((notification) => notification.type)).toEqual(['blocked']);
  });

  it('denies a changed spec: the grant was for the change as blocked', async () => {
    const { claims, grant } = memoryClaims();
    grant(bindingOf(twoReplicas()), approval);
    const changed = twoReplicas();
    const [container] = changed.request.object.spec.template.spec.containers;
    if (container) container.image = 'nginx:latest';
    const { answer } = await review(handlerWith(claims).handler, changed);
    expect(answer.allowed).toBe(false);
  });

  it('admits the retried apply whose resourceVersion, uid and managedFields differ', async () => {
    const { claims, grant } = memoryClaims();
    grant(bindingOf(twoReplicas()), approval);
    const retried = twoReplicas();
    Object.assign(retried.request.object.metadata, { uid: 'a-new-uid', resourceVersion: '991', managedFields: [] });
    expect((await review(handlerWith(claims).handler, retried)).answer.allowed).toBe(true);
  });

  it('names both approvers under the two-person rule', async () => {
    const { claims, grant } = memoryClaims();
    grant(bindingOf(twoReplicas()), { approvers: ['+44…0123', '+1…0001'], approvedAt: '2026-12-02T10:44:00Z' });
    const { answer } = await review(handlerWith(claims).handler, twoReplicas());
    expect(answer.warnings).toEqual(['approved by +44...0123 and +1...0001 at 10:44 UTC (rule min-replicas)']);
  });

  it('checks a dry run against the grant without using it up', async () => {
    const { claims, grant, calls } = memoryClaims();
    grant(bindingOf(twoReplicas()), approval);
    const dry = twoReplicas();
    dry.request.dryRun = true;
    const { handler } = handlerWith(claims);
    expect((await review(handler, dry)).answer.allowed).toBe(true);
    expect((await review(handler, twoReplicas())).answer.allowed).toBe(true);
    expect(calls.map((call) => call.dryRun)).toEqual([true, false]);
  });

  it('never asks the table about an allowed review or a denial that is not approvable', async () => {
    const { claims, calls } = memoryClaims();
    const { handler } = handlerWith(claims);
    const allowed = twoReplicas();
    allowed.request.object.spec.replicas = 3;
    const unlabelled = twoReplicas();
    delete unlabelled.request.object.metadata.labels['app.kubernetes.io/part-of'];
    await review(handler, allowed);
    expect((await review(handler, unlabelled)).answer.allowed).toBe(false);
    expect(calls).toEqual([]);
  });

  it('keeps the denial and logs APPROVAL_CLAIM_FAILED when the table fails', async () => {
    const failing: ApprovalClaims = { claim: () => Promise.reject(new Error('table down')) };
    const { handler, sent } = handlerWith(failing);
    const { answer, log, lines } = await review(handler, twoReplicas());
    expect(answer.allowed).toBe(false);
    expect(log).toMatchObject({ event: 'admission.decided', decision: 'denied', errorCode: 'APPROVAL_CLAIM_FAILED' });
    expect(lines.at(-1)?.level).toBe('warning');
    expect(sent.map((notification) => notification.type)).toEqual(['blocked']);
  });

  it('keeps the denial when the claim does not answer within its bound (1 s)', async () => {
    const hanging: ApprovalClaims = { claim: () => new Promise(() => undefined) };
    const started = performance.now();
    const { answer, log } = await review(handlerWith(hanging).handler, twoReplicas());
    expect(performance.now() - started).toBeLessThan(1_900);
    expect(answer.allowed).toBe(false);
    expect(log.errorCode).toBe('APPROVAL_CLAIM_FAILED');
  });
});

describe('admission function: which approval claims it makes', () => {
  const storage = { type: 'connection-string', connectionString: 'UseDevelopmentStorage=true' } as const;

  it('makes none, and reads no storage setting, when the policy has nothing approvable', () => {
    let read = 0;
    const claims = createAdmissionApprovalClaims(
      defaultPolicy(3),
      () => {
        read++;
        return storage;
      },
      () => undefined,
    );
    expect(claims).toBeUndefined();
    expect(read).toBe(0);
  });

  it('makes none, and says why, without AzureWebJobsStorage', () => {
    const said: string[] = [];
    expect(
      createAdmissionApprovalClaims(
        policy,
        () => undefined,
        (line) => said.push(line),
      ),
    ).toBeUndefined();
    expect(said).toEqual([expect.stringContaining('no AzureWebJobsStorage')]);
  });

  it('makes none, and says why naming the setting, when a storage setting is malformed (admission still starts)', () => {
    const said: string[] = [];
    const claims = createAdmissionApprovalClaims(
      policy,
      () => readStateStorage({ AzureWebJobsStorage__accountName: 'Not_An_Account' }),
      (line) => said.push(line),
    );
    expect(claims).toBeUndefined();
    expect(said).toEqual([expect.stringContaining('AzureWebJobsStorage__accountName: a storage account name')]);
    expect(said.join()).not.toContain('Not_An_Account');
  });

  it('makes table claims for a policy with approvable rules and approvers, connecting in the background', () => {
    expect(
      createAdmissionApprovalClaims(
        policy,
        () => storage,
        () => undefined,
      ),
    ).toMatchObject({
      claim: expect.any(Function),
    });
  });
});
