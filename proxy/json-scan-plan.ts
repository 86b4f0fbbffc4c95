// What a scan (json-scan.ts) looks for, and the sets it looks paths up in, made once
// per options object: the proxy scans every review with the same two.

export interface ScanOptions {
  /** Dotted paths from the root object ("request.uid"); keys with a "." are never matched. */
  readonly paths: readonly string[];
  readonly maxDepth: number;
  /** A wanted string longer than this (in bytes, as written) is kept as null. */
  readonly maxStringBytes: number;
}

export interface ScanPlan {
  readonly wanted: ReadonlySet<string>;
  readonly leading: ReadonlySet<string>;
}

/** The sets a scan looks paths up in, made once per options object (callers keep theirs). */
const plans = new WeakMap<ScanOptions, ScanPlan>();

export function planFor(options: ScanOptions): ScanPlan {
  const known = plans.get(options);
  if (known) return known;
  const leading = new Set<string>(['']);
  for (const path of options.paths) {
    const keys = path.split('.');
    for (let end = 1; end < keys.length; end++) leading.add(keys.slice(0, end).join('.'));
  }
  const plan = { wanted: new Set(options.paths), leading };
  plans.set(options, plan);
  return plan;
}
