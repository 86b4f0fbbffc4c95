// The approvals table does not grow without bound: the timer's sweep removes rows
// past their keepUntil, and keeps grants 30 days for admission-check audit.
import { describe, expect, it } from 'vitest';
import { sweepApprovals } from '../../functions/shells/approvals/sweep-approvals.js';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { alice, createHarness, offerFor } from './approval-harness.js';

const azurite = azuriteForThisFile();
const day = 24 * 60 * 60_000;

describe('the approvals sweep', () => {
  it('removes codes, replies and counts a day on, and grants after 30 days', async () => {
    const h = createHarness(azurite().connectionString);
    const { code } = await h.issue(offerFor());
    await h.reply(alice, `APPROVE ${code}`);
    await h.reply(alice, 'APPROVE 000000');
    const partitions = async () => [...new Set((await h.rows.list('true')).map((row) => row.partitionKey))].sort();
    expect(await sweepApprovals(h.rows, h.clock.now)).toBe(0);
    await sweepApprovals(h.rows, h.clock.now + 2 * day);
    expect(await partitions()).toEqual(['grant']);
    await sweepApprovals(h.rows, h.clock.now + 31 * day);
    expect(await partitions()).toEqual([]);
  });

  it('keeps up with more than one batch a minute: 450 rows past keepUntil go in one sweep', async () => {
    const h = createHarness(azurite().connectionString);
    for (let start = 0; start < 450; start += 50)
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          h.rows.insert({ partitionKey: 'reply', rowKey: `SM${start + i}`, keepUntil: h.clock.now - 1 }),
        ),
      );
    expect(await sweepApprovals(h.rows, h.clock.now)).toBe(450);
    expect(await h.rows.list('true')).toEqual([]);
  });
});
