// The namespaces' labels as the watch last saw them, each kept as the header the
// function is sent (x-namespace-labels), made once per change rather than per review.
// Bounded: at most maxNamespaces names and maxLabelBytes of headers in all. A namespace
// past the count is not kept at all; one past the bytes, or whose labels would not fit
// the header's cap, is kept as "not sent" (counted in stats().notSent). Either way no
// header goes with its reviews, so a namespaceSelector rule for it answers per its
// failurePolicy.
import { encodeNamespaceLabels } from '../functions/core/wire.js';
import type { NamespaceLabels } from './namespace-objects.js';

/** Far more namespaces than the clusters we know of have (AKS's tested limit is a few thousand). */
export const maxNamespaces = 10_000;
/** Headers kept in all: 4 MiB, some 400 bytes of labels for each of 10,000 namespaces. */
export const maxLabelBytes = 4 * 1024 * 1024;

export interface CacheLimits {
  readonly maxNamespaces: number;
  readonly maxLabelBytes: number;
}

export interface NamespaceCache {
  /** The header for this namespace, or undefined when it is unknown or its labels are not sent. */
  labelsHeader(name: string): string | undefined;
  /**
   * For a list: a new set, filled page by page (within the same caps) while the old one
   * still answers, that replaces it on commit.
   */
  startReplacing(): { add(namespace: NamespaceLabels): void; commit(): void };
  upsert(namespace: NamespaceLabels): void;
  remove(name: string): void;
  /** Namespaces known, headers' bytes held, and namespaces whose labels are not sent (over a cap). */
  stats(): { readonly namespaces: number; readonly bytes: number; readonly notSent: number };
}

export function createNamespaceCache(limits: CacheLimits = { maxNamespaces, maxLabelBytes }): NamespaceCache {
  let current = createHeaderSet(limits);
  return {
    labelsHeader: (name) => current.headers.get(name) ?? undefined,
    startReplacing() {
      const next = createHeaderSet(limits);
      const commit = () => {
        current = next;
      };
      return { add: next.keep, commit };
    },
    upsert: (namespace) => current.keep(namespace),
    remove: (name) => current.forget(name),
    stats: () => ({ namespaces: current.headers.size, bytes: current.bytes, notSent: current.notSent }),
  };
}

interface HeaderSet {
  /** null: a namespace known, whose labels are not sent (over a cap, or malformed). */
  readonly headers: Map<string, string | null>;
  readonly bytes: number;
  readonly notSent: number;
  keep(namespace: NamespaceLabels): void;
  forget(name: string): void;
}

function createHeaderSet(limits: CacheLimits): HeaderSet {
  const set = {
    headers: new Map<string, string | null>(),
    bytes: 0,
    notSent: 0,
    forget(name: string) {
      const old = set.headers.get(name);
      if (old === undefined) return;
      set.headers.delete(name);
      if (old === null) set.notSent--;
      else set.bytes -= old.length;
    },
    keep({ name, labels }: NamespaceLabels) {
      set.forget(name);
      if (set.headers.size >= limits.maxNamespaces) return; // unknown: answered per failurePolicy
      const header = encodeNamespaceLabels(labels);
      const fits = header !== undefined && set.bytes + header.length <= limits.maxLabelBytes;
      set.headers.set(name, fits ? header : null);
      if (fits) set.bytes += header.length;
      else set.notSent++;
    },
  };
  return set;
}
