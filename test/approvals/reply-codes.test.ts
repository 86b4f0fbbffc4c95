// A code admits the change it was texted for, once, from the numbers it was texted
// to, within its time: each way around that is refused.
import { describe, expect, it } from 'vitest';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { alice, bindingFor, bob, carol, createHarness, eventsOf, offerFor, ttlMs } from './approval-harness.js';

const azurite = azuriteForThisFile();
const harness = () => createHarness(azurite().connectionString);
const once = { dryRun: false };

describe('a code replied by an approver it was texted to', () => {
  it('is approved: the answer names the object and the expiry, and the grant is claimed once', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor());
    const reply = await h.reply(alice, `APPROVE ${code}`);
    expect(reply.status).toBe(200);
    expect(reply.response.headers).toEqual({ 'content-type': 'text/xml; charset=utf-8' });
    expect(reply.text).toBe(
      '[prod-aks] APPROVED deployment shop/web (rule minimum-replicas) by +15...0001. Re-apply by 20:41 UTC; it is admitted once.',
    );
    expect(eventsOf(reply.lines)).toEqual(['approval.granted']);
    const claimed = await h.claims.claim(bindingFor(), once);
    expect(claimed).toEqual({ approvers: ['+15…0001'], approvedAt: new Date(h.clock.now).toISOString() });
    expect(await h.claims.claim(bindingFor(), once)).toBeUndefined();
  });

  it('logs the number masked, never whole, and never the code', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor());
    const logs = (await h.reply(alice, `APPROVE ${code}`)).lines.map((line) => line.text).join('\n');
    expect(logs).toContain('+15…0001');
    expect(logs).not.toContain(alice);
    expect(logs).not.toContain(code);
  });

  it('is reported by a dry-run claim without being used', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor());
    await h.reply(alice, `APPROVE ${code}`);
    expect(await h.claims.claim(bindingFor(), { dryRun: true })).toBeDefined();
    expect(await h.claims.claim(bindingFor(), { dryRun: true })).toBeDefined();
    expect(await h.claims.claim(bindingFor(), once)).toBeDefined();
    expect(await h.claims.claim(bindingFor(), { dryRun: true })).toBeUndefined();
  });

  it('is used once: the same code again gets ALREADY APPROVED and no second grant', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor());
    await h.reply(alice, `APPROVE ${code}`);
    expect(await h.claims.claim(bindingFor(), once)).toBeDefined();
    const again = await h.reply(bob, `APPROVE ${code}`);
    expect(again.text).toMatch(/^\[prod-aks\] ALREADY APPROVED deployment shop\/web/);
    expect(await h.claims.claim(bindingFor(), once)).toBeUndefined();
  });

  it('admits this binding only: a claim for another spec or another object finds nothing', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor());
    await h.reply(alice, `APPROVE ${code}`);
    expect(await h.claims.claim(bindingFor('web', 'b'.repeat(64)), once)).toBeUndefined();
    expect(await h.claims.claim(bindingFor('api'), once)).toBeUndefined();
    expect(await h.claims.claim({ ...bindingFor(), rules: ['image-tag'] }, once)).toBeUndefined();
    expect(await h.claims.claim(bindingFor(), once)).toBeDefined();
  });

  it('does not answer for another object: a code of one binding is not valid for another', async () => {
    const h = harness();
    const web = await h.issue(offerFor(bindingFor('web')));
    await h.issue(offerFor(bindingFor('api')));
    await h.reply(alice, `APPROVE ${web.code}`);
    expect(await h.claims.claim(bindingFor('api'), once)).toBeUndefined();
    expect(await h.claims.claim(bindingFor('web'), once)).toBeDefined();
  });

  it('lets only one of two simultaneous claims win', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor());
    await h.reply(alice, `APPROVE ${code}`);
    const results = await Promise.all(Array.from({ length: 6 }, () => h.claims.claim(bindingFor(), once)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('can be claimed until APPROVAL_TTL_MINUTES after the approval, not after', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor());
    await h.reply(alice, `APPROVE ${code}`);
    h.clock.now += ttlMs;
    expect(await h.claims.claim(bindingFor(), once)).toBeUndefined();
  });
});

describe('a code that may not approve', () => {
  it('is refused when it has expired, without a grant', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor());
    h.clock.now += ttlMs;
    const reply = await h.reply(alice, `APPROVE ${code}`);
    expect(reply.text).toBe('That code has expired. Re-apply the change: its new BLOCKED text has a new code.');
    expect(eventsOf(reply.lines)).toEqual(['approval.refused']);
    expect(await h.claims.claim(bindingFor(), once)).toBeUndefined();
  });

  it('is refused from a number that is not one of the approvers it was texted to', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor(bindingFor(), 1, [alice]));
    const reply = await h.reply(bob, `APPROVE ${code}`);
    expect(reply.text).toBe('That code is not valid from this number.');
    expect(reply.lines.map((line) => line.text).join('\n')).toContain('"reason":"wrong-code"');
    expect(await h.claims.claim(bindingFor(), once)).toBeUndefined();
    expect((await h.reply(carol, `APPROVE ${code}`)).text).toBe('That code is not valid from this number.');
  });

  it('is refused when it is simply wrong', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor());
    const wrong = code === '000000' ? '000001' : '000000';
    expect((await h.reply(alice, `APPROVE ${wrong}`)).text).toBe('That code is not valid from this number.');
    expect(await h.claims.claim(bindingFor(), once)).toBeUndefined();
  });

  it('stays valid when two notify instances issue codes for one binding at once', async () => {
    const h = harness();
    const [first, second] = await Promise.all([h.issue(offerFor()), h.issue(offerFor())]);
    expect(eventsOf((await h.reply(alice, `APPROVE ${first?.code}`)).lines)).toEqual(['approval.granted']);
    const other = createHarness(azurite().connectionString);
    const codes = await Promise.all(Array.from({ length: 4 }, () => other.issue(offerFor(bindingFor(), 2))));
    await other.reply(alice, `APPROVE ${codes[0]?.code}`);
    await other.reply(bob, `APPROVE ${codes[3]?.code}`);
    expect(await other.claims.claim(bindingFor(), once)).toBeDefined();
    expect(second).toBeDefined();
  });

  it('stays valid when the binding is blocked again: each text keeps its own code', async () => {
    const h = harness();
    const first = await h.issue(offerFor());
    await h.issue(offerFor());
    await h.reply(alice, `APPROVE ${first.code}`);
    expect(await h.claims.claim(bindingFor(), once)).toBeDefined();
  });
});

describe('a reply Twilio sends twice (same MessageSid)', () => {
  it('is processed once and answered alike', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor(bindingFor(), 2));
    const first = await h.reply(alice, `APPROVE ${code}`, { sid: `SM${'ab'.repeat(16)}` });
    const again = await h.reply(alice, `APPROVE ${code}`, { sid: `SM${'ab'.repeat(16)}` });
    expect(again.text).toBe(first.text);
    expect(eventsOf(again.lines)).toEqual(['approval.repeat']);
    await h.reply(bob, `APPROVE ${code}`);
    expect(await h.claims.claim(bindingFor(), once)).toEqual({
      approvers: ['+15…0001', '+15…0002'],
      approvedAt: new Date(h.clock.now).toISOString(),
    });
  });

  it('does not count a wrong code twice', async () => {
    const h = harness();
    await h.issue(offerFor());
    const sid = `SM${'cd'.repeat(16)}`;
    for (let i = 0; i < 6; i++) await h.reply(alice, 'APPROVE 999999', { sid });
    const failures = await h.rows.list("PartitionKey eq 'failures'");
    expect(failures.map((row) => JSON.parse(String(row.values.times)).length)).toEqual([1]);
  });
});
