// Delivery receipts, end to end on loopback: notify sends through the real twilio SDK
// to the fake Twilio, which calls sms-status back signed as Twilio signs; the state
// lives in Azurite. What a carrier reports after Twilio accepted a text decides who
// is texted next.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryReceipts, receiptRetentionMs } from '../../functions/shells/sms/delivery-receipts.js';
import { createStatusHandler } from '../../functions/shells/sms/status-handler.js';
import { sendLeaseMs } from '../../functions/shells/sms/table-state.js';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { type FakeTwilio, startFakeTwilio } from '../helpers/fake-twilio.js';
import { secretsFoundIn } from '../helpers/secrets-in-logs.js';
import { callbackFields, postStatusCallback } from '../helpers/status-callbacks.js';
import { type StatusEndpoint, startStatusEndpoint } from './status-endpoint.js';
import {
  accountSid,
  authToken,
  backup,
  blockedIn,
  freshRows,
  type Harness,
  oncall,
  startHarness,
} from './status-harness.js';

const azurite = azuriteForThisFile();
let twilio: FakeTwilio;
let endpoint: StatusEndpoint;
let harness: Harness;

beforeAll(async () => {
  twilio = await startFakeTwilio({ username: accountSid, password: authToken }, { callbackDelayMs: 50 });
  endpoint = await startStatusEndpoint();
});
afterAll(async () => {
  await twilio.close();
  await endpoint.close();
});
beforeEach(() => {
  twilio.received.length = 0;
  twilio.callbacks.length = 0;
  endpoint.lines.length = 0;
  twilio.script();
  harness = startHarness(twilio, endpoint, freshRows(azurite().connectionString));
});

const undelivered = (errorCode: number) => ({ kind: 'accept', outcome: { status: 'undelivered', errorCode } }) as const;
const sentTo = (number: string) => twilio.received.filter((message) => message.to === number);
const endpointLog = () => endpoint.lines.map((line) => line.text).join('\n');

describe('delivery receipts', () => {
  it('asks Twilio for callbacks at the configured URL and records queued, sent, then delivered', async () => {
    await harness.text(blockedIn('shop', 'u1'));
    const [text] = twilio.received;
    expect(text?.statusCallback).toBe(endpoint.url);
    expect(twilio.callbacks.map(({ status, httpStatus }) => [status, httpStatus])).toEqual([
      ['sent', 204],
      ['delivered', 204],
    ]);
    expect(await harness.messageRow(text?.sid ?? '')).toMatchObject({
      state: 'delivered',
      route: 'routes[0]',
      recipientIndex: 0,
    });
  });

  it('refuses a callback with a bad signature or another account with 403, changes nothing, and logs no number', async () => {
    await harness.text(blockedIn('shop', 'u2'));
    const text = { ...twilio.received[0], sid: twilio.received[0]?.sid ?? '' };
    const before = await harness.messageRow(text.sid);
    const fields = callbackFields(
      { ...text, accountSid, to: oncall, from: null, messagingServiceSid: null },
      'failed',
      30005,
    );
    expect(await postStatusCallback(endpoint.url, fields, 'not-the-auth-token-0123456789')).toBe(403);
    expect(await postStatusCallback(endpoint.url, fields, authToken, 'c2lnbmVkIGJ5IG5vYm9keQ==')).toBe(403);
    expect(await postStatusCallback(`${endpoint.url}&other=1`, fields, authToken)).toBe(403); // signed for another URL
    const otherAccount = { ...fields, AccountSid: `AC${'d4'.repeat(16)}` };
    expect(await postStatusCallback(endpoint.url, otherAccount, authToken)).toBe(403);
    expect(await harness.messageRow(text.sid)).toEqual(before);
    expect(await harness.markOf(oncall)).toBeUndefined();
    expect(sentTo(backup)).toHaveLength(0);
    expect(endpointLog()).toContain('"errorCode":"CALLBACK_FORBIDDEN"');
    expect(endpointLog()).not.toMatch(/\+1555|30005|failed|BLOCKED/);
  });

  it('texts the fallback once when a text fails for good, and marks the number so the next text skips it', async () => {
    twilio.script(undelivered(30005));
    await harness.text(blockedIn('shop', 'u3'));
    expect(sentTo(backup).map((message) => message.body)).toEqual(sentTo(oncall).map((message) => message.body));
    const original = sentTo(oncall)[0]?.sid ?? '';
    expect(await harness.messageRow(original)).toMatchObject({
      state: 'undelivered',
      errorCode: 30005,
      escalation: 'done',
    });
    expect(await harness.markOf(oncall)).toMatchObject({ errorCode: 30005, route: 'routes[0]', skipped: 0 });
    expect(endpointLog()).toContain('"event":"sms.escalated"');

    const log = await harness.text(blockedIn('shop', 'u4'));
    expect(sentTo(oncall)).toHaveLength(1);
    expect(log).toContain('"event":"sms.suppressed"');
    expect(log).toContain('"errorCode":"RECIPIENT_UNDELIVERABLE","twilioCode":30005');
    expect(await harness.markOf(oncall)).toMatchObject({ skipped: 1 });
    const secrets = { oncall, backup, authToken, body: sentTo(oncall)[0]?.body ?? '' };
    expect(secretsFoundIn(`${log}\n${endpointLog()}`, secrets)).toEqual([]);
  });

  it('texts the fallback when a text fails for a passing reason, but does not mark the number', async () => {
    twilio.script(undelivered(30003));
    await harness.text(blockedIn('shop', 'u5'));
    expect(sentTo(backup)).toHaveLength(1);
    expect(await harness.markOf(oncall)).toBeUndefined();
    await harness.text(blockedIn('shop', 'u6'));
    expect(sentTo(oncall)).toHaveLength(2);
  });

  it('changes nothing when a callback is replayed, or arrives late', async () => {
    twilio.script(undelivered(30006));
    await harness.text(blockedIn('shop', 'u7'));
    const original = sentTo(oncall)[0];
    const text = {
      sid: original?.sid ?? '',
      accountSid,
      to: oncall,
      from: original?.from ?? null,
      messagingServiceSid: null,
    };
    const before = await harness.messageRow(text.sid);
    for (const [status, code] of [
      ['undelivered', 30006],
      ['undelivered', 30006],
      ['sent', undefined],
    ] as const)
      expect(await postStatusCallback(endpoint.url, callbackFields(text, status, code), authToken)).toBe(204);
    expect(await harness.messageRow(text.sid)).toEqual(before);
    expect(sentTo(backup)).toHaveLength(1);
    expect(await harness.markOf(oncall)).toMatchObject({ errorCode: 30006, skipped: 0 });
  });

  it('does not escalate a failed text to a fallback number again', async () => {
    twilio.script(undelivered(30003), undelivered(30003));
    await harness.text(blockedIn('shop', 'u8'));
    expect(sentTo(backup)).toHaveLength(1);
    expect(twilio.received).toHaveLength(2);
  });

  it('does not escalate to a fallback number that is marked undeliverable, and counts the skip', async () => {
    twilio.script(undelivered(30003), undelivered(30006), undelivered(30003));
    await harness.text(blockedIn('shop', 'u11')); // the fallback's own text fails for good: marked
    expect(await harness.markOf(backup)).toMatchObject({ errorCode: 30006 });
    await harness.text(blockedIn('shop', 'u12'));
    expect(sentTo(oncall)).toHaveLength(2);
    expect(sentTo(backup)).toHaveLength(1);
    expect(await harness.markOf(backup)).toMatchObject({ skipped: 1 });
    expect(endpointLog()).toContain('"event":"sms.suppressed"');
  });

  it('texts a marked number again after SMS_UNDELIVERABLE_RESET', async () => {
    twilio.script(undelivered(30005));
    await harness.text(blockedIn('shop', 'u9'));
    const reset = startHarness(twilio, endpoint, harness.rows, { SMS_UNDELIVERABLE_RESET: new Date().toISOString() });
    await reset.text(blockedIn('shop', 'u10'));
    expect(sentTo(oncall)).toHaveLength(2);
  });
});

describe('the receipts table under concurrent callbacks', () => {
  const sent = {
    sid: `SM${'e5'.repeat(16)}`,
    recipient: 'r1',
    recipientIndex: 0,
    route: 'routes[0]',
    namespace: 'shop',
    cluster: 'prod-aks',
    body: 'text',
  };

  it('moves a text to its final state once, and lets one caller escalate it', async () => {
    const store = createDeliveryReceipts(freshRows(azurite().connectionString));
    await store.recordSent(sent, 1_000);
    const changes = await Promise.all(
      Array.from({ length: 6 }, () => store.applyStatus(sent.sid, 'undelivered', 30005, 2_000)),
    );
    expect(changes.filter(({ change }) => change === 'updated')).toHaveLength(1);
    const claims = await Promise.all(Array.from({ length: 6 }, () => store.claimEscalation(sent.sid, 3_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await store.finishEscalation(sent.sid);
    expect(await store.claimEscalation(sent.sid, 3_000 + sendLeaseMs + 1)).toBe(false);
  });

  it('sweeps the rows of texts older than the retention, and keeps the others', async () => {
    const store = createDeliveryReceipts(freshRows(azurite().connectionString));
    await store.recordSent(sent, 1_000);
    await store.recordSent({ ...sent, sid: `SM${'e6'.repeat(16)}` }, 1_000 + receiptRetentionMs);
    expect(await store.sweep(1_001 + receiptRetentionMs)).toBe(1);
    expect((await store.applyStatus(sent.sid, 'sent', undefined, 0)).change).toBe('unknown');
  });
});

describe('a callback that comes before the text is recorded', () => {
  it('waits for the row a moment, then updates it', async () => {
    const store = createDeliveryReceipts(freshRows(azurite().connectionString));
    const handler = createStatusHandler({
      accountSid,
      callback: { url: endpoint.url, authToken },
      receipts: store,
      escalate: async () => {},
      lateRowMs: 300,
    });
    endpoint.handler = handler;
    const sid = `SM${'f6'.repeat(16)}`;
    const text = { sid, accountSid, to: oncall, from: null, messagingServiceSid: null };
    const answer = postStatusCallback(endpoint.url, callbackFields(text, 'sent'), authToken);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const record = { sid, recipient: 'r1', recipientIndex: 0, route: 'ops', namespace: 'shop', cluster: '' };
    await store.recordSent({ ...record, body: 'text' }, Date.now());
    expect(await answer).toBe(204);
    expect((await store.applyStatus(sid, 'sent', undefined, Date.now())).change).toBe('unchanged');
  });
});
