// The offer row of one binding, as stored: the codes texted for it (salted hashes,
// each with the approvers it went to and its expiry), the approvals recorded so far,
// and whether it was granted. Lists are JSON strings (a table property holds no
// arrays), read back through a schema: the table is outside this process.
import { z } from 'zod';
import type { ApprovalSubject } from '../../core/index.js';
import { dayMs, partitions } from './approval-table.js';

const codeEntry = z.object({
  salt: z.string(),
  hash: z.string(),
  /** recipientId of each approver the code was texted to. */
  to: z.array(z.string()),
  expiresAt: z.number(),
});
const approvalEntry = z.object({ id: z.string(), masked: z.string(), at: z.number() });
const offerFields = z.object({
  cluster: z.string(),
  namespace: z.string(),
  kind: z.string(),
  name: z.string(),
  rules: z.string(),
  required: z.union([z.literal(1), z.literal(2)]),
  codes: z.string(),
  approvals: z.string(),
  /** Set once granted: until when the grant may be claimed (ms). */
  grantedUntil: z.number().optional(),
});

export type CodeEntry = z.infer<typeof codeEntry>;
export type ApprovalEntry = z.infer<typeof approvalEntry>;

export interface Offer {
  readonly subject: ApprovalSubject;
  readonly required: 1 | 2;
  readonly codes: readonly CodeEntry[];
  readonly approvals: readonly ApprovalEntry[];
  readonly grantedUntil: number | undefined;
}

/** Longest list kept: a binding blocked again and again keeps its newest codes. */
export const maxCodesPerOffer = 10;

/** The offer in a row's fields; undefined when the row is not one this release wrote. */
export function readOffer(values: Readonly<Record<string, unknown>>): Offer | undefined {
  const fields = offerFields.safeParse(values);
  if (!fields.success) return undefined;
  const codes = z.array(codeEntry).safeParse(parseJson(fields.data.codes));
  const approvals = z.array(approvalEntry).safeParse(parseJson(fields.data.approvals));
  const rules = z.array(z.string()).safeParse(parseJson(fields.data.rules));
  if (!codes.success || !approvals.success || !rules.success) return undefined;
  const { cluster, namespace, kind, name, required, grantedUntil } = fields.data;
  const subject = { cluster, namespace, kind, name, rules: rules.data };
  return { subject, required, codes: codes.data, approvals: approvals.data, grantedUntil };
}

export function offerEntity(rowKey: string, offer: Offer) {
  const { subject, required, codes, approvals, grantedUntil } = offer;
  // A day past its last code or its grant: long enough to answer a late reply "expired" or "already approved".
  const keepUntil = Math.max(grantedUntil ?? 0, ...codes.map((code) => code.expiresAt)) + dayMs;
  return {
    partitionKey: partitions.offer,
    rowKey,
    ...subject,
    rules: JSON.stringify(subject.rules),
    required,
    codes: JSON.stringify(codes.slice(-maxCodesPerOffer)),
    approvals: JSON.stringify(approvals),
    ...(grantedUntil === undefined ? {} : { grantedUntil }),
    keepUntil,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // the schema after it refuses the row
  }
}
