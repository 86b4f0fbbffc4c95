// The minimum-replicas rule, for a Deployment and for its scale subresource.
// Pure: counts in, a verdict with words a developer can act on out.

/** What the rule found wrong, in words for kubectl (`message`) and for a text (`reason`, `fix`). */
export interface ReplicaViolation {
  readonly message: string;
  readonly reason: string;
  readonly fix: string;
}

export interface ReplicaCheck {
  /** `deployment <namespace>/<name>` as it appears in messages. */
  readonly subject: string;
  readonly replicas: number;
  /** True when the count is Kubernetes' default (no `spec.replicas` in the object). */
  readonly defaulted: boolean;
  readonly minimum: number;
  readonly viaScale: boolean;
}

/** Returns the violation, or undefined when the count meets the minimum. */
export function checkMinimumReplicas(check: ReplicaCheck): ReplicaViolation | undefined {
  const { subject, replicas, defaulted, minimum, viaScale } = check;
  if (replicas >= minimum) return undefined;
  if (viaScale) {
    return {
      message: `${subject} cannot be scaled to ${countReplicas(replicas)}; the minimum is ${minimum}. Scale to ${minimum} or more, for example kubectl scale --replicas=${minimum}.`,
      reason: `scale to ${countReplicas(replicas)}, minimum is ${minimum}`,
      fix: `Scale to ${minimum} or more.`,
    };
  }
  const count = defaulted ? `does not set spec.replicas (so runs 1 replica)` : `has ${countReplicas(replicas)}`;
  return {
    message: `${subject} ${count}; the minimum is ${minimum}. Set spec.replicas to ${minimum} or more and re-apply.`,
    reason: `${defaulted ? 'no spec.replicas (1 replica)' : countReplicas(replicas)}, minimum is ${minimum}`,
    fix: `Set spec.replicas >= ${minimum} and re-apply.`,
  };
}

/** "1 replica", "3 replicas". */
export function countReplicas(replicas: number): string {
  return replicas === 1 ? '1 replica' : `${replicas} replicas`;
}
