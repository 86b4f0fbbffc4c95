// Whether a denial may be approved by reply, and by whom: only when every rule that
// denied is `approvable`, and a notification route for the object's namespace lists
// approvers. The binding names this exact change (approval-spec-hash.ts), so an
// approval admits it once and nothing else.
import type { ApprovalOffer } from './approval.js';
import { hashApprovalSpec } from './approval-spec-hash.js';
import type { Finding } from './decision.js';
import { isNestedDeeperThan, maxSpecDepth } from './nesting-depth.js';
import { matchesAny } from './patterns.js';
import type { Policy } from './policy.js';
import type { WorkloadTarget } from './workload.js';

export function describeApprovalOffer(
  denials: readonly Finding[],
  target: WorkloadTarget,
  policy: Policy,
  cluster: string | undefined,
): ApprovalOffer | undefined {
  const { workload, object } = target;
  if (denials.length === 0 || !denials.every((finding) => finding.rule.approvable === true)) return undefined;
  // A name the API server has yet to generate (generateName) names no one object to approve.
  if (workload.name === '') return undefined;
  const routes = (policy.approvalRoutes ?? []).filter((route) => matchesAny(route.namespaces, workload.namespace));
  const approvers = [...new Set(routes.flatMap((route) => route.approvers))];
  if (approvers.length === 0) return undefined;
  // The hash recurses; past the depth the workload parser allows for a spec, no offer.
  if (isNestedDeeperThan(object, maxSpecDepth + 2)) return undefined;
  const binding = {
    cluster: cluster ?? '',
    namespace: workload.namespace,
    kind: workload.kind,
    name: workload.name,
    rules: [...new Set(denials.map((finding) => finding.rule.name))].sort(),
    specHash: hashApprovalSpec(object),
  };
  // Routes that overlap add their approvers; the strictest two-person rule holds.
  const required = routes.some((route) => route.required === 2) ? 2 : 1;
  return { binding, approvers, required };
}
