// What the decision core answers: allowed or not, the words for kubectl, and the
// notifications ops should get. decide.ts makes it; this file is its shape.
import type { ApprovalBinding } from './approval.js';
import type { Notification } from './notification.js';
import type { CompiledRule, Violation } from './rules/rule.js';

export interface DecisionContext {
  readonly cluster: string | undefined;
  readonly now: Date;
  /**
   * The Namespace object the request's object is in, as the API server stores it (the
   * AdmissionReview does not carry it): what match.namespaceSelector reads. Absent,
   * a rule with a namespaceSelector answers per its failurePolicy.
   */
  readonly namespaceObject?: unknown;
}

export interface Decision {
  readonly allowed: boolean;
  /** Set when denied: the `status.message` kubectl shows (the violations, joined). */
  readonly message?: string;
  /** Set when denied: each violation's message. */
  readonly violations?: readonly string[];
  readonly warnings: readonly string[];
  /** Empty for dry runs: they are decided the same way but must have no side effects. */
  readonly notifications: readonly Notification[];
  /** Rules whose action is `audit` and that found something: for the log only. */
  readonly audited: readonly string[];
  /** Short label for logs and metrics; `approved` is a denial admitted by a claimed approval. */
  readonly outcome: 'allowed' | 'denied' | 'warned' | 'exempt' | 'not-applicable' | 'approved';
  /**
   * Set on a denial that approve by reply may admit (every denying rule approvable, the
   * namespace's route lists approvers), dry runs and silent rules included: what the
   * shell claims a grant for.
   */
  readonly approvable?: ApprovalBinding | undefined;
  /** For the API server's audit log (`<webhook name>/<key>`); set when admitted by approval. */
  readonly auditAnnotations?: Readonly<Record<string, string>>;
}

/** One violation, and the rule that found it. */
export interface Finding {
  readonly rule: CompiledRule;
  readonly violation: Violation;
}

export const notApplicable: Decision = {
  allowed: true,
  warnings: [],
  notifications: [],
  audited: [],
  outcome: 'not-applicable',
};
