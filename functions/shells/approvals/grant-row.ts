// The grant row of one binding: written once the required approvals arrived, claimed
// once by the admission function. It holds what ClaimedApproval returns (approvers
// masked, approvedAt), the object's names for `admission-check audit`, until when it
// may be claimed (APPROVAL_TTL_MINUTES after the approval), and usedAt once claimed.
import { z } from 'zod';
import type { ApprovalSubject } from '../../core/index.js';
import { dayMs, partitions } from './approval-table.js';

/** Grants are kept this long past their expiry: `admission-check audit` lists the objects admitted by approval. */
const keepGrantsMs = 30 * dayMs;

const grantFields = z.object({
  approvers: z.string(),
  approvedAt: z.string(),
  expiresAt: z.number(),
  usedAt: z.number().optional(),
});

export interface Grant {
  readonly approvers: readonly string[];
  readonly approvedAt: string;
  readonly expiresAt: number;
  readonly usedAt: number | undefined;
}

export function readGrant(values: Readonly<Record<string, unknown>>): Grant | undefined {
  const fields = grantFields.safeParse(values);
  if (!fields.success) return undefined;
  let approvers: unknown;
  try {
    approvers = JSON.parse(fields.data.approvers);
  } catch {
    return undefined; // not a row this release wrote: no grant
  }
  const list = z.array(z.string()).safeParse(approvers);
  if (!list.success) return undefined;
  const { approvedAt, expiresAt, usedAt } = fields.data;
  return { approvers: list.data, approvedAt, expiresAt, usedAt };
}

export function grantEntity(rowKey: string, subject: ApprovalSubject, grant: Omit<Grant, 'usedAt'>) {
  const { cluster, namespace, kind, name, rules } = subject;
  return {
    partitionKey: partitions.grant,
    rowKey,
    cluster,
    namespace,
    kind,
    name,
    rules: JSON.stringify(rules),
    approvers: JSON.stringify(grant.approvers),
    approvedAt: grant.approvedAt,
    expiresAt: grant.expiresAt,
    keepUntil: grant.expiresAt + keepGrantsMs,
  };
}
