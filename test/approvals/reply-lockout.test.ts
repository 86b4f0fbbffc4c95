// Brute force: five wrong codes from a number within 15 minutes lock it out for an
// hour. It is told once; the other approvers are texted once; while locked, even the
// right code approves nothing.
import { describe, expect, it } from 'vitest';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { alice, bindingFor, bob, carol, createHarness, eventsOf, mallory, offerFor } from './approval-harness.js';

const azurite = azuriteForThisFile();
const harness = () => createHarness(azurite().connectionString);
const lockedText =
  'Too many wrong codes: approvals from this number are locked for 1 hour. The other approvers have been told.';

async function wrongCodes(h: ReturnType<typeof harness>, from: string, count: number) {
  const answers: string[] = [];
  for (let i = 0; i < count; i++) answers.push((await h.reply(from, `APPROVE ${String(i).padStart(6, '9')}`)).text);
  return answers;
}

describe('wrong codes from one number', () => {
  it('lock it out at the fifth, tell it once and text the other approvers once', async () => {
    const h = harness();
    await h.issue(offerFor());
    const answers = await wrongCodes(h, alice, 7);
    expect(answers.slice(0, 4)).toEqual(Array(4).fill('That code is not valid from this number.'));
    expect(answers[4]).toBe(lockedText);
    expect(answers.slice(5)).toEqual(['', '']);
    expect(h.sent).toEqual(
      [bob, carol].map((to) => ({
        to,
        body: 'Approvals from +15...0001 are locked for 1 hour after 5 wrong codes. If that was not them, their phone may be in other hands.',
      })),
    );
  });

  it('refuse even the right code while locked, and accept it once the hour is over', async () => {
    const h = harness();
    await wrongCodes(h, alice, 5);
    const { code } = await h.issue(offerFor());
    const locked = await h.reply(alice, `APPROVE ${code}`);
    expect(locked.text).toBe('');
    expect(locked.lines.map((line) => line.text).join('\n')).toContain('"reason":"locked-out"');
    expect(await h.claims.claim(bindingFor(), { dryRun: true })).toBeUndefined();
    h.clock.now += 60 * 60_000;
    const { code: fresh } = await h.issue(offerFor());
    expect(eventsOf((await h.reply(alice, `APPROVE ${fresh}`)).lines)).toEqual(['approval.granted']);
  });

  it('lock only that number: another approver still approves', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor());
    await wrongCodes(h, alice, 5);
    expect(eventsOf((await h.reply(bob, `APPROVE ${code}`)).lines)).toEqual(['approval.granted']);
  });

  it('count within 15 minutes only: four, a pause, four more do not lock', async () => {
    const h = harness();
    await wrongCodes(h, mallory, 4);
    h.clock.now += 15 * 60_000 + 1;
    const answers = await wrongCodes(h, mallory, 4);
    expect(answers).not.toContain(lockedText);
  });

  it('lock a number that is no approver at all, and text nobody about it', async () => {
    const h = harness();
    const answers = await wrongCodes(h, mallory, 5);
    expect(answers[4]).toBe(lockedText);
    expect(h.sent).toEqual([]);
  });
});
