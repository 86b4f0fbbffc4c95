// Name patterns as policy files write them: `prod-*`, `*-canary`, `kube-system`.
// `*` matches any run of characters; nothing else is special.

export type Pattern = (value: string) => boolean;

/** What `.` does not match in a regular expression: `*` alone matches any value without one. */
const lineTerminator = /[\n\r\u2028\u2029]/;

export function compilePattern(pattern: string): Pattern {
  // The same answers as the regular expression below, without running one: every rule
  // matches namespaces against `*` unless it names some, on every review.
  if (!pattern.includes('*')) return (value) => value === pattern;
  if (pattern === '*') return (value) => !lineTerminator.test(value);
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
