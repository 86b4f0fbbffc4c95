// The list half of list-then-watch: every Namespace, page by page, into a new set of
// the cache's that replaces the old once the last page is in. A page is read within a
// cap; one over it is asked for again in smaller pages, down to a single Namespace
// (at most 1.5 MiB, etcd's limit), so no object is too large to list.
import type { IncomingMessage } from 'node:http';
import { KubeApiError, type KubeApiGet } from './kube-api-request.js';
import type { NamespaceCache } from './namespace-cache.js';
import { readNamespacePage } from './namespace-objects.js';
import { readStream } from './read-stream.js';

/** Namespaces asked for at a time: a page of ordinary Namespaces is some 100 to 300 KiB. */
export const pageLimit = 100;
/** A page's body is read up to this; over it the page is asked for again, a quarter the size. A page
 * is read within 60 s (4 MiB at 70 KiB/s): an API server that trickles it is cut ("deadline"). */
export const maxPageBytes = 4 * 1024 * 1024;

/** The API server no longer has the resourceVersion asked for (410 Gone): list again. */
export class ResourceGone extends KubeApiError {
  constructor() {
    super('gone', 'the resourceVersion is too old (410 Gone)');
  }
}

/** Throws unless the answer is a 200, with a hint for the statuses a setup gets wrong. */
export function checkAnswer(answer: IncomingMessage): void {
  const status = answer.statusCode ?? 0;
  if (status === 200) return;
  answer.destroy();
  if (status === 410) throw new ResourceGone();
  const hint =
    status === 401 || status === 403
      ? ': the proxy needs its service account token and get, list and watch on namespaces (deploy/kubernetes/base/rbac.yaml)'
      : '';
  throw new KubeApiError(`http_${status}`, `the Kubernetes API answered ${status}${hint}`);
}

/** Lists every Namespace into the cache; resolves with the list's resourceVersion, to watch from. */
export async function listNamespaces(get: KubeApiGet, cache: NamespaceCache, signal: AbortSignal): Promise<string> {
  const next = cache.startReplacing();
  let limit = pageLimit;
  let continueToken: string | undefined;
  for (;;) {
    const more = continueToken === undefined ? '' : `&continue=${encodeURIComponent(continueToken)}`;
    const answer = await get(`/api/v1/namespaces?limit=${limit}${more}`, {
      signal,
      idleMs: 30_000,
      deadlineMs: 60_000,
    });
    checkAnswer(answer);
    const read = await readStream(answer, maxPageBytes);
    if (!('body' in read)) {
      answer.destroy();
      if (read.failure === 'aborted') throw new KubeApiError('cut_off', 'the list was cut off');
      if (limit === 1) throw new KubeApiError('page_too_large', `one Namespace is over ${maxPageBytes} bytes`);
      limit = Math.ceil(limit / 4); // the same page again, smaller
      continue;
    }
    const page = readNamespacePage(read.body.toString('utf8'));
    for (const namespace of page.namespaces) next.add(namespace);
    continueToken = page.continueToken;
    if (continueToken === undefined) {
      next.commit();
      return page.version;
    }
  }
}
