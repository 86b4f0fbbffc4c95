// The few conditional operations the shared state needs, over @azure/data-tables:
// insert-if-absent, replace/remove if the ETag still matches (counters built on them
// are in table-counters.ts). Failures other than "exists", "changed" or "gone" are
// thrown (the invocation fails and the queue retries). The SDK is loaded lazily.
import type { StateStorage } from '../settings/state-storage.js';

type TablesModule = typeof import('@azure/data-tables');
type TableClient = InstanceType<TablesModule['TableClient']>;
export type Fields = Record<string, unknown>;
export interface Row {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly etag: string;
  readonly values: Fields;
}
export type Entity = Fields & { readonly partitionKey: string; readonly rowKey: string };

export interface TableRows {
  get(partitionKey: string, rowKey: string): Promise<Row | undefined>;
  /** False when the row exists. */
  insert(entity: Entity): Promise<boolean>;
  /** False when the row changed (or went) since `etag`. */
  replace(entity: Entity, etag: string): Promise<boolean>;
  upsert(entity: Entity): Promise<void>;
  /** False when the row is gone or, with `etag`, changed. */
  remove(partitionKey: string, rowKey: string, etag?: string): Promise<boolean>;
  /** Rows matching an OData `filter` (built from constants and numbers only), at most `max`. */
  list(filter: string, max?: number): Promise<Row[]>;
}

export function createTableRows(storage: StateStorage, tableName: string): TableRows {
  let opened: Promise<TableClient> | undefined;
  const client = () => {
    opened ??= open(storage, tableName).catch((error: unknown) => {
      opened = undefined; // let the next message try again
      throw error;
    });
    return opened;
  };
  const rows: TableRows = {
    async get(partitionKey, rowKey) {
      try {
        const { etag, ...values } = await (await client()).getEntity<Fields>(partitionKey, rowKey);
        return { partitionKey, rowKey, etag, values: withoutKeys(values) };
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    insert: async (entity) => expectStatus(async () => (await client()).createEntity(entity), 409),
    replace: async (entity, etag) =>
      expectStatus(async () => (await client()).updateEntity(entity, 'Replace', { etag }), 412, 404),
    async upsert(entity) {
      await (await client()).upsertEntity(entity, 'Replace');
    },
    remove: async (partitionKey, rowKey, etag) =>
      expectStatus(async () => (await client()).deleteEntity(partitionKey, rowKey, etag ? { etag } : {}), 404, 412),
    async list(filter, max = 1000) {
      const found: Row[] = [];
      const entities = (await client()).listEntities<Fields>({ queryOptions: { filter } });
      for await (const { etag, partitionKey, rowKey, ...values } of entities) {
        if (partitionKey !== undefined && rowKey !== undefined)
          found.push({ partitionKey, rowKey, etag, values: withoutKeys(values) });
        if (found.length >= max) break;
      }
      return found;
    },
  };
  return rows;
}

async function open(storage: StateStorage, tableName: string): Promise<TableClient> {
  const { TableClient } = await import('@azure/data-tables');
  const client =
    storage.type === 'connection-string'
      ? TableClient.fromConnectionString(storage.connectionString, tableName, {
          // Plain http only where the connection string itself says so: the local emulator.
          allowInsecureConnection: /(^|;)\s*TableEndpoint=http:/i.test(storage.connectionString),
        })
      : new TableClient(storage.tableEndpoint, tableName, await managedIdentity(storage.clientId));
  await client.createTable(); // does nothing when the table exists
  return client;
}

/** The app's managed identity (system-assigned, or the user-assigned one named by its client id). */
async function managedIdentity(clientId: string | undefined) {
  const { ManagedIdentityCredential } = await import('@azure/identity');
  return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
}

/** The row's own fields, without the keys and the service's timestamp (never written back). */
function withoutKeys({ partitionKey: _partition, rowKey: _row, timestamp: _time, ...values }: Fields): Fields {
  return values;
}

/** True when `write` succeeded, false when it failed with one of the `expected` statuses. */
async function expectStatus(write: () => Promise<unknown>, ...expected: number[]): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (expected.includes(statusOf(error) ?? 0)) return false;
    throw error;
  }
}

/** The HTTP status of a failed table call (the SDK's RestError), if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = typeof error === 'object' && error !== null ? Reflect.get(error, 'statusCode') : undefined;
  return typeof status === 'number' ? status : undefined;
}
