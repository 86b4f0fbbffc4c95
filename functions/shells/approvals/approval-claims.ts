// The admission function's side of the approvals table: a grant claimed once. The
// claim is a conditional write (replace with the row's ETag, setting usedAt and a
// claim id): of two admissions racing for one grant, on one instance or two, one wins;
// the other sees none and keeps its denial. The admission bounds a claim (1 s) with an
// AbortSignal; a write that lands after it aborted belongs to a review already denied,
// so the claim gives the grant back (again with the ETag, and only if the row still
// holds its claim id), and the retried apply finds it. A dry run reads the grant and
// leaves it for the real apply. Light to import (the admission function's cold start):
// the table SDK loads with the table's first call.
import { randomUUID } from 'node:crypto';
import type { ApprovalBinding, ApprovalClaims, ClaimedApproval } from '../../core/index.js';
import type { TableRows } from '../sms/table-rows.js';
import { bindingKey, partitions } from './approval-table.js';
import { readGrant } from './grant-row.js';

export interface ClaimOptions {
  readonly now?: () => number;
}

export function createApprovalClaims(rows: TableRows, options: ClaimOptions = {}): ApprovalClaims {
  const { now = Date.now } = options;
  return {
    claim: (binding, { dryRun, signal }) => claimGrant(rows, binding, { dryRun, signal, now: now() }),
  };
}

interface Claiming {
  readonly dryRun: boolean;
  readonly signal: AbortSignal | undefined;
  readonly now: number;
}

async function claimGrant(rows: TableRows, binding: ApprovalBinding, claiming: Claiming) {
  const { dryRun, signal, now } = claiming;
  const row = await rows.get(partitions.grant, bindingKey(binding));
  const grant = row ? readGrant(row.values) : undefined;
  if (!row || !grant || grant.usedAt !== undefined || grant.expiresAt <= now) return undefined;
  const claimed: ClaimedApproval = { approvers: grant.approvers, approvedAt: grant.approvedAt };
  if (dryRun) return claimed;
  if (signal?.aborted) return undefined; // denied already: leave the grant
  const claimId = randomUUID();
  const used = { partitionKey: row.partitionKey, rowKey: row.rowKey, ...row.values, usedAt: now, claimId };
  if (!(await rows.replace(used, row.etag))) return undefined;
  if (!signal?.aborted) return claimed;
  await giveBack(rows, row.rowKey, claimId);
  return undefined;
}

/** Undoes this claim's write: the grant is unused again, unless something else changed it since. */
async function giveBack(rows: TableRows, rowKey: string, claimId: string): Promise<void> {
  const row = await rows.get(partitions.grant, rowKey);
  if (row?.values.claimId !== claimId) return;
  const { usedAt: _usedAt, claimId: _claimId, ...values } = row.values;
  await rows.replace({ partitionKey: row.partitionKey, rowKey, ...values }, row.etag);
}
