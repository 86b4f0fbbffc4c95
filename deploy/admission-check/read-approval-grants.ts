// Reads the objects admitted by approval from the function app's approvals table
// (APPROVALS_CONNECTION_STRING: the app's AzureWebJobsStorage connection string).
// Loaded only when that variable is set, so @azure/data-tables stays in its own chunk
// and an audit without it never parses the SDK. Read-only; at most `max` grant rows.
import { type ApprovedAdmission, readApprovedAdmission } from './approval-grants.js';
import type { InputProblem } from './input-files.js';

const tableName = 'approvals';
const grantPartition = 'grant';
export const maxGrantRows = 5000;

export interface ReadGrants {
  readonly admissions: readonly ApprovedAdmission[];
  readonly problems: readonly InputProblem[];
}

export async function readApprovedAdmissions(connectionString: string, max = maxGrantRows): Promise<ReadGrants> {
  const where = `the approvals table (${tableName})`;
  try {
    const { TableClient } = await import('@azure/data-tables');
    const client = TableClient.fromConnectionString(connectionString, tableName, {
      // Plain http only where the connection string itself says so: the local emulator.
      allowInsecureConnection: /(^|;)\s*TableEndpoint=http:/i.test(connectionString),
      retryOptions: { maxRetries: 1 }, // a person is waiting: fail fast, the audit goes on
    });
    const admissions: ApprovedAdmission[] = [];
    let rows = 0;
    const entities = client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${grantPartition}'` },
    });
    for await (const entity of entities) {
      const admission = readApprovedAdmission(entity);
      if (admission) admissions.push(admission);
      if (++rows >= max) break;
    }
    return { admissions, problems: [] };
  } catch (error) {
    // No table yet: the function app has recorded no approval; nothing to list.
    if (statusOf(error) === 404) return { admissions: [], problems: [] };
    // The SDK's message may quote the account; the status and error code say enough.
    return {
      admissions: [],
      problems: [{ code: 'APPROVALS_UNREADABLE', file: where, line: 0, reason: describe(error) }],
    };
  }
}

function statusOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? Reflect.get(error, 'statusCode') : undefined;
}

function describe(error: unknown): string {
  const status = statusOf(error);
  if (typeof status === 'number') return `the table service answered HTTP ${status}`;
  const code = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
  if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return `the table service could not be reached (${code})`;
  return 'the connection string is malformed, or the table service could not be reached';
}
