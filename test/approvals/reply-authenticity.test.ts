// Only Twilio, for our account and our number, gets past the door: anything else is
// 403 and leaves the approvals table as it was.
import { describe, expect, it } from 'vitest';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { alice, bindingFor, createHarness, mallory, offerFor, replyUrl } from './approval-harness.js';

const azurite = azuriteForThisFile();

async function issued() {
  const harness = createHarness(azurite().connectionString);
  const { code } = await harness.issue(offerFor());
  return { harness, code };
}

async function rowsOf(harness: ReturnType<typeof createHarness>, partition: string) {
  return harness.rows.list(`PartitionKey eq '${partition}'`);
}

describe('a reply that is not from Twilio for us', () => {
  it.each([
    ['a forged signature', { signature: 'bm90IGEgc2lnbmF0dXJl' }],
    ['a signature made with another auth token', { token: 'another-accounts-auth-token-000' }],
    ['a signature for another URL', { url: replyUrl.replace('functionkey', 'other') }],
    ['another AccountSid, signed with our token', { fields: { AccountSid: `AC${'e5'.repeat(16)}` } }],
    ['another To number', { fields: { To: '+15005550007' } }],
  ])('is refused with 403 and stores nothing: %s', async (_, options) => {
    const { harness, code } = await issued();
    const reply = await harness.reply(alice, `APPROVE ${code}`, options);
    expect(reply.status).toBe(403);
    expect(String(reply.response.body)).toMatch(/^REPLY_FORBIDDEN/);
    expect(await rowsOf(harness, 'reply')).toHaveLength(0);
    expect(await harness.claims.claim(bindingFor(), { dryRun: true })).toBeUndefined();
    expect(reply.lines.map((line) => line.text).join('\n')).not.toContain(code);
  });

  it('is refused without a signature at all', async () => {
    const { harness, code } = await issued();
    expect((await harness.reply(alice, `APPROVE ${code}`, { signature: '' })).status).toBe(403);
  });

  it('does not count toward a lockout (nothing is stored)', async () => {
    const { harness } = await issued();
    for (let i = 0; i < 6; i++) await harness.reply(mallory, 'APPROVE 000000', { signature: 'Zm9yZ2Vk' });
    expect(await rowsOf(harness, 'failures')).toHaveLength(0);
    expect(await rowsOf(harness, 'lockout')).toHaveLength(0);
  });

  it('answers a signed request with a malformed MessageSid with 400 REPLY_INVALID', async () => {
    const { harness } = await issued();
    const reply = await harness.reply(alice, 'HELP', { sid: 'not-a-sid' });
    expect(reply.status).toBe(400);
    expect(String(reply.response.body)).toMatch(/^REPLY_INVALID/);
  });
});
