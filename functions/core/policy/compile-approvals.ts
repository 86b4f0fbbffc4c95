// Approve by reply as the policy file asks for it: which rules a route's approvers may
// admit (checked here, so that a mistake names the rule) and which routes have approvers.
import { compilePattern } from '../patterns.js';
import type { ApprovalRoute } from '../policy.js';
import type { PolicyFile, RuleDefinition } from './policy-schema.js';

/** Whether the rule's denials may be approved; throws naming the rule when it may not be marked so. */
export function checkApprovable(rule: RuleDefinition): boolean {
  if (!rule.approvable) return false;
  if (rule.critical) {
    throw new Error(
      `rule ${rule.name}: approvable and critical together; a security-critical rule is never approvable by reply (remove approvable: true)`,
    );
  }
  if (rule.action !== 'deny') {
    throw new Error(`rule ${rule.name}: approvable is for action: deny only; a ${rule.action} rule admits anyway`);
  }
  return true;
}

/** The routes that list approvers, compiled; a two-person route needs two different approvers. */
export function compileApprovalRoutes(routes: PolicyFile['notifications']['routes']): ApprovalRoute[] {
  return routes.flatMap((route, index) => {
    const approvers = [...new Set(route.approvers)];
    if (route.approvals > 1 && approvers.length < route.approvals) {
      throw new Error(
        `notifications.routes[${index}]: approvals: ${route.approvals} needs ${route.approvals} different approvers; it lists ${approvers.length}`,
      );
    }
    if (approvers.length === 0) return [];
    return [{ namespaces: route.namespaces.map(compilePattern), approvers, required: route.approvals }];
  });
}
