// Issues the one-time code of a BLOCKED text that carries an ApprovalOffer: a fresh
// code, added (salted hash only) to the binding's offer row with the approvers it goes
// to, and an inbox row for each of them, where their reply will look. A binding
// blocked again while its codes are open gets one more code (an earlier text's code
// stays good until it expires); one that was granted, or whose codes have all expired,
// starts over. The offer row is written with its ETag (or created only if absent), so
// two notify instances issuing for one binding both keep their code.
import type { ApprovalOffer } from '../../core/index.js';
import { recipientId } from '../sms/duplicate-filter.js';
import type { TableRows } from '../sms/table-rows.js';
import { newApprovalCode, storeCode } from './approval-codes.js';
import { bindingKey, dayMs, partitions, retryOnConflict } from './approval-table.js';
import { type Offer, offerEntity, readOffer } from './offer-row.js';

export interface IssuedCode {
  readonly code: string;
  readonly expiresAt: number;
  /** Tells this code's entry in the offer row apart (withdraw-approval-code.ts). */
  readonly salt: string;
}

/** Throws when the table cannot be read or written; the caller's message is retried. */
export async function issueApprovalCode(
  rows: TableRows,
  offer: ApprovalOffer,
  now: number,
  ttlMs: number,
): Promise<IssuedCode> {
  const code = newApprovalCode();
  const expiresAt = now + ttlMs;
  const key = bindingKey(offer.binding);
  const to = offer.approvers.map(recipientId);
  const stored = storeCode(code);
  const entry = { ...stored, to, expiresAt };
  const written = await retryOnConflict(async () => {
    const current = await rows.get(partitions.offer, key);
    const before = current ? readOffer(current.values) : undefined;
    const open = before && before.grantedUntil === undefined ? before : undefined;
    const codes = [...(open?.codes ?? []).filter((old) => old.expiresAt > now), entry];
    const approvals = codes.length > 1 ? (open?.approvals ?? []) : [];
    const { cluster, namespace, kind, name, rules } = offer.binding;
    const next: Offer = {
      subject: { cluster, namespace, kind, name, rules },
      required: offer.required,
      codes,
      approvals,
      grantedUntil: undefined,
    };
    const entity = offerEntity(key, next);
    return current ? rows.replace(entity, current.etag) : rows.insert(entity);
  });
  if (!written) throw new Error('the approval offer kept changing; it will be issued again on the retry');
  const keepUntil = expiresAt + dayMs;
  for (const recipient of to)
    await rows.upsert({ partitionKey: partitions.inbox(recipient), rowKey: key, expiresAt, keepUntil });
  return { code, expiresAt, salt: stored.salt };
}
