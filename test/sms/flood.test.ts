// The flood budget and the shared duplicate memory, end to end through the notify
// handler, against Azurite: a flood of texts from varied names sends at most the
// budget plus one summary, and two notify processes never send the same text twice.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../functions/core/notification.js';
import { toQueueMessage } from '../../functions/core/texts/queue-message.js';
import { loadNotifySettings } from '../../functions/shells/settings/notify-settings.js';
import { createDuplicateFilter } from '../../functions/shells/sms/duplicate-filter.js';
import { createMemoryBudget } from '../../functions/shells/sms/flood-budget.js';
import { createNotifyHandler } from '../../functions/shells/sms/notify-handler.js';
import type { SmsSender } from '../../functions/shells/sms/sms-sender.js';
import { createTableRows } from '../../functions/shells/sms/table-rows.js';
import { createTableBudget, createTableDuplicateFilter } from '../../functions/shells/sms/table-state.js';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { recordingContext } from '../helpers/fixtures.js';

const azurite = azuriteForThisFile();
const oncall = '+15551230001';
const blocked = (index: number): Notification => ({
  type: 'blocked',
  cluster: 'prod-aks',
  kind: 'Deployment',
  namespace: 'shop',
  name: `app-${index}`,
  operation: 'CREATE',
  subResource: undefined,
  user: 'system:serviceaccount:shop:attacker',
  uid: `uid-${index}`,
  at: '2026-11-22T10:00:00.000Z',
  rules: ['minimum-replicas'],
  reason: '1 replica, minimum is 3',
  fix: 'Set spec.replicas >= 3 and re-apply.',
});

function recordingSender(): SmsSender & { texts: string[] } {
  const texts: string[] = [];
  const send = async (_to: string, body: string) => {
    texts.push(body);
    return { sid: 'test' };
  };
  return { name: 'console', texts, send };
}

describe('the flood budget', () => {
  it('sends at most the budget plus one summary for a 500-event flood from varied names', async () => {
    let time = Date.UTC(2026, 10, 22, 10, 0, 5);
    const rows = createTableRows({ type: 'connection-string', connectionString: azurite().connectionString }, 'flood');
    const sender = recordingSender();
    const limits = { windowMs: 600_000, perCluster: 30, perRecipient: 10 };
    const notify = createNotifyHandler({
      settings: loadNotifySettings({ OPS_PHONE_NUMBERS: oncall }),
      sender,
      duplicates: createTableDuplicateFilter(rows, 600_000, () => time),
      budget: createTableBudget(rows, limits),
      now: () => time,
    });
    const { context, lines } = recordingContext();
    for (let index = 0; index < 500; index++) await notify(toQueueMessage(blocked(index)), context);
    expect(sender.texts).toHaveLength(10);

    time += 600_000; // the window has ended: the timer (or the next event) sends the summary
    expect(await notify.sendSummaries(context)).toBe(1);
    expect(await notify.sendSummaries(context)).toBe(0);
    expect(sender.texts).toHaveLength(11);
    expect(sender.texts[10]).toBe(
      '[prod-aks] 490 more events in the last 10 min: 490 blocked. Not texted (text budget); see the notify log.',
    );
    const held = lines.map((line) => line.text).filter((text) => text.includes('"event":"sms.held"'));
    expect(held).toHaveLength(490);
    expect(held.at(-1)).toContain('"heldInWindow":490');
    expect(lines.map((line) => line.text).join('\n')).not.toContain(oncall);
  }, 60_000);
});

describe('the summary', () => {
  it('goes out with the next event after the window, when no timer came first', async () => {
    let time = Date.UTC(2026, 10, 22, 10, 0, 5);
    const sender = recordingSender();
    const notify = createNotifyHandler({
      settings: loadNotifySettings({ OPS_PHONE_NUMBERS: oncall }),
      sender,
      duplicates: createDuplicateFilter(600_000, () => time),
      budget: createMemoryBudget({ windowMs: 600_000, perCluster: 30, perRecipient: 2 }),
      now: () => time,
    });
    const { context } = recordingContext();
    for (let index = 0; index < 5; index++) await notify(toQueueMessage(blocked(index)), context);
    expect(sender.texts).toHaveLength(2);
    time += 600_000;
    await notify(toQueueMessage(blocked(99)), context);
    expect(sender.texts.slice(2)).toEqual([
      expect.stringContaining('BLOCKED deployment shop/app-99'),
      '[prod-aks] 3 more events in the last 10 min: 3 blocked. Not texted (text budget); see the notify log.',
    ]);
  });
});

describe('two notify processes sharing the storage account', () => {
  const worker = fileURLToPath(new URL('../helpers/azurite-notify-worker.mjs', import.meta.url));
  const run = (env: Record<string, string>) =>
    new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [worker], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      ),
    );

  it('never send the same text twice, even when both get every message', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'two-notify-'));
    const messages = Array.from({ length: 40 }, (_, index) => toQueueMessage(blocked(index % 20)));
    const env = {
      AzureWebJobsStorage: azurite().connectionString,
      OPS_PHONE_NUMBERS: `${oncall},+15551230002`,
      SMS_BUDGET_PER_RECIPIENT: '1000',
      SMS_BUDGET_PER_CLUSTER: '1000',
      SMS_LOG_FILE: join(directory, 'sms.log'),
      MESSAGES: JSON.stringify(messages),
    };
    await Promise.all([run(env), run(env)]);
    const sent = readFileSync(join(directory, 'sms.log'), 'utf8').split('\n').filter(Boolean);
    expect(sent).toHaveLength(40); // 20 distinct events, 2 phones
    expect(new Set(sent).size).toBe(40);
  }, 90_000);
});
