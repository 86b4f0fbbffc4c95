// Brute force: a number's wrong codes are counted over a sliding 15 minutes; the 5th
// locks it out for an hour. The lockout row is created only if absent (or replaced,
// with its ETag, once an old one ended), so of two instances counting the 5th wrong
// code at once, one locks and texts; the number is told once, the other approvers too.
import type { TableRows } from '../sms/table-rows.js';
import { partitions, retryOnConflict } from './approval-table.js';

export const lockoutPolicy = { failures: 5, windowMs: 15 * 60_000, lockMs: 60 * 60_000 } as const;

export async function isLockedOut(rows: TableRows, recipient: string, now: number): Promise<boolean> {
  const row = await rows.get(partitions.lockout, recipient);
  return row !== undefined && Number(row.values.until) > now;
}

/** Counts one wrong code; 'locked' when this one locked the number (the caller texts, once). */
export async function countWrongCode(
  rows: TableRows,
  recipient: string,
  now: number,
): Promise<{ readonly failures: number; readonly locked: boolean }> {
  let failures = 0;
  const counted = await retryOnConflict(async () => {
    const row = await rows.get(partitions.failures, recipient);
    const before = row ? readTimes(row.values.times) : [];
    const times = [...before.filter((time) => time > now - lockoutPolicy.windowMs), now];
    failures = times.length;
    const keepUntil = now + lockoutPolicy.windowMs;
    const entity = {
      partitionKey: partitions.failures,
      rowKey: recipient,
      times: JSON.stringify(times.slice(-20)),
      keepUntil,
    };
    return row ? rows.replace(entity, row.etag) : rows.insert(entity);
  });
  if (!counted) throw new Error('the wrong-code count kept changing');
  if (failures < lockoutPolicy.failures) return { failures, locked: false };
  return { failures, locked: await lock(rows, recipient, now) };
}

async function lock(rows: TableRows, recipient: string, now: number): Promise<boolean> {
  const until = now + lockoutPolicy.lockMs;
  const entity = { partitionKey: partitions.lockout, rowKey: recipient, until, at: now, keepUntil: until };
  if (await rows.insert(entity)) return clearFailures(rows, recipient);
  const current = await rows.get(partitions.lockout, recipient);
  if (!current || Number(current.values.until) > now) return false; // locked already: told once
  return (await rows.replace(entity, current.etag)) ? clearFailures(rows, recipient) : false;
}

/** After a lockout, counting starts again from nothing. */
async function clearFailures(rows: TableRows, recipient: string): Promise<true> {
  await rows.remove(partitions.failures, recipient);
  return true;
}

function readTimes(value: unknown): number[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((time): time is number => typeof time === 'number') : [];
  } catch {
    return []; // not a row this release wrote: count from nothing
  }
}
