// Name patterns as policy files write them: `prod-*`, `*-canary`, `kube-system`.
// `*` matches any run of characters; nothing else is special.

export type Pattern = (value: string) => boolean;

export function compilePattern(pattern: string): Pattern {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const expression = new RegExp(`^${source}$`);
  return (value) => expression.test(value);
}

/** True when any pattern matches; false for an empty list. */
export function matchesAny(patterns: readonly Pattern[], value: string): boolean {
  return patterns.some((pattern) => pattern(value));
}
