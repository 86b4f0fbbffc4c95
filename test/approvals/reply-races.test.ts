// Hostile timing and a flaky table: many replies at once from one number, a busy inbox,
// an offer that keeps changing and a grant that failed to be written. Each may cost an
// attacker nothing more than five guesses, and may cost an approver nothing at all.
import { describe, expect, it } from 'vitest';
import { bindingKey } from '../../functions/shells/approvals/approval-table.js';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { alice, bindingFor, createHarness, eventsOf, type Harness, offerFor, ttlMs } from './approval-harness.js';

const azurite = azuriteForThisFile();
const harness = () => createHarness(azurite().connectionString);
const once = { dryRun: false };

/** Counts the reads of offer rows: one per code looked up, the measure of a guess. */
function countOfferReads(h: Harness): { count: number } {
  const reads = { count: 0 };
  const get = h.rows.get.bind(h.rows);
  h.rows.get = (partition, row) => {
    if (partition === 'offer') reads.count++;
    return get(partition, row);
  };
  return reads;
}

describe('twenty wrong codes from one number at once', () => {
  it('are looked up five times at most, and the number ends locked out', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor());
    const wrong = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
    const reads = countOfferReads(h);
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => h.reply(alice, `APPROVE ${wrong(i)}`)));
    expect(reads.count).toBeLessThanOrEqual(5);
    expect(replies.every((reply) => reply.status === 200 || reply.status === 500)).toBe(true);
    const right = await h.reply(alice, `APPROVE ${code}`);
    expect(right.text).toBe('');
    expect(await h.claims.claim(bindingFor(), once)).toBeUndefined();
  });
});

describe('a number with many offers in a day', () => {
  it('finds a fresh code past fifty expired offers in its inbox', async () => {
    const h = harness();
    const names = Array.from({ length: 400 }, (_, i) => `app-${i}`);
    const fresh = names.find((name) => bindingKey(bindingFor(name)).startsWith('f')) ?? 'web';
    const older = names.filter((name) => bindingKey(bindingFor(name)) < bindingKey(bindingFor(fresh))).slice(0, 51);
    for (const name of older) await h.issue(offerFor(bindingFor(name)));
    h.clock.now += ttlMs + 1;
    const { code } = await h.issue(offerFor(bindingFor(fresh)));
    expect(eventsOf((await h.reply(alice, `APPROVE ${code}`)).lines)).toEqual(['approval.granted']);
  });
});

describe('a right code while the offer keeps changing', () => {
  it('is answered 500, not "not valid", and the retry approves it', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor());
    const replace = h.rows.replace.bind(h.rows);
    let conflicts = true;
    h.rows.replace = async (entity, etag) =>
      conflicts && entity.partitionKey === 'offer' ? false : replace(entity, etag);
    const sid = `SM${'12'.repeat(16)}`;
    const reply = await h.reply(alice, `APPROVE ${code}`, { sid });
    expect(reply.status).toBe(500);
    expect(eventsOf(reply.lines)).toEqual(['approval.failed']);
    conflicts = false;
    expect(eventsOf((await h.reply(alice, `APPROVE ${code}`, { sid })).lines)).toEqual(['approval.granted']);
  });
});

describe('a grant that could not be written after the offer was marked granted', () => {
  it('is written by the retry, which the admission side can then claim', async () => {
    const h = harness();
    const { code } = await h.issue(offerFor());
    const upsert = h.rows.upsert.bind(h.rows);
    let failed = false;
    h.rows.upsert = async (entity) => {
      if (entity.partitionKey === 'grant' && !failed) {
        failed = true;
        throw Object.assign(new Error('table unavailable'), { statusCode: 503 });
      }
      return upsert(entity);
    };
    const sid = `SM${'ef'.repeat(16)}`;
    expect((await h.reply(alice, `APPROVE ${code}`, { sid })).status).toBe(500);
    const retry = await h.reply(alice, `APPROVE ${code}`, { sid });
    expect(retry.text).toMatch(/APPROVED deployment shop\/web/);
    expect(await h.claims.claim(bindingFor(), once)).toBeDefined();
  });
});

describe('a MessageSid another invocation is still answering', () => {
  it('is answered 503 REPLY_IN_PROGRESS (so Twilio asks again), not an empty 200 that loses it', async () => {
    const h = harness();
    const sid = `SM${'34'.repeat(16)}`;
    await h.rows.insert({
      partitionKey: 'reply',
      rowKey: sid,
      state: 'processing',
      at: h.clock.now,
      keepUntil: h.clock.now + 1,
    });
    const reply = await h.reply(alice, 'HELP', { sid });
    expect(reply.status).toBe(503);
    expect(String(reply.response.body)).toMatch(/^REPLY_IN_PROGRESS: /);
    expect(eventsOf(reply.lines)).toEqual(['approval.in-progress']);
  });
});
