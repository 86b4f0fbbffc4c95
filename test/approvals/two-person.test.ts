// The two-person rule (a route's `approvals: 2`): two different approvers must reply;
// the same approver twice counts once.
import { describe, expect, it } from 'vitest';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { alice, bindingFor, bob, createHarness, eventsOf, offerFor } from './approval-harness.js';

const azurite = azuriteForThisFile();
const harness = () => createHarness(azurite().connectionString);
const twoPerson = () => offerFor(bindingFor(), 2, [alice, bob]);

describe('an offer that needs two approvers', () => {
  it('is not granted by the first reply, which is told a second approver is needed', async () => {
    const h = harness();
    const { code } = await h.issue(twoPerson());
    const first = await h.reply(alice, `APPROVE ${code}`);
    expect(first.text).toBe(
      '[prod-aks] NOTED 1 of 2 approvals for deployment shop/web (rule minimum-replicas). Another approver must reply APPROVE with the code by 20:41 UTC.',
    );
    expect(eventsOf(first.lines)).toEqual(['approval.recorded']);
    expect(await h.claims.claim(bindingFor(), { dryRun: true })).toBeUndefined();
  });

  it('does not count the same approver twice', async () => {
    const h = harness();
    const { code } = await h.issue(twoPerson());
    await h.reply(alice, `APPROVE ${code}`);
    const again = await h.reply(alice, `APPROVE ${code}`);
    expect(again.text).toMatch(/^\[prod-aks\] You already approved deployment shop\/web/);
    expect(again.lines.map((line) => line.text).join('\n')).toContain('"reason":"same-approver"');
    expect(await h.claims.claim(bindingFor(), { dryRun: true })).toBeUndefined();
  });

  it('is granted by a second, different approver, and the grant names both', async () => {
    const h = harness();
    const { code } = await h.issue(twoPerson());
    await h.reply(alice, `APPROVE ${code}`);
    h.clock.now += 60_000;
    const second = await h.reply(bob, `APPROVE ${code}`);
    expect(second.text).toBe(
      '[prod-aks] APPROVED deployment shop/web (rule minimum-replicas) by +15...0001 and +15...0002. Re-apply by 20:42 UTC; it is admitted once.',
    );
    const claimed = await h.claims.claim(bindingFor(), { dryRun: false });
    expect(claimed).toEqual({ approvers: ['+15…0001', '+15…0002'], approvedAt: new Date(h.clock.now).toISOString() });
  });

  it('records both of two simultaneous replies by different approvers, and grants once', async () => {
    const h = harness();
    const { code } = await h.issue(twoPerson());
    const replies = await Promise.all([h.reply(alice, `APPROVE ${code}`), h.reply(bob, `APPROVE ${code}`)]);
    expect(replies.flatMap((reply) => eventsOf(reply.lines)).sort()).toEqual(['approval.granted', 'approval.recorded']);
    expect(await h.claims.claim(bindingFor(), { dryRun: false })).toBeDefined();
  });
});
