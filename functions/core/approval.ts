// Approve by reply: the facts the admission function, the notify function and the
// sms-reply function share. A denial by rules that are all `approvable` carries an
// offer to the route's approvers; notify issues a one-time code for it; a signed
// reply grants it; the admission function claims the grant once, for this exact
// change only. Data only; the table rows live in shells/approvals/.

/** What one approval admits: this exact change of this object, as these rules denied it. */
export interface ApprovalBinding {
  /** The cluster name, '' when unknown. */
  readonly cluster: string;
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  /** The denying rules' names, sorted; every one is `approvable`. */
  readonly rules: readonly string[];
  /**
   * SHA-256 (hex) of the object as blocked, without the metadata the API server or
   * the client tools set (approval-spec-hash.ts): a changed spec is another change.
   */
  readonly specHash: string;
}

/** On a BLOCKED notification when its denial may be approved by reply. */
export interface ApprovalOffer {
  readonly binding: ApprovalBinding;
  /** The route's approvers, E.164; never empty on an offer. */
  readonly approvers: readonly string[];
  /** Two-person rule: 2 when two different approvers must reply. */
  readonly required: 1 | 2;
}

/** A grant the admission function claimed: who approved and when, for the warning. */
export interface ClaimedApproval {
  /** Approvers' numbers masked as texts and logs show them (`+44…1234`). */
  readonly approvers: readonly string[];
  /** When the last required approval arrived, ISO 8601. */
  readonly approvedAt: string;
}

/** The admission function's side of the approvals table: one claim per grant. */
export interface ApprovalClaims {
  /**
   * Claims the grant for `binding`, once (a conditional write): undefined when there is
   * none, it has expired or was used. Throws when the table cannot be reached, and the
   * caller keeps the denial. The caller bounds it in time with `signal`: a claim whose
   * write lands after the signal aborted (the caller denied already) gives the grant back.
   */
  claim(
    binding: ApprovalBinding,
    options: { readonly dryRun: boolean; readonly signal?: AbortSignal },
  ): Promise<ClaimedApproval | undefined>;
}

/**
 * The binding as one canonical string (fields in a fixed order, newline-separated; no
 * field may hold a newline: names, kinds and rule names cannot). The shells key the
 * approvals table on its SHA-256, so the notify and admission sides always agree.
 */
export function canonicalBinding(binding: ApprovalBinding): string {
  const { cluster, namespace, kind, name, rules, specHash } = binding;
  return ['approval/v1', cluster, namespace, kind, name, [...rules].sort().join(','), specHash].join('\n');
}
