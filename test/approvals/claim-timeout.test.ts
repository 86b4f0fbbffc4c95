// The admission side's 1 s bound on a claim: a claim that finishes after the bound has
// already been answered "denied", so it must not spend the grant. It gives the grant
// back, and the retried apply is admitted.
import { describe, expect, it } from 'vitest';
import { settleApproval } from '../../functions/shells/http/claim-approval.js';
import { approvalPolicy, decideReview } from '../helpers/approvals.js';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { loadFixture } from '../helpers/fixtures.js';
import { alice, createHarness, offerFor } from './approval-harness.js';

const azurite = azuriteForThisFile();

function blockedDecision() {
  const decision = decideReview(loadFixture('v1-create-deployment-2-replicas.json'), approvalPolicy());
  if (!decision.approvable) throw new Error('the fixture is not an approvable denial');
  return { decision, binding: decision.approvable };
}

describe('a claim that finishes after its bound', () => {
  it('keeps the denial and gives the grant back for the next apply', async () => {
    const h = createHarness(azurite().connectionString);
    const { decision, binding } = blockedDecision();
    const { code } = await h.issue(offerFor(binding));
    await h.reply(alice, `APPROVE ${code}`);
    const replace = h.rows.replace.bind(h.rows);
    let slow = true;
    let lateWrite: Promise<boolean> | undefined;
    h.rows.replace = (entity, etag) => {
      if (!slow || entity.partitionKey !== 'grant') return replace(entity, etag);
      slow = false;
      lateWrite = new Promise((resolve) => setTimeout(resolve, 400)).then(() => replace(entity, etag));
      return lateWrite;
    };
    const late = await settleApproval(decision, h.claims, false, 100);
    expect(late.decision.allowed).toBe(false);
    expect(late.errorCode).toBe('APPROVAL_CLAIM_FAILED');
    expect(await lateWrite).toBe(true); // the late claim did write usedAt
    await new Promise((resolve) => setTimeout(resolve, 300)); // and then gave it back
    const retried = await settleApproval(decision, h.claims, false, 5000);
    expect(retried.decision.allowed).toBe(true);
    expect((await settleApproval(decision, h.claims, false, 5000)).decision.allowed).toBe(false);
  });
});
