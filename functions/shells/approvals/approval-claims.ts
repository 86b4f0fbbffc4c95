// The admission function's side of the approvals table: a grant claimed once. The
// claim is a conditional write (replace with the row's ETag, setting usedAt): of two
// admissions racing for one grant, on one instance or two, one wins; the other sees
// none and keeps its denial. A dry run reads the grant and leaves it for the real
// apply. Light to import (the admission function's cold start): the table SDK loads
// on the first claim.
import type { ApprovalBinding, ApprovalClaims, ClaimedApproval } from '../../core/index.js';
import type { StateStorage } from '../settings/state-storage.js';
import type { TableRows } from '../sms/table-rows.js';
import { bindingKey, connectApprovalTable, partitions } from './approval-table.js';
import { readGrant } from './grant-row.js';

export interface ClaimOptions {
  readonly now?: () => number;
  /** Each claim gives up (throws) after this; the admission keeps its denial. */
  readonly timeoutMs?: number;
}

/** Claims against the approvals table in `storage` (AzureWebJobsStorage, as notify reads it). */
export function createTableApprovalClaims(storage: StateStorage, options: ClaimOptions = {}): ApprovalClaims {
  return createApprovalClaims(connectApprovalTable(storage), options);
}

export function createApprovalClaims(rows: TableRows, options: ClaimOptions = {}): ApprovalClaims {
  const { now = Date.now, timeoutMs = 3000 } = options;
  return {
    claim: (binding, { dryRun }) => withTimeout(claimGrant(rows, binding, dryRun, now()), timeoutMs),
  };
}

async function claimGrant(
  rows: TableRows,
  binding: ApprovalBinding,
  dryRun: boolean,
  now: number,
): Promise<ClaimedApproval | undefined> {
  const row = await rows.get(partitions.grant, bindingKey(binding));
  const grant = row ? readGrant(row.values) : undefined;
  if (!row || !grant || grant.usedAt !== undefined || grant.expiresAt <= now) return undefined;
  const claimed: ClaimedApproval = { approvers: grant.approvers, approvedAt: grant.approvedAt };
  if (dryRun) return claimed;
  const used = { partitionKey: row.partitionKey, rowKey: row.rowKey, ...row.values, usedAt: now };
  return (await rows.replace(used, row.etag)) ? claimed : undefined;
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the approvals table did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
