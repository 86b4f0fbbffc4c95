// How long the proxy waits for the function. The API server sends its own deadline as
// `?timeout=10s` (the webhook's timeoutSeconds); the proxy must answer before it, so
// it gives up on the function a margin earlier and still has time to send its own
// failure answer. Without the parameter, UPSTREAM_TIMEOUT_MS applies.

const marginMs = 1000;

/** Parses the API server's `timeout` value: a Go duration such as "10s" or "500ms". */
export function parseApiServerTimeout(value: string | null): number | undefined {
  const match = /^(\d{1,6})(ms|s|m)$/.exec(value ?? '');
  if (!match) return undefined;
  const amount = Number(match[1]);
  return match[2] === 'ms' ? amount : match[2] === 's' ? amount * 1000 : amount * 60_000;
}

export function upstreamDeadlineMs(configuredMs: number, apiServerTimeoutMs: number | undefined): number {
  if (apiServerTimeoutMs === undefined) return configuredMs;
  const beforeApiServer = Math.max(apiServerTimeoutMs - marginMs, Math.floor(apiServerTimeoutMs / 2));
  return Math.max(1, Math.min(configuredMs, beforeApiServer));
}
