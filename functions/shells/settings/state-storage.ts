// Where notify keeps its shared state: the function app's own storage account, named
// the way the Functions host names it. Either a connection string
// (AzureWebJobsStorage: local runs, Azurite, older apps) or an identity-based
// connection (AzureWebJobsStorage__accountName or __tableServiceUri, with
// __clientId for a user-assigned identity), which deploy/azure/main.bicep sets up:
// then the app's managed identity signs in, and no key is stored anywhere.
import { SettingsError } from './settings-error.js';

export type StateStorage =
  | { readonly type: 'connection-string'; readonly connectionString: string }
  | { readonly type: 'identity'; readonly tableEndpoint: string; readonly clientId: string | undefined };

const accountNamePattern = /^[a-z0-9]{3,24}$/;

/** Undefined when the app has no storage setting at all (unit tests): state stays in the process. */
export function readStateStorage(env: Readonly<Record<string, string | undefined>>): StateStorage | undefined {
  const value = (name: string) => env[name]?.trim() || undefined;
  const connectionString = value('AzureWebJobsStorage');
  if (connectionString) return { type: 'connection-string', connectionString };
  const accountName = value('AzureWebJobsStorage__accountName');
  const tableServiceUri = value('AzureWebJobsStorage__tableServiceUri');
  const clientId = value('AzureWebJobsStorage__clientId');
  if (tableServiceUri) {
    if (!/^https:\/\/[^\s/]+\/?$/.test(tableServiceUri))
      throw new SettingsError('notify settings', [
        'AzureWebJobsStorage__tableServiceUri: an https URL of a table service',
      ]);
    return { type: 'identity', tableEndpoint: tableServiceUri, clientId };
  }
  if (!accountName) return undefined;
  if (!accountNamePattern.test(accountName))
    throw new SettingsError('notify settings', [
      'AzureWebJobsStorage__accountName: a storage account name, 3-24 lowercase letters and digits',
    ]);
  return { type: 'identity', tableEndpoint: `https://${accountName}.table.core.windows.net`, clientId };
}
