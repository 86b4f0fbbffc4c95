// The form Twilio posts, read as hostile input: an oversized body, a field sent twice,
// and the ways a phone may write `APPROVE 482913`.
import { describe, expect, it } from 'vitest';
import { readReplyRequest } from '../../functions/shells/approvals/read-reply.js';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { signTwilioRequest } from '../helpers/status-callbacks.js';
import {
  accountSid,
  alice,
  authToken,
  createHarness,
  newSid,
  offerFor,
  ourNumber,
  replyUrl,
} from './approval-harness.js';

const azurite = azuriteForThisFile();

function signedForm(fields: readonly (readonly [string, string])[]) {
  const last = Object.fromEntries(fields);
  return {
    body: new URLSearchParams(fields.map(([k, v]): [string, string] => [k, v])).toString(),
    signature: signTwilioRequest(authToken, replyUrl, last),
  };
}

describe('a reply body', () => {
  it('over 16 KiB is answered 400 REPLY_INVALID naming the limit, and nothing is stored', async () => {
    const h = createHarness(azurite().connectionString);
    const reply = await h.post(`Body=${'x'.repeat(20_000)}`, 'c2lnbmF0dXJl');
    expect(reply.status).toBe(400);
    expect(String(reply.response.body)).toBe('REPLY_INVALID: the body is over 16384 bytes');
    expect(await h.rows.list('true')).toEqual([]);
  });

  it('with a field sent twice is answered 400 REPLY_INVALID, even signed over the last values', async () => {
    const h = createHarness(azurite().connectionString);
    const { code } = await h.issue(offerFor());
    const sid = newSid();
    const base: [string, string][] = [
      ['AccountSid', accountSid],
      ['From', alice],
      ['To', ourNumber],
      ['MessageSid', sid],
    ];
    const form = signedForm([...base, ['Body', 'HELP'], ['Body', `APPROVE ${code}`]]);
    const reply = await h.post(form.body, form.signature);
    expect(reply.status).toBe(400);
    expect(String(reply.response.body)).toMatch(/^REPLY_INVALID: Body is sent more than once/);
    expect(String(reply.response.body)).not.toContain(code);
  });
});

describe('the words of a reply', () => {
  it.each([
    ['full-width letters and digits', 'ＡＰＰＲＯＶＥ　４８２９１３'],
    ['a no-break space and lower case', 'approve\u00a0482913'],
    ['spaces and a newline around it', '  Approve   482913 \n'],
  ])('read %s as APPROVE 482913', (_sentence, body) => {
    expect(readReplyRequest(body)).toEqual({ kind: 'approve', code: '482913' });
  });

  it.each([
    ['seven digits', 'APPROVE 0482913'],
    ['five digits', 'APPROVE 48291'],
    ['another word after it', 'APPROVE 482913 please'],
    ['digits of another script', 'APPROVE ٤٨٢٩١٣'],
    ['a zero-width space inside the code', 'APPROVE 482\u200b913'],
  ])('do not read %s as a code (nor count it as a guess)', (_sentence, body) => {
    expect(readReplyRequest(body).kind).toBe('unknown');
  });
});
