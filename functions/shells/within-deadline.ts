// Work raced against a deadline: resolves with the work, or rejects at the deadline
// with `message`, aborting the signal the work was given first (work that lands later
// can see it and undo itself). A late failure of the work settles unobserved, never
// as an unhandled rejection.
export function withinDeadline<T>(
  start: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  message: string,
): Promise<T> {
  const bound = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      bound.abort();
      reject(new Error(message));
    }, timeoutMs);
  });
  const work = start(bound.signal);
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
