// Objects admitted by approval (approve by reply), as the approvals table records them:
// each grant row the admission function claimed (usedAt set) names the object, the rules
// approved, and the approvers (masked, `+44…0123`; the table never holds a number in
// full). The row's fields are the function app's (functions/shells/approvals/grant-row.ts);
// this tool reads them on its own, as it may not import the app's shells.
import { z } from 'zod';

export interface ApprovedAdmission {
  readonly cluster: string;
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly rules: readonly string[];
  /** Masked as texts show them; `…` written `...` so the report stays ASCII. */
  readonly approvers: readonly string[];
  readonly approvedAt: string;
  /** When the admission function claimed it (admitted the change), ISO 8601. */
  readonly admittedAt: string;
}

const jsonList = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text);
    } catch {
      context.addIssue({ code: 'custom', message: 'not a JSON list' });
      return z.NEVER;
    }
  })
  .pipe(z.array(z.string().max(253)).max(200));

const grantRow = z.object({
  cluster: z.string().max(63),
  namespace: z.string().max(253),
  kind: z.string().max(63),
  name: z.string().max(253),
  rules: jsonList,
  approvers: jsonList,
  approvedAt: z.string().max(64),
  usedAt: z.number().finite().nonnegative(),
});

/** The admission a used grant row records; undefined for a grant not used, or a row this release did not write. */
export function readApprovedAdmission(row: Readonly<Record<string, unknown>>): ApprovedAdmission | undefined {
  const parsed = grantRow.safeParse(row);
  if (!parsed.success) return undefined;
  const { usedAt, approvers, ...grant } = parsed.data;
  const admittedAt = new Date(usedAt);
  if (Number.isNaN(admittedAt.getTime())) return undefined;
  const masked = approvers.map((approver) => approver.replaceAll('…', '...'));
  return { ...grant, approvers: masked, admittedAt: admittedAt.toISOString() };
}

/** Those in `namespaces` (all when empty), the latest admitted first. */
export function selectApprovedAdmissions(
  admissions: readonly ApprovedAdmission[],
  namespaces: readonly string[],
): ApprovedAdmission[] {
  return admissions
    .filter((admission) => namespaces.length === 0 || namespaces.includes(admission.namespace))
    .sort((a, b) => b.admittedAt.localeCompare(a.admittedAt));
}

export function describeApprovedAdmission(admission: ApprovedAdmission): string {
  const { cluster, namespace, kind, name, rules, approvers, admittedAt } = admission;
  const where = cluster ? ` on ${cluster}` : '';
  const object = `${kind.toLowerCase()} ${namespace ? `${namespace}/` : ''}${name}`;
  return `${object}${where}: ${rules.join(', ')} approved by ${approvers.join(' and ')}, admitted ${admittedAt}`;
}
