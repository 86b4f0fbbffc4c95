// JSON.parse copes with any nesting, but the recursive comparisons that decide "did
// the pod template change?" do not: 20 KB of "[" would overflow the stack. Real
// Deployment specs nest about a dozen levels, so anything past the limit is refused
// as malformed before it is compared.
export const maxSpecDepth = 100;

/** True when `value` has arrays or objects nested deeper than `limit`. */
export function isNestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit === 0) return true;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (isNestedDeeperThan(item, limit - 1)) return true;
  }
  return false;
}
