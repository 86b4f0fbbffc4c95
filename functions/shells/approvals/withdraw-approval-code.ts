// Takes back a code that no approver was texted: its BLOCKED text was skipped as a
// duplicate, held by the flood budget, or is to be retried (the retry issues its own).
// Without it, a change that a deploy tool re-applies again and again (each denial
// queues a BLOCKED text, and the offer row keeps only its newest codes) would push the
// one code that was texted out of the row, and the approver's right reply would be
// answered "not valid" and counted toward a lockout.
import type { InvocationContext } from '@azure/functions';
import type { ApprovalBinding } from '../../core/index.js';
import type { DeliveryOutcome } from '../sms/deliver-text.js';
import type { TableRows } from '../sms/table-rows.js';
import type { AddressedTexts } from './address-blocked-text.js';
import { bindingKey, partitions, retryOnConflict } from './approval-table.js';
import { offerEntity, readOffer } from './offer-row.js';

/** False when the offer row kept changing; the code then stays (harmless, it expires). */
export async function withdrawApprovalCode(rows: TableRows, binding: ApprovalBinding, salt: string): Promise<boolean> {
  const key = bindingKey(binding);
  return retryOnConflict(async () => {
    const current = await rows.get(partitions.offer, key);
    const offer = current ? readOffer(current.values) : undefined;
    if (!current || !offer?.codes.some((code) => code.salt === salt)) return true;
    const codes = offer.codes.filter((code) => code.salt !== salt);
    return rows.replace(offerEntity(key, { ...offer, codes }), current.etag);
  });
}

/** After the texts: the code back when no text that carries it was sent. Never fails the message. */
export async function withdrawUnsentCode(
  addressed: AddressedTexts,
  outcomes: readonly DeliveryOutcome[],
  context: InvocationContext,
): Promise<void> {
  if (!addressed.withdraw) return;
  if (addressed.texts.some((text, index) => text.offers === true && outcomes[index] === 'sent')) return;
  const withdrawn = await addressed.withdraw().catch(() => false);
  context.log(JSON.stringify({ event: 'approval.withdrawn', withdrawn, reason: 'no approver was texted the code' }));
}
