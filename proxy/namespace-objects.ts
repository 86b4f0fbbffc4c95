// What the namespace watch reads from the API server, checked before use: a page of
// the Namespace list, and one watch event. Only names, labels and resourceVersions
// are kept; annotations, spec and status are dropped as they arrive.
import { z } from 'zod';

export interface NamespaceLabels {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export type WatchEvent =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly namespace: NamespaceLabels; readonly version: string }
  | { readonly type: 'BOOKMARK'; readonly version: string }
  /** The API server's error (code 410: the resourceVersion is too old, list again). */
  | { readonly type: 'ERROR'; readonly code: number };

export interface NamespacePage {
  readonly namespaces: readonly NamespaceLabels[];
  readonly version: string;
  /** Set when there are more pages. */
  readonly continueToken: string | undefined;
}

const version = z.string().min(1).max(64);
const namespaceSchema = z.object({
  metadata: z.object({
    name: z.string().min(1).max(63),
    resourceVersion: version,
    labels: z.record(z.string(), z.string()).optional(),
  }),
});
const eventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['ADDED', 'MODIFIED', 'DELETED']), object: namespaceSchema }),
  z.object({ type: z.literal('BOOKMARK'), object: z.object({ metadata: z.object({ resourceVersion: version }) }) }),
  z.object({ type: z.literal('ERROR'), object: z.object({ code: z.number().int().optional() }) }),
]);
const pageSchema = z.object({
  metadata: z.object({ resourceVersion: version, continue: z.string().max(4096).optional() }),
  items: z.array(namespaceSchema),
});

export class WatchProtocolError extends Error {
  readonly reason = 'invalid_stream';
  constructor(what: string, options?: ErrorOptions) {
    super(`the API server sent ${what} the watch does not read`, options);
    this.name = 'WatchProtocolError';
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new WatchProtocolError(what, { cause: error });
  }
}

/** One line of a watch; throws WatchProtocolError for anything else. */
export function readWatchEvent(line: string): WatchEvent {
  const parsed = eventSchema.safeParse(parseJson(line, 'an event'));
  if (!parsed.success) throw new WatchProtocolError('an event');
  const event = parsed.data;
  if (event.type === 'ERROR') return { type: 'ERROR', code: event.object.code ?? 0 };
  if (event.type === 'BOOKMARK') return { type: 'BOOKMARK', version: event.object.metadata.resourceVersion };
  const { name, labels = {}, resourceVersion } = event.object.metadata;
  return { type: event.type, namespace: { name, labels }, version: resourceVersion };
}

/** One page of GET /api/v1/namespaces; throws WatchProtocolError for anything else. */
export function readNamespacePage(body: string): NamespacePage {
  const parsed = pageSchema.safeParse(parseJson(body, 'a list'));
  if (!parsed.success) throw new WatchProtocolError('a list');
  const { metadata, items } = parsed.data;
  return {
    namespaces: items.map(({ metadata: { name, labels = {} } }) => ({ name, labels })),
    version: metadata.resourceVersion,
    continueToken: metadata.continue || undefined,
  };
}
