// Azurite for one test file: started in beforeAll (on free loopback ports, in a
// temporary directory, in memory; bounded start time), stopped in afterAll.
import { afterAll, beforeAll } from 'vitest';
import { type AzuriteServer, startAzurite } from '../../deploy/local/azurite.js';

export type { AzuriteServer };

/** Registers the hooks; call the returned function inside a test to get the server. */
export function azuriteForThisFile(): () => AzuriteServer {
  let server: AzuriteServer | undefined;
  beforeAll(async () => {
    server = await startAzurite();
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('azurite is not running: was beforeAll skipped?');
    return server;
  };
}
