// Counters in table rows, raised and lowered with optimistic concurrency: read the
// row, write it back only if its ETag is unchanged, and try again (after a short,
// jittered wait) when another writer came first.
import type { Fields, TableRows } from './table-rows.js';

const maxAttempts = 50;

/** Raises `count` by one unless it reached `limit`; false then. */
export async function incrementBelow(rows: TableRows, partitionKey: string, rowKey: string, limit: number) {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const current = await rows.get(partitionKey, rowKey);
    const count = Number(current?.values.count ?? 0);
    if (count >= limit) return false;
    const entity = { partitionKey, rowKey, count: count + 1 };
    if (current ? await rows.replace(entity, current.etag) : await rows.insert(entity)) return true;
    await pause(attempt);
  }
  throw new Error(`state table busy: ${maxAttempts} conflicting writes in a row`);
}

/** Lowers `count` by one, not below 0. */
export async function decrement(rows: TableRows, partitionKey: string, rowKey: string): Promise<void> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const current = await rows.get(partitionKey, rowKey);
    const count = Number(current?.values.count ?? 0);
    if (!current || count <= 0) return;
    if (await rows.replace({ partitionKey, rowKey, count: count - 1 }, current.etag)) return;
    await pause(attempt);
  }
}

/** Raises the number `field` by one (the row made with `fields` when missing); the row after. */
export async function incrementField(
  rows: TableRows,
  partitionKey: string,
  rowKey: string,
  field: string,
  fields: Fields,
): Promise<Fields> {
  return updateRow(rows, partitionKey, rowKey, (current) => ({
    ...fields,
    ...current,
    [field]: Number(current?.[field] ?? 0) + 1,
  }));
}

/** Writes `change(current fields)` with the row's ETag, read again and retried on a conflict; the row after. */
export async function updateRow(
  rows: TableRows,
  partitionKey: string,
  rowKey: string,
  change: (current: Fields | undefined) => Fields,
): Promise<Fields> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const current = await rows.get(partitionKey, rowKey);
    const values = change(current?.values);
    const entity = { ...values, partitionKey, rowKey };
    if (current ? await rows.replace(entity, current.etag) : await rows.insert(entity)) return values;
    await pause(attempt);
  }
  throw new Error(`state table busy: ${maxAttempts} conflicting writes in a row`);
}

/** A short, growing, jittered wait between conflicting writes. */
function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * Math.min(attempt + 1, 10)));
}
