// The only fields an admission log line may carry. Built from the parsed request,
// never from the object, old object, body, headers or settings. JSON-encoded so that
// hostile names cannot forge log lines.
import type { AdmissionRequest } from '../../core/index.js';

export interface AdmissionLogFields {
  /** The proxy's x-request-id, to find the same review in both logs. */
  readonly requestId?: string;
  readonly uid?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly operation?: string;
  readonly user?: string;
  readonly dryRun?: boolean;
  readonly decision?: string;
  readonly notifications?: number;
  /** Names of `audit` rules that found something (rule names come from the policy file). */
  readonly audited?: readonly string[];
  readonly errorCode?: string;
  /** Approve by reply: who approved, masked as the kubectl warning shows them (`+44...1234`), never in full. */
  readonly approvedBy?: string;
  /** The approvable rules whose denial an approval admitted. */
  readonly approvedRules?: readonly string[];
  readonly durationMs: number;
}

const maxFieldLength = 256;

export function describeRequestForLog(request: AdmissionRequest): Omit<AdmissionLogFields, 'durationMs'> {
  const { group, version, kind } = request.kind;
  const resource = request.subResource ? `${kind}/${request.subResource}` : kind;
  return {
    uid: clip(request.uid),
    kind: clip(group ? `${group}/${version}/${resource}` : `${version}/${resource}`),
    namespace: clip(request.namespace ?? ''),
    name: clip(request.name ?? ''),
    operation: request.operation,
    user: clip(request.userInfo?.username ?? ''),
    dryRun: request.dryRun === true,
  };
}

export function formatLogLine(event: string, fields: AdmissionLogFields): string {
  return JSON.stringify({ event, ...fields, durationMs: Math.round(fields.durationMs * 1000) / 1000 });
}

function clip(value: string): string {
  return value.length > maxFieldLength ? `${value.slice(0, maxFieldLength)}...` : value;
}
