// notify's side: a BLOCKED notification with an ApprovalOffer gets a one-time code;
// the approvers' texts end with the reply line, everyone else's do not, and the code
// in the text is the one a reply approves with.
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../functions/core/index.js';
import { compilePattern } from '../../functions/core/index.js';
import { toQueueMessage } from '../../functions/core/texts/queue-message.js';
import { loadNotifySettings } from '../../functions/shells/settings/notify-settings.js';
import { createDeliveryReceipts } from '../../functions/shells/sms/delivery-receipts.js';
import { createDuplicateFilter } from '../../functions/shells/sms/duplicate-filter.js';
import { createNotifyHandler } from '../../functions/shells/sms/notify-handler.js';
import type { SmsSender } from '../../functions/shells/sms/sms-sender.js';
import { createTableRows, type TableRows } from '../../functions/shells/sms/table-rows.js';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { recordingContext } from '../helpers/fixtures.js';
import { alice, bindingFor, bob, createHarness, eventsOf, offerFor, ttlMs } from './approval-harness.js';

const azurite = azuriteForThisFile();
const oncall = '+15551230009';

function blocked(required: 1 | 2 = 1): Notification {
  return {
    type: 'blocked',
    cluster: 'prod-aks',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    operation: 'CREATE',
    subResource: undefined,
    user: 'alice@contoso.com',
    uid: 'uid-1',
    at: '2026-11-22T10:00:00.000Z',
    rules: ['minimum-replicas'],
    reason: '2 replicas, minimum is 3',
    fix: 'Set spec.replicas >= 3 and re-apply.',
    approval: offerFor(bindingFor(), required, [alice, bob]),
  };
}

function notifyWith(rows: ReturnType<typeof createHarness>['rows'], receiptRows?: TableRows, duplicateMs = 0) {
  const sent: { to: string; body: string }[] = [];
  const sender: SmsSender = {
    name: 'twilio',
    async send(to, body) {
      sent.push({ to, body });
      return { sid: `SM${String(sent.length).padStart(32, '0')}` };
    },
  };
  const notify = createNotifyHandler({
    settings: loadNotifySettings({}),
    sender,
    duplicates: createDuplicateFilter(duplicateMs),
    routes: [{ namespaces: [compilePattern('shop')], to: [oncall, alice], approvers: [alice, bob] }],
    approvals: { rows, ttlMs },
    ...(receiptRows
      ? {
          receipts: {
            store: createDeliveryReceipts(receiptRows, undefined),
            accountSid: `AC${'d4'.repeat(16)}`,
            callback: { url: 'https://app.example.net/api/sms-status?code=k', authToken: 'a'.repeat(32) },
          },
        }
      : {}),
  });
  return { notify, sent };
}

describe('a BLOCKED text that may be approved by reply', () => {
  it('texts the approvers the code, and the others the text without it', async () => {
    const h = createHarness(azurite().connectionString);
    const { notify, sent } = notifyWith(h.rows);
    const { context, lines } = recordingContext();
    await notify(toQueueMessage(blocked()), context);
    const plain =
      '[prod-aks] BLOCKED deployment shop/web by alice@contoso.com: rule minimum-replicas: "2 replicas, minimum is 3". Set spec.replicas >= 3 and re-apply.';
    expect(sent.map((text) => text.to)).toEqual([oncall, alice, bob]);
    expect(sent[0]?.body).toBe(plain);
    const line = / Reply APPROVE (\d{6}) within 15 min to admit this exact change once\.$/;
    expect(sent[1]?.body).toMatch(line);
    expect(sent[2]?.body).toBe(sent[1]?.body);
    expect(sent[1]?.body.startsWith(plain)).toBe(true);
    expect(eventsOf(lines)).toContain('approval.issued');
    const code = line.exec(sent[1]?.body ?? '')?.[1] ?? '';
    expect(lines.map((entry) => entry.text).join('\n')).not.toContain(code);
    expect(eventsOf((await h.reply(bob, `APPROVE ${code}`)).lines)).toEqual(['approval.granted']);
  });

  it('says so when two approvers must reply', async () => {
    const h = createHarness(azurite().connectionString);
    const { notify, sent } = notifyWith(h.rows);
    await notify(toQueueMessage(blocked(2)), recordingContext().context);
    expect(sent[1]?.body).toMatch(
      / Reply APPROVE \d{6} within 15 min to admit this exact change once; 2 approvers must reply\.$/,
    );
  });

  it('keeps the whole reply line within two segments, cutting the text before it', async () => {
    const h = createHarness(azurite().connectionString);
    const { notify, sent } = notifyWith(h.rows);
    const base = blocked();
    if (base.type !== 'blocked') throw new Error('a blocked notification');
    const long = { ...base, reason: 'x'.repeat(400) };
    await notify(toQueueMessage(long), recordingContext().context);
    const body = sent[1]?.body ?? '';
    expect(body).toMatch(/\.\.\. Reply APPROVE \d{6} within 15 min to admit this exact change once\.$/);
    expect(body.length).toBeGreaterThan(290);
    expect(body.length).toBeLessThanOrEqual(306);
  });

  it('keeps no code in the delivery receipts (what a fallback number would be sent)', async () => {
    const h = createHarness(azurite().connectionString);
    const storage = { type: 'connection-string' as const, connectionString: azurite().connectionString };
    const receiptRows = createTableRows(storage, `receipts${Date.now() % 100000}`);
    const { notify, sent } = notifyWith(h.rows, receiptRows);
    await notify(toQueueMessage(blocked()), recordingContext().context);
    expect(sent[1]?.body).toMatch(/Reply APPROVE \d{6}/);
    const kept = (await receiptRows.list("PartitionKey eq 'message'")).map((row) => String(row.values.body));
    expect(kept).toHaveLength(3);
    for (const body of kept) expect(body).not.toMatch(/APPROVE/);
  });

  it('texts a changed spec again within the duplicate window (a new change, a new code), the same spec once', async () => {
    const h = createHarness(azurite().connectionString);
    const { notify, sent } = notifyWith(h.rows, undefined, 600_000);
    const first = blocked();
    if (first.type !== 'blocked' || !first.approval) throw new Error('a blocked notification with an offer');
    await notify(toQueueMessage(first), recordingContext().context);
    await notify(toQueueMessage({ ...first, uid: 'uid-2' }), recordingContext().context);
    expect(sent.filter((text) => text.to === alice)).toHaveLength(1);
    const binding = { ...first.approval.binding, specHash: 'c'.repeat(64) };
    const changed = { ...first, uid: 'uid-3', approval: { ...first.approval, binding } };
    await notify(toQueueMessage(changed), recordingContext().context);
    const toAlice = sent.filter((text) => text.to === alice);
    expect(toAlice).toHaveLength(2);
    expect(toAlice[1]?.body).not.toBe(toAlice[0]?.body);
    expect(sent.filter((text) => text.to === oncall)).toHaveLength(2);
  });

  it('keeps the texted code good however often the same change is blocked again (duplicates carry no code)', async () => {
    const h = createHarness(azurite().connectionString);
    const { notify, sent } = notifyWith(h.rows, undefined, 600_000);
    const first = blocked();
    await notify(toQueueMessage(first), recordingContext().context);
    const code = / Reply APPROVE (\d{6}) /.exec(sent[1]?.body ?? '')?.[1] ?? '';
    const again = recordingContext();
    // A deploy tool re-applying the denied change: more re-applies than the offer row keeps codes.
    for (let retry = 2; retry <= 13; retry++)
      await notify(toQueueMessage({ ...first, uid: `uid-${retry}` }), again.context);
    expect(sent.filter((text) => text.to === alice)).toHaveLength(1);
    expect(eventsOf(again.lines).filter((event) => event === 'approval.withdrawn')).toHaveLength(12);
    expect(eventsOf((await h.reply(alice, `APPROVE ${code}`)).lines)).toEqual(['approval.granted']);
  });
});
