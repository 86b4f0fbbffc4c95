// Brute force: a number gets at most 5 guesses in a sliding 15 minutes. Each guess
// takes its slot in the number's failures row (an ETag write) before its code is
// looked up, so twenty replies arriving at once still get five lookups between them:
// the rest find the window full and are refused unread. A right code gives its slot
// back; the 5th wrong code locks the number out for an hour. The lockout row is
// created only if absent (or replaced, with its ETag, once an old one ended), so of
// two instances counting the 5th wrong code at once, one locks and texts; the number
// is told once, the other approvers too. The failures row is not cleared by a lockout:
// a reply already past the lockout check then still finds the window full.
import type { TableRows } from '../sms/table-rows.js';
import { partitions } from './approval-table.js';

export const lockoutPolicy = { failures: 5, windowMs: 15 * 60_000, lockMs: 60 * 60_000 } as const;

/** ETag conflicts a reservation retries: more means a flood, answered 500 with no guess looked up. */
const reserveTries = 8;

export async function isLockedOut(rows: TableRows, recipient: string, now: number): Promise<boolean> {
  const row = await rows.get(partitions.lockout, recipient);
  return row !== undefined && Number(row.values.until) > now;
}

/**
 * Takes one of the window's guesses for `recipient`: resolves with how many it now
 * holds (this one included), or undefined when the window is full (no lookup allowed).
 * Throws when the row kept changing: the caller answers 500 and looks nothing up.
 */
export async function reserveGuess(rows: TableRows, recipient: string, now: number): Promise<number | undefined> {
  for (let attempt = 0; attempt < reserveTries; attempt++) {
    const row = await rows.get(partitions.failures, recipient);
    const before = (row ? readTimes(row.values.times) : []).filter((time) => time > now - lockoutPolicy.windowMs);
    if (before.length >= lockoutPolicy.failures) return undefined;
    const times = [...before, now];
    const entity = failuresEntity(recipient, times, now);
    if (await (row ? rows.replace(entity, row.etag) : rows.insert(entity))) return times.length;
  }
  throw new Error('the wrong-code count kept changing');
}

/** Gives back a guess that was a right code (an approval is no wrong code). */
export async function releaseGuess(rows: TableRows, recipient: string, now: number): Promise<void> {
  for (let attempt = 0; attempt < reserveTries; attempt++) {
    const row = await rows.get(partitions.failures, recipient);
    const times = row ? readTimes(row.values.times) : [];
    const index = times.indexOf(now);
    if (!row || index < 0) return;
    const kept = times.filter((_, at) => at !== index);
    if (await rows.replace(failuresEntity(recipient, kept, now), row.etag)) return;
  }
  throw new Error('the wrong-code count kept changing');
}

/** Locks the number out; true when this call locked it (the caller texts, once). */
export async function lockOut(rows: TableRows, recipient: string, now: number): Promise<boolean> {
  const until = now + lockoutPolicy.lockMs;
  const entity = { partitionKey: partitions.lockout, rowKey: recipient, until, at: now, keepUntil: until };
  if (await rows.insert(entity)) return true;
  const current = await rows.get(partitions.lockout, recipient);
  if (!current || Number(current.values.until) > now) return false; // locked already: told once
  return rows.replace(entity, current.etag);
}

function failuresEntity(recipient: string, times: readonly number[], now: number) {
  const keepUntil = now + lockoutPolicy.windowMs;
  return { partitionKey: partitions.failures, rowKey: recipient, times: JSON.stringify(times.slice(-20)), keepUntil };
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
