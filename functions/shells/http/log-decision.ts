// The one line a decided review gets: `admission.decided`, or `admission.approved` when
// an approval by reply admitted a denial (who, masked, and which rules). A claim that
// failed is a warning with its code; the denial it kept is in the same line.
import type { InvocationContext } from '@azure/functions';
import type { SettledDecision } from './claim-approval.js';
import { type AdmissionLogFields, formatLogLine } from './log-fields.js';

export function logDecision(
  context: InvocationContext,
  fields: Omit<AdmissionLogFields, 'durationMs'>,
  { decision, approved, errorCode }: SettledDecision,
  durationMs: number,
): void {
  const audited = decision.audited.length > 0 ? { audited: decision.audited } : {};
  const approval = approved ? { approvedBy: approved.by, approvedRules: approved.rules } : {};
  const line = formatLogLine(approved ? 'admission.approved' : 'admission.decided', {
    ...fields,
    decision: decision.outcome,
    notifications: decision.notifications.length,
    ...audited,
    ...approval,
    ...(errorCode ? { errorCode } : {}),
    durationMs,
  });
  if (errorCode) context.warn(line);
  else context.log(line);
}
