// The shape every rule has once a policy is compiled: where it applies, what it does
// when it finds something, and the check itself (pure: facts in, violations out).
import type { AdmissionRequest, Operation } from '../admission-review.js';
import type { Pattern } from '../patterns.js';
import type { WorkloadView } from '../workload-view.js';

export type RuleAction = 'deny' | 'warn' | 'audit';

/** What a rule does when it cannot decide (the namespace's labels it selects on are unknown). */
export type FailurePolicy = 'Fail' | 'Ignore';

/** What a rule matches when no operations are named: today's, creates and updates. */
export const defaultOperations: readonly Operation[] = ['CREATE', 'UPDATE'];

/** What a rule found, in words for kubectl (`message`) and for a text (`reason`, `fix`). */
export interface Violation {
  readonly message: string;
  readonly reason: string;
  readonly fix: string;
  /** The warning for an object that already broke the rule before this request. */
  readonly standing?: string;
}

export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly {
    readonly key: string;
    readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    readonly values: readonly string[];
  }[];
}

export interface RuleMatch {
  /** Kinds by name; `*` is every kind. */
  readonly kinds: readonly string[];
  readonly includeNamespaces: readonly Pattern[];
  readonly excludeNamespaces: readonly Pattern[];
  /** The policy file's objectSelector (or its older name, labelSelector). */
  readonly labelSelector: LabelSelector | undefined;
  /** Default: defaultOperations. */
  readonly operations?: readonly Operation[];
  /** Selects on the labels of the object's namespace (or of a Namespace itself). */
  readonly namespaceSelector?: LabelSelector | undefined;
}

/** Everything a check may look at, for a workload or for a scale request. */
export interface RuleInput {
  /** The object, read once into a typed view: what built-in rules read. */
  readonly workload: WorkloadView;
  /** What CEL rules see, as in a ValidatingAdmissionPolicy: the request and its objects, every field kept. */
  readonly request: AdmissionRequest;
  readonly object: unknown;
  readonly oldObject: unknown;
  /** The Namespace object, when the caller supplied it (ValidatingAdmissionPolicy's `namespaceObject`). */
  readonly namespaceObject?: unknown;
  /** What the rules of one review share (decide makes one per review); without it, they key it by the request. */
  readonly review?: ReviewMemo;
}

/**
 * Per review: the CEL cost units the rules spent together, the values of CEL variables
 * that read only the object (by object), and the Pod views made of its inputs.
 */
export interface ReviewMemo {
  celUnitsSpent: number;
  readonly celValues: Map<object, unknown[]>;
  readonly podViews: Map<RuleInput, RuleInput | undefined>;
}

export function newReviewMemo(): ReviewMemo {
  return { celUnitsSpent: 0, celValues: new Map(), podViews: new Map() };
}

export interface CompiledRule {
  readonly name: string;
  readonly action: RuleAction;
  readonly notify: boolean;
  readonly match: RuleMatch;
  /** Rules about replica counts also see scale requests. */
  readonly checksScale: boolean;
  /** Rules about containers also see the ephemeral containers kubectl debug adds. Default false. */
  readonly checksEphemeralContainers?: boolean;
  /** Default Fail: a rule that cannot decide finds a violation that says why. */
  readonly failurePolicy?: FailurePolicy;
  /** Approve by reply: its denials may be admitted once by a route's approvers. Default false. */
  readonly approvable?: boolean;
  check(input: RuleInput): readonly Violation[];
}
