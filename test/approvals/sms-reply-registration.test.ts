// How sms-reply is registered, as the Functions host reads it (the shipped entry
// modules, npm run build, loaded with a stand-in worker, as the heartbeat's test does):
// with SMS_REPLY_URL, the Twilio settings and the shared table, an HTTP POST function at
// authLevel function (the key in the URL Twilio calls, the signature on top); without
// SMS_REPLY_URL, not at all.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { azuriteConnectionString } from '../../deploy/local/azurite.js';
import { entryModules } from '../helpers/function-app-entries.js';

const run = promisify(execFile);
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
});
const registrations = z.array(z.object({ name: z.string(), bindings: z.record(z.string(), binding) }));
const twilio = {
  OPS_PHONE_NUMBERS: '+15551230001',
  TWILIO_ACCOUNT_SID: `AC${'ab'.repeat(16)}`,
  TWILIO_AUTH_TOKEN: 'token_0123456789abcdef',
  TWILIO_FROM: '+15005550006',
  AzureWebJobsStorage: azuriteConnectionString({ blob: 1, queue: 1, table: 1 }),
};

async function register(settings: Record<string, string>) {
  const env = { PATH: process.env.PATH, ENTRIES: JSON.stringify(entryModules()), ...settings };
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', standInWorker], {
    env,
    timeout: 30_000,
  });
  const line = stdout.split('\n').find((text) => text.startsWith('REGISTERED ')) ?? '[]';
  const parsed = registrations.parse(JSON.parse(line.slice('REGISTERED '.length)));
  return new Map(parsed.map(({ name, bindings }) => [name, Object.values(bindings)]));
}

describe('the sms-reply function as the Functions host sees it', () => {
  it('takes POST with the function key when SMS_REPLY_URL is set', async () => {
    const functions = await register({ ...twilio, SMS_REPLY_URL: 'https://app.example.net/api/sms-reply?code=k' });
    expect(functions.get('sms-reply')).toContainEqual(
      expect.objectContaining({ type: 'httpTrigger', authLevel: 'function', methods: ['POST'] }),
    );
  }, 60_000);

  it('is not registered without SMS_REPLY_URL', async () => {
    const functions = await register(twilio);
    expect(functions.has('notify')).toBe(true);
    expect(functions.has('sms-reply')).toBe(false);
  }, 60_000);
});
