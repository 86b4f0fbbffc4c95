// Who is told when a number is locked out: the approvers of every route that lists
// it as an approver, itself left out. From the policy file, read once at start-up.
import type { NotificationRoute } from '../../core/index.js';

export function otherApproversIn(routes: readonly NotificationRoute[]): (number: string) => readonly string[] {
  return (number) => {
    const shared = routes.filter((route) => route.approvers?.includes(number));
    return [...new Set(shared.flatMap((route) => route.approvers ?? []))].filter((other) => other !== number);
  };
}
