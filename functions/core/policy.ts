// The policy the decision applies. Built from settings today; a policy file later.

export interface Policy {
  /** Deployments must run at least this many replicas (default 3). */
  readonly minReplicas: number;
}

export const defaultPolicy: Policy = Object.freeze({ minReplicas: 3 });
