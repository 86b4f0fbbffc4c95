// Shared state against Azurite (not a mock): conditional writes decide who sends.
import { describe, expect, it } from 'vitest';
import { azuriteConnectionString } from '../../deploy/local/azurite.js';
import { toQueueMessage } from '../../functions/core/texts/queue-message.js';
import { loadNotifySettings } from '../../functions/shells/settings/notify-settings.js';
import { readStateStorage } from '../../functions/shells/settings/state-storage.js';
import { createNotifyHandler } from '../../functions/shells/sms/notify-handler.js';
import { createTableRows } from '../../functions/shells/sms/table-rows.js';
import { createTableBudget, createTableDuplicateFilter, sendLeaseMs } from '../../functions/shells/sms/table-state.js';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { recordingContext } from '../helpers/fixtures.js';

const azurite = azuriteForThisFile();
let tables = 0;
const freshRows = () =>
  createTableRows(
    { type: 'connection-string', connectionString: azurite().connectionString },
    `state${++tables}${Date.now() % 100000}`,
  );
const limits = { windowMs: 600_000, perCluster: 30, perRecipient: 10 };
const scope = { cluster: 'prod-aks', recipient: 'r1' };

describe('the shared duplicate filter', () => {
  it('lets one of many simultaneous claims through, and turns the rest away as busy', async () => {
    const rows = freshRows();
    const filters = Array.from({ length: 8 }, () => createTableDuplicateFilter(rows, 600_000));
    const results = await Promise.all(filters.map((filter) => filter.claim('k')));
    expect(results.filter((result) => result === 'claimed')).toHaveLength(1);
    expect(results.filter((result) => result === 'busy')).toHaveLength(7);
  });

  it('calls a confirmed key a duplicate within the window, and claimable after it', async () => {
    let time = 1_000_000;
    const filter = createTableDuplicateFilter(freshRows(), 600_000, () => time);
    expect(await filter.claim('k')).toBe('claimed');
    await filter.confirm('k');
    expect(await filter.claim('k')).toBe('duplicate');
    time += 600_001;
    expect(await filter.claim('k')).toBe('claimed');
  });

  it('lets a retry through after a failed send, and takes over a claim whose sender died', async () => {
    let time = 1_000_000;
    const filter = createTableDuplicateFilter(freshRows(), 600_000, () => time);
    expect(await filter.claim('a')).toBe('claimed');
    await filter.release('a');
    expect(await filter.claim('a')).toBe('claimed');
    expect(await filter.claim('a')).toBe('busy');
    time += sendLeaseMs + 1;
    expect(await filter.claim('a')).toBe('claimed');
  });
});

describe('the shared flood budget', () => {
  it('spends exactly the per-recipient budget under concurrent writers', async () => {
    const rows = freshRows();
    const budgets = [createTableBudget(rows, limits), createTableBudget(rows, limits)];
    const spent = await Promise.all(
      Array.from({ length: 25 }, (_, index) => budgets[index % 2]?.spend(scope, 5_000) ?? false),
    );
    expect(spent.filter(Boolean)).toHaveLength(10);
  });

  it('holds events by kind and hands the summary out once, after the window', async () => {
    const budget = createTableBudget(freshRows(), limits);
    await budget.hold(scope, 'blocked', 5_000);
    await budget.hold(scope, 'blocked', 6_000);
    expect(await budget.hold(scope, 'changed', 7_000)).toBe(3);
    expect(await budget.takeDueSummaries(599_999)).toEqual([]);
    const [first, second] = await Promise.all([budget.takeDueSummaries(600_000), budget.takeDueSummaries(600_000)]);
    const taken = [...(first ?? []), ...(second ?? [])];
    expect(taken).toEqual([{ ...scope, windowStart: 0, counts: { blocked: 2, created: 0, changed: 1, flagged: 0 } }]);
    await budget.giveBack(taken[0] ?? { ...scope, windowStart: 0, counts: {} });
    expect(await budget.takeDueSummaries(700_000)).toHaveLength(1);
  });

  it('sweeps the rows of windows and duplicates that are over, and keeps the current ones', async () => {
    const rows = freshRows();
    const budget = createTableBudget(rows, limits);
    const filter = createTableDuplicateFilter(rows, 600_000, () => 5_000);
    await budget.spend(scope, 5_000); // window 0
    await filter.claim('old');
    await filter.confirm('old'); // expires at 605_000
    await budget.spend(scope, 700_000); // window 600_000
    expect(await budget.sweep(700_000)).toBe(3); // window 0's two counters and the expired duplicate
    expect(await budget.sweep(700_000)).toBe(0);
    expect(await rows.get('budget-600000', 'recipient-r1')).toBeDefined();
  });
});

describe('notify when the state table cannot be reached', () => {
  it('fails the invocation with STATE_UNAVAILABLE, so the queue retries, and logs the code', async () => {
    const unreachable = azuriteConnectionString({ blob: 1, queue: 1, table: 1 });
    const rows = createTableRows({ type: 'connection-string', connectionString: unreachable }, 'unreachable');
    const notify = createNotifyHandler({
      settings: loadNotifySettings({ OPS_PHONE_NUMBERS: '+15551230001' }),
      sender: { name: 'console', send: async () => ({ sid: 'never' }) },
      duplicates: createTableDuplicateFilter(rows, 600_000),
      budget: createTableBudget(rows, limits),
    });
    const { context, lines } = recordingContext();
    const message = toQueueMessage({
      type: 'changed',
      cluster: 'prod-aks',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      operation: 'UPDATE',
      subResource: undefined,
      user: 'alice',
      uid: 'u1',
      at: '2026-11-22T10:00:00.000Z',
      changes: ['replicas 3 -> 5'],
    });
    await expect(notify(message, context)).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE' });
    expect(lines.map((line) => line.text).join('\n')).toContain('"errorCode":"STATE_UNAVAILABLE"');
  }, 60_000);
});

describe('where the state is kept', () => {
  it('reads a connection string, or an identity-based connection as the Functions host names it', () => {
    expect(readStateStorage({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' })).toEqual({
      type: 'connection-string',
      connectionString: 'UseDevelopmentStorage=true',
    });
    expect(readStateStorage({ AzureWebJobsStorage__accountName: 'stadmission01' })).toEqual({
      type: 'identity',
      tableEndpoint: 'https://stadmission01.table.core.windows.net',
      clientId: undefined,
    });
    expect(readStateStorage({})).toBeUndefined();
  });

  it('names a malformed account name without echoing it', () => {
    expect(() => readStateStorage({ AzureWebJobsStorage__accountName: 'Not_An-Account' })).toThrow(
      /^invalid notify settings: AzureWebJobsStorage__accountName: a storage account name, 3-24 lowercase letters and digits$/,
    );
  });
});
