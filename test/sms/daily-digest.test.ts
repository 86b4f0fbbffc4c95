// The daily digest against Azurite (not a mock), with the clock in the test's hands:
// notify counts every notification per cluster and UTC day, concurrent writers
// included; the timer texts the numbers of the routes with `digest: true` once each,
// whichever of two racing instances gets there; nothing when off or when nothing happened.
import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  countSegments,
  formatDigest,
  type Notification,
  type NotificationRoute,
  toQueueMessage,
} from '../../functions/core/index.js';
import { loadNotifySettings } from '../../functions/shells/settings/notify-settings.js';
import { createDailyDigest } from '../../functions/shells/sms/daily-digest.js';
import { createDigestCounter, readDayCounts } from '../../functions/shells/sms/daily-digest-counts.js';
import { createDuplicateFilter } from '../../functions/shells/sms/duplicate-filter.js';
import { createNotifyHandler } from '../../functions/shells/sms/notify-handler.js';
import type { SmsSender } from '../../functions/shells/sms/sms-sender.js';
import { createTableRows, type TableRows } from '../../functions/shells/sms/table-rows.js';
import { createTableBudget } from '../../functions/shells/sms/table-state.js';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { recordingContext } from '../helpers/fixtures.js';

const azurite = azuriteForThisFile();
const oncall = '+15551230001';
const lead = '+15551230002';
const dev = '+15551230003';
const at = (day: number, hour: number, minutes = 0) => Date.UTC(2026, 11, day, hour, minutes);
const limits = { windowMs: 600_000, perCluster: 30, perRecipient: 10 };
let tables = 0;

function recordingSender(): SmsSender & { sent: { to: string; body: string }[] } {
  const sent: { to: string; body: string }[] = [];
  return {
    name: 'console',
    sent,
    async send(to, body) {
      sent.push({ to, body });
      return { sid: 'test' };
    },
  };
}

function freshRows(): TableRows {
  const connectionString = azurite().connectionString;
  return createTableRows({ type: 'connection-string', connectionString }, `digest${++tables}${Date.now() % 100000}`);
}

const subject = {
  cluster: 'prod-aks',
  kind: 'Deployment',
  namespace: 'prod-shop',
  owner: undefined,
  operation: 'CREATE',
  subResource: undefined,
  user: 'alice@example.com',
  at: '2026-12-01T10:00:00Z',
} as const;

function event(type: Notification['type'], index: number, rules: string[] = ['minimum-replicas']): Notification {
  const base = { ...subject, name: `web-${index}`, uid: `uid-${index}` };
  if (type === 'created') return { ...base, type, replicas: 3, images: [{ container: 'web', image: 'nginx:1.25' }] };
  if (type === 'changed') return { ...base, type, changes: ['image nginx:1.25 -> nginx:1.26'] };
  return { ...base, type, rules, reason: 'at least 3 replicas', fix: 'Set spec.replicas to 3 or more.' };
}

const route = (namespaces: string[], to: string[], digest: boolean): NotificationRoute => ({
  namespaces: namespaces.map(compilePattern),
  to,
  digest,
});
const routes = [
  route(['prod-*'], [oncall, lead], true),
  route(['shop-*'], [lead], true),
  route(['dev-*'], [dev], false),
];

/** 3 denied, 5 warned, 12 new, 40 changed on 1 December; minimum-replicas denied or warned 6 times. */
async function countADay(rows: TableRows): Promise<void> {
  const writers = [0, 1, 2, 3].map(() => createDigestCounter(rows, () => at(1, 10)));
  const sizes = { blocked: 3, flagged: 5, created: 12, changed: 40 } as const;
  const kinds = Object.entries(sizes).flatMap(([type, size]) => Array.from({ length: size }, () => type));
  const { context } = recordingContext();
  await Promise.all(
    kinds.map((type, index) => {
      const rules = index % 2 === 0 ? ['minimum-replicas'] : ['required-labels', 'minimum-replicas'];
      return writers[index % writers.length]?.(
        event(type as Notification['type'], index, index < 4 ? rules : ['image-tag']),
        context,
      );
    }),
  );
}

const dailyText = '[prod-aks] DAILY 2026-12-01: 3 denied, 5 warned, 12 new, 40 changed; top rule image-tag (4)';

describe('counting for the daily digest', () => {
  it('adds up every notification of 60 concurrent writers on four instances, by kind and by rule', async () => {
    const rows = freshRows();
    await countADay(rows);
    const rules = { 'minimum-replicas': 4, 'required-labels': 2, 'image-tag': 4 };
    const counts = { blocked: 3, flagged: 5, created: 12, changed: 40 };
    expect(await readDayCounts(rows, '2026-12-01')).toEqual([{ cluster: 'prod-aks', counts, rules }]);
    expect(await readDayCounts(rows, '2026-12-02')).toEqual([]);
  }, 60_000);

  it('counts what notify receives once, not again on a retry, and a failing table never stops the text', async () => {
    const rows = freshRows();
    const broken: TableRows = { ...rows, get: async () => Promise.reject(new Error('down')) };
    const sender = recordingSender();
    const notifyWith = (table: TableRows) =>
      createNotifyHandler({
        settings: loadNotifySettings({ OPS_PHONE_NUMBERS: oncall }),
        sender,
        duplicates: createDuplicateFilter(0),
        countForDigest: createDigestCounter(table, () => at(1, 10)),
      });
    const { context, lines } = recordingContext();
    await notifyWith(rows)(toQueueMessage(event('blocked', 1)), context);
    const retry = Object.assign(recordingContext().context, { triggerMetadata: { dequeueCount: 2 } });
    await notifyWith(rows)(toQueueMessage(event('blocked', 1)), retry);
    await notifyWith(broken)(toQueueMessage(event('changed', 2)), context);
    expect(sender.sent).toHaveLength(3);
    const counted = (await readDayCounts(rows, '2026-12-01'))[0]?.counts;
    expect(counted).toEqual({ blocked: 1, flagged: 0, created: 0, changed: 0 });
    const log = lines.map((line) => line.text).join('\n');
    expect(log).toContain('"event":"sms.digest-uncounted","errorCode":"STATE_UNAVAILABLE"');
    expect(log).not.toContain(oncall);
  }, 60_000);
});

describe('the daily digest timer', () => {
  it('texts each number of the digest routes once, with two timer instances racing each run', async () => {
    const rows = freshRows();
    await countADay(rows);
    const sender = recordingSender();
    const clock = { time: at(2, 7) };
    const instance = () =>
      createDailyDigest({ rows, sender, budget: createTableBudget(rows, limits), routes, now: () => clock.time });
    const [first, second] = [instance(), instance()];
    const { context, lines } = recordingContext();
    for (const time of [at(2, 7), at(2, 7, 10), at(2, 7, 20)]) {
      clock.time = time;
      await Promise.all([first(context), second(context)]);
    }
    expect(sender.sent.map((text) => text.body)).toEqual([dailyText, dailyText]);
    expect(new Set(sender.sent.map((text) => text.to))).toEqual(new Set([oncall, lead])); // not dev: digest off
    const log = lines.map((line) => line.text).join('\n');
    expect(log).not.toContain(oncall);
    expect(log).not.toContain(lead);
  }, 60_000);

  it('sends a number held by the flood budget at the next run, without texting the other twice', async () => {
    const rows = freshRows();
    await countADay(rows);
    const sender = recordingSender();
    const clock = { time: at(2, 7) };
    const budget = createTableBudget(rows, { ...limits, perCluster: 1 });
    const digest = createDailyDigest({ rows, sender, budget, routes, now: () => clock.time });
    const { context } = recordingContext();
    const runs = [];
    for (const time of [at(2, 7), at(2, 7, 10), at(2, 7, 20)]) {
      clock.time = time;
      runs.push(await digest(context));
    }
    expect(runs).toEqual([1, 1, 0]);
    expect(new Set(sender.sent.map((text) => text.to))).toEqual(new Set([oncall, lead]));
  }, 60_000);

  it('texts nothing when no route has the digest on, nor for a day without events', async () => {
    const rows = freshRows();
    await countADay(rows); // 1 December
    const sender = recordingSender();
    const { context } = recordingContext();
    const budget = createTableBudget(rows, limits);
    const off = routes.map((each) => ({ ...each, digest: false }));
    expect(await createDailyDigest({ rows, sender, budget, routes: off, now: () => at(2, 7) })(context)).toBe(0);
    expect(await createDailyDigest({ rows, sender, budget, routes, now: () => at(3, 7) })(context)).toBe(0);
    expect(sender.sent).toEqual([]);
  }, 60_000);

  it('fits one segment as sent, and two with a 63-character cluster and an 80-character rule', () => {
    expect(countSegments(dailyText)).toMatchObject({ encoding: 'GSM-7', segments: 1, units: 93 }); // [ and ] cost 2 septets each;
    const counts = { blocked: 1e9, flagged: 1e9, created: 1e9, changed: 1e9 };
    const worst = formatDigest({
      cluster: 'c'.repeat(63),
      day: '2026-12-01',
      counts,
      rules: { ['r'.repeat(200)]: 1e9 },
    });
    expect(countSegments(worst).segments).toBe(2);
    expect(worst).toMatch(/; top rule r{77}\.\.\. \(1000000000\)$/); // the rule name cut to 80, nothing else
  });
});
