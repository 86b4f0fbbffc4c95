// The namespaces' labels, kept current while the proxy runs: list them, then watch
// /api/v1/namespaces from the list's resourceVersion, and list again after a 410 Gone,
// an error or a stream that makes no sense, after a backoff (0.5 s doubling to 30 s,
// jittered; back to 0.5 s only once a watch has run steadily for a minute: a list that
// succeeds before a watch that fails at once, as with RBAC that allows list but not
// watch, must not make it list 10,000 Namespaces several times a second). A watch that simply ends (the server
// ends each after timeoutSeconds) is taken up again from the last resourceVersion seen.
// While listing again, the last known labels keep answering, as an informer's cache does.
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode } from './error-code.js';
import { KubeApiError, type KubeApiGet } from './kube-api-request.js';
import type { Logger } from './logger.js';
import type { NamespaceCache } from './namespace-cache.js';
import { checkAnswer, listNamespaces, ResourceGone } from './namespace-list.js';
import { readWatchEvent, WatchProtocolError } from './namespace-objects.js';
import { createLineSplitter, LineTooLong } from './watch-lines.js';

/** One event is one Namespace: at most 1.5 MiB (etcd's limit) and its envelope. */
export const maxEventBytes = 2 * 1024 * 1024;

export interface WatchTimings {
  readonly firstBackoffMs: number;
  readonly maxBackoffMs: number;
  /** Each watch asks the server to end it after about this (jittered by a fifth). */
  readonly watchSeconds: number;
  /** A watch still open this long past its timeoutSeconds is cut (a stream kept alive with nothing in it). */
  readonly watchGraceMs?: number;
  /** A watch up this long after its list counts as recovered: the backoff starts again from the first. */
  readonly steadyAfterMs?: number;
}

export const defaultTimings: WatchTimings = {
  firstBackoffMs: 500,
  maxBackoffMs: 30_000,
  watchSeconds: 300,
  watchGraceMs: 30_000,
  steadyAfterMs: 60_000,
};

export interface NamespaceWatchDependencies {
  readonly get: KubeApiGet;
  readonly cache: NamespaceCache;
  readonly logger: Logger;
  /** The cache caught up with a list (true), or lost its watch (false). */
  readonly onSynced: (synced: boolean) => void;
  /** Each restart, by reason: "gone", "http_403", "invalid_stream", or a network error's code (ECONNREFUSED). */
  readonly onRestart: (reason: string) => void;
  readonly timings?: WatchTimings;
}

export interface NamespaceWatch {
  synced(): boolean;
  stop(): void;
}

export function startNamespaceWatch(dependencies: NamespaceWatchDependencies): NamespaceWatch {
  const { get, cache, logger, timings = defaultTimings } = dependencies;
  const abort = new AbortController();
  let synced = false;
  const setSynced = (value: boolean) => {
    if (value !== synced) dependencies.onSynced(value);
    synced = value;
  };
  const run = async () => {
    for (let failures = 0; !abort.signal.aborted; failures++) {
      let listedAt: number | undefined;
      try {
        let version = await listNamespaces(get, cache, abort.signal);
        setSynced(true);
        listedAt = performance.now();
        logger.info({ namespaces: cache.stats().namespaces }, 'namespace labels listed; watching');
        for (;;) version = await watchFrom(get, cache, version, timings, abort.signal);
      } catch (error) {
        if (abort.signal.aborted) return;
        if (listedAt !== undefined && performance.now() - listedAt >= (timings.steadyAfterMs ?? 60_000)) failures = 0;
        setSynced(false);
        const failureReason = reasonOf(error);
        dependencies.onRestart(failureReason);
        // The watch's own messages name a status and a fix, never a credential; others are left out.
        const detail = error instanceof KubeApiError ? error.message : undefined;
        logger.warn({ errorCode: 'NAMESPACE_WATCH_FAILED', failureReason, detail }, 'namespace watch stopped');
        await sleep(backoffMs(failures, timings), undefined, { signal: abort.signal }).catch(() => undefined);
      }
    }
  };
  void run();
  return { synced: () => synced, stop: () => abort.abort() };
}

/** A lowercase word from the watch's own errors, else a network error's code (ECONNREFUSED). */
function reasonOf(error: unknown): string {
  if (error instanceof KubeApiError || error instanceof WatchProtocolError || error instanceof LineTooLong)
    return error.reason;
  return errorCode(error);
}

/** The failures-th backoff: firstBackoffMs doubled per failure, capped, then jittered to [half, whole]. */
export function backoffMs(failures: number, timings: WatchTimings, random = Math.random): number {
  const whole = Math.min(timings.maxBackoffMs, timings.firstBackoffMs * 2 ** Math.min(failures, 30));
  return Math.round(whole / 2 + (random() * whole) / 2);
}

/** One watch, to its end; resolves with the last resourceVersion seen, throws to list again. */
async function watchFrom(
  get: KubeApiGet,
  cache: NamespaceCache,
  version: string,
  timings: WatchTimings,
  signal: AbortSignal,
): Promise<string> {
  const seconds = Math.round(timings.watchSeconds * (0.8 + Math.random() * 0.4));
  const query = `watch=1&allowWatchBookmarks=true&timeoutSeconds=${seconds}&resourceVersion=${encodeURIComponent(version)}`;
  const started = performance.now();
  const deadlineMs = seconds * 1000 + (timings.watchGraceMs ?? 30_000);
  const answer = await get(`/api/v1/namespaces?${query}`, { signal, idleMs: (seconds + 30) * 1000, deadlineMs });
  checkAnswer(answer);
  let latest = version;
  const lines = createLineSplitter(maxEventBytes, (line) => {
    const event = readWatchEvent(line);
    if (event.type === 'ERROR') throw event.code === 410 ? new ResourceGone() : new WatchProtocolError('an error');
    if (event.type === 'DELETED') cache.remove(event.namespace.name);
    else if (event.type !== 'BOOKMARK') cache.upsert(event.namespace);
    latest = event.version;
  });
  for await (const chunk of answer) lines.push(chunk);
  // A server that ends every watch at once would be called in a tight loop: back off instead.
  if (performance.now() - started < 1000) throw new WatchProtocolError('a watch that ended at once');
  return latest;
}
