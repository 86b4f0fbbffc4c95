// The heartbeat route: POST /api/heartbeat, function key required (authLevel
// "function": the Functions host refuses a call without the key before this runs).
// It records when the cluster's proxy was last heard from and what its failure mode
// did, and answers 204. It never texts: the timer (dead-mans-switch.ts) does.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { type HttpError, httpErrors, toErrorResponse } from '../http/http-errors.js';
import { readBody } from '../http/read-body.js';
import type { TableRows } from '../sms/table-rows.js';
import { type HeartbeatBody, heartbeatSchema, maxHeartbeatBytes } from './heartbeat-body.js';
import { recordHeartbeat } from './heartbeat-rows.js';

export interface HeartbeatDependencies {
  readonly rows: TableRows;
  /** SMS_SILENCE_MINUTES: a heartbeat after a gap this long is the first one back. */
  readonly silenceMs: number;
  readonly now?: () => number;
}

export type HeartbeatHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

const invalidHeartbeat: HttpError = {
  code: 'INVALID_HEARTBEAT',
  status: 400,
  message: 'request body is not a heartbeat',
};
const stateUnavailable: HttpError = {
  code: 'STATE_UNAVAILABLE',
  status: 503,
  message: 'the state table could not be written; the next heartbeat tries again',
};

export function createHeartbeatHandler({ rows, silenceMs, now = Date.now }: HeartbeatDependencies): HeartbeatHandler {
  return async function heartbeat(request, context) {
    if (request.method !== 'POST') return toErrorResponse(httpErrors.methodNotAllowed);
    const parsed = await readHeartbeat(request);
    if ('response' in parsed) {
      context.warn(JSON.stringify({ event: 'heartbeat.invalid', errorCode: 'INVALID_HEARTBEAT' }));
      return parsed.response;
    }
    const { cluster, failureMode, failures } = parsed.value;
    try {
      await recordHeartbeat(rows, parsed.value, now(), silenceMs);
    } catch (error) {
      const reason = error instanceof Error ? error.name : 'unknown';
      context.error(
        JSON.stringify({ event: 'heartbeat.state-failed', errorCode: 'STATE_UNAVAILABLE', cluster, reason }),
      );
      return toErrorResponse(stateUnavailable);
    }
    // Quiet heartbeats are not logged (one a minute per replica); failures are.
    const failed = Object.values(failures).reduce((sum, count) => sum + count, 0);
    if (failed > 0) context.warn(JSON.stringify({ event: 'heartbeat.failures', cluster, failureMode, failures }));
    return { status: 204 };
  };
}

async function readHeartbeat(request: HttpRequest): Promise<{ value: HeartbeatBody } | { response: HttpResponseInit }> {
  const read = await readBody(request, maxHeartbeatBytes);
  if ('failure' in read) return { response: toErrorResponse(invalidHeartbeat, `body ${read.failure}`) };
  let json: unknown;
  try {
    json = JSON.parse(read.body);
  } catch {
    return { response: toErrorResponse(invalidHeartbeat, 'not JSON') }; // the parser's message quotes the input
  }
  const parsed = heartbeatSchema.safeParse(json);
  if (parsed.success) return { value: parsed.data };
  const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(body)');
  return { response: toErrorResponse(invalidHeartbeat, `wrong or missing: ${[...new Set(paths)].join(', ')}`) };
}
