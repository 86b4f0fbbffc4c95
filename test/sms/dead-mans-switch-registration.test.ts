// How the heartbeat route is protected: the Functions host refuses a call without the
// function key before any handler runs, for every route registered with authLevel
// "function" (the development host and `func start` do not check keys, so no local
// call can show the refusal). What can be checked is what the app registers, through
// the worker's own interface (@azure/functions-core), as Azure reads it: the shipped
// entry modules (npm run build), loaded in a child process with a stand-in worker.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { azuriteConnectionString } from '../../deploy/local/azurite.js';
import { entryModules } from '../helpers/function-app-entries.js';

const run = promisify(execFile);

// Records every registerFunction call of @azure/functions, then prints them as JSON.
const standInWorker = `
import Module from 'node:module';
const registered = [];
const worker = {
  setProgrammingModel() {},
  registerFunction(metadata) { registered.push(metadata); return { dispose() {} }; },
  registerHook() { return { dispose() {} }; },
  log() {},
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === '@azure/functions-core' ? worker : load.call(this, request, ...rest);
};
for (const entry of JSON.parse(process.env.ENTRIES)) await import(entry);
console.log('REGISTERED ' + JSON.stringify(registered));
`;

const binding = z.looseObject({
  type: z.string(),
  authLevel: z.string().optional(),
  methods: z.array(z.string()).optional(),
  route: z.string().optional(),
  schedule: z.string().optional(),
});
const registrations = z.array(z.object({ name: z.string(), bindings: z.record(z.string(), binding) }));

async function register(storage: string | undefined) {
  const env = {
    PATH: process.env.PATH,
    ENTRIES: JSON.stringify(entryModules()),
    ...(storage ? { AzureWebJobsStorage: storage } : {}),
  };
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', standInWorker], {
    env,
    timeout: 30_000,
  });
  const line = stdout.split('\n').find((text) => text.startsWith('REGISTERED ')) ?? '[]';
  const parsed = registrations.parse(JSON.parse(line.slice('REGISTERED '.length)));
  return new Map(parsed.map(({ name, bindings }) => [name, Object.values(bindings)]));
}

describe('the heartbeat route as the Functions host sees it', () => {
  it('requires the function key, as admission does, and takes POST only', async () => {
    const functions = await register(azuriteConnectionString({ blob: 1, queue: 1, table: 1 }));
    for (const name of ['admission', 'heartbeat']) {
      expect(functions.get(name)).toContainEqual(
        expect.objectContaining({ type: 'httpTrigger', authLevel: 'function', methods: ['POST'], route: name }),
      );
    }
    expect(functions.get('deadMansSwitch')).toEqual([
      expect.objectContaining({ type: 'timerTrigger', schedule: '30 * * * * *' }),
    ]);
  }, 60_000);

  it('is not registered without the shared table (no AzureWebJobsStorage)', async () => {
    const functions = await register(undefined);
    expect(functions.has('notify')).toBe(true);
    expect(functions.has('heartbeat')).toBe(false);
    expect(functions.has('deadMansSwitch')).toBe(false);
  }, 60_000);
});
