// The dead man's switch against Azurite (not a mock), with the clock in the test's
// hands: heartbeats recorded by the route, SILENT texted once when they stop, BACK
// texted once when they return, whichever of two racing timer instances gets there.
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { countSegments } from '../../functions/core/index.js';
import { createHeartbeatFunctions } from '../../functions/shells/heartbeat/heartbeat-functions.js';
import { formatRecovery } from '../../functions/shells/heartbeat/switch-texts.js';
import { loadNotifySettings } from '../../functions/shells/settings/notify-settings.js';
import type { SmsSender } from '../../functions/shells/sms/sms-sender.js';
import { createTableRows, type TableRows } from '../../functions/shells/sms/table-rows.js';
import { createTableBudget } from '../../functions/shells/sms/table-state.js';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { recordingContext } from '../helpers/fixtures.js';

const azurite = azuriteForThisFile();
const oncall = '+15551230001';
const lead = '+15551230002';
const at = (hour: number, minutes: number, seconds = 0) => Date.UTC(2026, 11, 2, hour, minutes, seconds);
const limits = { windowMs: 600_000, perCluster: 30, perRecipient: 10 };
let tables = 0;

interface Sent {
  readonly to: string;
  readonly body: string;
}

function recordingSender(fail?: (to: string) => unknown): SmsSender & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    name: 'console',
    sent,
    async send(to, body) {
      const failure = fail?.(to);
      if (failure) throw failure;
      sent.push({ to, body });
      return { sid: 'test' };
    },
  };
}

/** One function app instance: its own handler and timer over the shared table. */
function instance(rows: TableRows, sender: SmsSender, clock: { time: number }, budget = limits) {
  return createHeartbeatFunctions({
    settings: loadNotifySettings({ OPS_PHONE_NUMBERS: `${oncall},${lead}` }),
    sender,
    rows,
    budget: createTableBudget(rows, budget),
    env: { SMS_SILENCE_MINUTES: '5' },
    now: () => clock.time,
  });
}

function freshRows(): TableRows {
  const connectionString = azurite().connectionString;
  return createTableRows({ type: 'connection-string', connectionString }, `switch${++tables}${Date.now() % 100000}`);
}

function heartbeatRequest(body: unknown, method = 'POST'): HttpRequest {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers = { 'content-type': 'application/json' };
  const url = 'http://h/api/heartbeat';
  return new HttpRequest(method === 'POST' ? { method, url, headers, body: { string: text } } : { method, url });
}

const beat = (failures: Record<string, number> = {}, failureMode = 'closed') =>
  heartbeatRequest({ version: 1, cluster: 'prod-aks', failureMode, failures });

const silentText =
  '[prod-aks] SILENT: no heartbeat from the admission proxy for 5 min (last 10:42 UTC). Deploys are being denied (fails closed).';
const backText =
  '[prod-aks] BACK: admission proxy heard again after 23 min (10:42-11:05 UTC). Meanwhile it denied 50 reviews: 47 unreachable, 3 timeout.';

describe("the dead man's switch", () => {
  it('texts SILENT once and BACK once, with two timer instances racing every minute', async () => {
    const rows = freshRows();
    const clock = { time: at(10, 42) };
    const sender = recordingSender();
    const [first, second] = [instance(rows, sender, clock), instance(rows, sender, clock)];
    const { context } = recordingContext();
    const race = () => Promise.all([first.deadMansSwitch(context), second.deadMansSwitch(context)]);

    expect((await first.heartbeat(beat(), context)).status).toBe(204);
    for (const time of [at(10, 43), at(10, 46, 59)]) {
      clock.time = time;
      await race();
    }
    expect(sender.sent).toEqual([]);
    for (const time of [at(10, 47), at(10, 48), at(10, 49)]) {
      clock.time = time;
      await race();
    }
    expect(sender.sent).toEqual([
      { to: expect.any(String), body: silentText },
      { to: expect.any(String), body: silentText },
    ]);
    expect(new Set(sender.sent.map((text) => text.to))).toEqual(new Set([oncall, lead]));

    // The first heartbeat of each replica after the outage carries what it did meanwhile.
    clock.time = at(11, 5);
    await second.heartbeat(beat({ unreachable: 40, timeout: 3 }), context);
    clock.time = at(11, 5, 20);
    await first.heartbeat(beat({ unreachable: 7 }), context);
    for (const time of [at(11, 5, 30), at(11, 6, 30), at(11, 7, 30)]) {
      clock.time = time;
      await race();
    }
    expect(sender.sent.slice(2).map((text) => text.body)).toEqual([backText, backText]);
    expect(new Set(sender.sent.slice(2).map((text) => text.to))).toEqual(new Set([oncall, lead]));
  }, 60_000);

  it('fits each text in one segment, and a long cluster name with many reasons in two', () => {
    expect(countSegments(silentText)).toMatchObject({ encoding: 'GSM-7', segments: 1, units: 127 });
    expect(countSegments(backText)).toMatchObject({ encoding: 'GSM-7', segments: 1, units: 137 });
    const failures = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((reason) => [`reason_${reason}`, 1e11]));
    const facts = { cluster: 'c'.repeat(63), lastSeen: at(10, 42), resumedAt: at(11, 5), failures };
    const worst = formatRecovery({ ...facts, failureMode: 'open' });
    expect(countSegments(worst).segments).toBe(2);
    expect(worst).toMatch(/\(\+\d more\)\.$/);
  });

  it('texts nothing about a cluster that keeps beating, nor about one never heard from', async () => {
    const rows = freshRows();
    const clock = { time: at(10, 0) };
    const sender = recordingSender();
    const functions = instance(rows, sender, clock);
    const { context } = recordingContext();
    expect(await functions.deadMansSwitch(context)).toBe(0); // nothing heard yet: no cluster to miss
    for (let minutes = 0; minutes < 12; minutes++) {
      clock.time = at(10, minutes);
      await functions.heartbeat(beat(), context);
      clock.time = at(10, minutes, 30);
      await functions.deadMansSwitch(context);
    }
    expect(sender.sent).toEqual([]);
  }, 60_000);

  it('says an open proxy admitted unchecked, and that it answered nothing itself when so', async () => {
    const rows = freshRows();
    const clock = { time: at(10, 42) };
    const sender = recordingSender();
    const functions = instance(rows, sender, clock);
    const { context } = recordingContext();
    await functions.heartbeat(beat({}, 'open'), context);
    clock.time = at(10, 50);
    await functions.deadMansSwitch(context);
    clock.time = at(10, 52);
    await functions.heartbeat(beat({}, 'open'), context);
    clock.time = at(10, 52, 30);
    await functions.deadMansSwitch(context);
    expect([...new Set(sender.sent.map((text) => text.body))]).toEqual([
      '[prod-aks] SILENT: no heartbeat from the admission proxy for 8 min (last 10:42 UTC). Deploys are admitted unchecked (fails open), or denied if it is down.',
      '[prod-aks] BACK: admission proxy heard again after 10 min (10:42-10:52 UTC). It answered no review itself meanwhile.',
    ]);
  }, 60_000);
});

describe('what the switch shares with other texts', () => {
  it('tries a recipient Twilio could not reach again the next minute, without texting the other twice', async () => {
    const rows = freshRows();
    const clock = { time: at(10, 42) };
    let leadFails = true;
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const sender = recordingSender((to) => (to === lead && leadFails ? reset : undefined));
    const functions = instance(rows, sender, clock);
    const { context, lines } = recordingContext();
    await functions.heartbeat(beat(), context);
    clock.time = at(10, 47);
    expect(await functions.deadMansSwitch(context)).toBe(1);
    leadFails = false;
    clock.time = at(10, 48);
    expect(await functions.deadMansSwitch(context)).toBe(1);
    clock.time = at(10, 49);
    expect(await functions.deadMansSwitch(context)).toBe(0);
    expect(sender.sent.map((text) => text.to)).toEqual([oncall, lead]);
    const log = lines.map((line) => line.text).join('\n');
    expect(log).toContain('"outcome":"failed","errorCode":"network-ECONNRESET"');
    expect(log).not.toContain(oncall);
    expect(log).not.toContain(lead);
  }, 60_000);

  it('holds the text while the flood budget is spent, and sends it in the next window', async () => {
    const rows = freshRows();
    const clock = { time: at(10, 42) };
    const sender = recordingSender();
    const tight = { ...limits, perCluster: 1 };
    const functions = instance(rows, sender, clock, tight);
    const { context } = recordingContext();
    await functions.heartbeat(beat(), context);
    await createTableBudget(rows, tight).spend({ cluster: 'prod-aks', recipient: 'someone' }, at(10, 47));
    clock.time = at(10, 47);
    expect(await functions.deadMansSwitch(context)).toBe(0); // the window 10:40-10:50 is spent
    clock.time = at(10, 50);
    expect(await functions.deadMansSwitch(context)).toBe(1); // one text per cluster in this window
    clock.time = at(11, 0);
    expect(await functions.deadMansSwitch(context)).toBe(1);
    expect(sender.sent.map((text) => text.body)).toEqual([silentText, silentText]); // the words of 10:47
    expect(new Set(sender.sent.map((text) => text.to))).toEqual(new Set([oncall, lead]));
  }, 60_000);
});

describe('the heartbeat route', () => {
  it.each([
    ['a body that is not JSON', 'nope', /^INVALID_HEARTBEAT: request body is not a heartbeat: not JSON\n$/],
    [
      'a cluster name that is not safe, without repeating it',
      { version: 1, cluster: 'evil.com/reset me', failureMode: 'closed', failures: {} },
      /^INVALID_HEARTBEAT: request body is not a heartbeat: wrong or missing: cluster\n$/,
    ],
    [
      'a failure count that is not a count',
      { version: 1, cluster: 'prod-aks', failureMode: 'sideways', failures: { timeout: -1 } },
      /^INVALID_HEARTBEAT: .*wrong or missing: failureMode, failures\.timeout\n$/,
    ],
  ])('refuses %s with 400', async (_case, body, message) => {
    const functions = instance(freshRows(), recordingSender(), { time: at(10, 0) });
    const answer = await functions.heartbeat(heartbeatRequest(body), recordingContext().context);
    expect(answer.status).toBe(400);
    expect(String(answer.body)).toMatch(message);
  });

  it('answers 405 to anything but POST', async () => {
    const functions = instance(freshRows(), recordingSender(), { time: at(10, 0) });
    const answer = await functions.heartbeat(heartbeatRequest('', 'GET'), recordingContext().context);
    expect(answer.status).toBe(405);
  });
});
