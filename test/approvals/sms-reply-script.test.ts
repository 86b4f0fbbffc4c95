// npm run sms:reply: the local stack's simulated reply is signed as Twilio signs one,
// so the very handler the function app runs accepts it; the built script posts it to
// FUNCTIONS_PORT and prints the TwiML answer.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { HttpRequest } from '@azure/functions';
import { afterEach, describe, expect, it } from 'vitest';
import { localReplyUrl, localTwilio } from '../../deploy/local/local-twilio.js';
import { postReply, signedReply } from '../../deploy/local/sms-reply-request.js';
import { createReplyHandler } from '../../functions/shells/approvals/reply-handler.js';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { recordingContext } from '../helpers/fixtures.js';
import { alice, bindingFor, createHarness, offerFor, ttlMs } from './approval-harness.js';

const azurite = azuriteForThisFile();
const run = promisify(execFile);
const script = fileURLToPath(new URL('../../dist/deploy/local/sms-reply.js', import.meta.url));
let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
});

/** The development host's sms-reply, as it wires it: the local account and number, on a free port. */
async function serveLocalReplies(rows: ReturnType<typeof createHarness>['rows']): Promise<number> {
  let port = 0;
  const handler = () =>
    createReplyHandler({
      rows,
      sender: { name: 'console', send: async () => ({ sid: 'console' }) },
      ttlMs,
      otherApprovers: () => [],
      signing: { accountSid: localTwilio.accountSid, authToken: localTwilio.authToken, url: localReplyUrl(port) },
      receiver: { from: localTwilio.number },
    });
  server = createServer(async (req, res) => {
    const request = new HttpRequest({
      method: 'POST',
      url: `http://127.0.0.1:${port}${req.url}`,
      headers: Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)])),
      body: { bytes: await buffer(req) },
    });
    const answer = await handler()(request, recordingContext().context);
    res.writeHead(answer.status ?? 200).end(String(answer.body ?? ''));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  // Trust boundary: a TCP server listening on a port has an AddressInfo.
  port = (server.address() as AddressInfo).port;
  return port;
}

describe('npm run sms:reply', () => {
  it('signs a reply that the sms-reply handler accepts', async () => {
    const h = createHarness(azurite().connectionString);
    h.clock.now = Date.now(); // the handler the script reaches reads the real clock
    const { code } = await h.issue(offerFor());
    const port = await serveLocalReplies(h.rows);
    const reply = { body: `APPROVE ${code}`, from: alice, to: localTwilio.number, accountSid: localTwilio.accountSid };
    const answer = await postReply(localReplyUrl(port), signedReply(reply, localReplyUrl(port), localTwilio.authToken));
    expect(answer.status).toBe(200);
    expect(answer.answer).toContain('APPROVED deployment shop/web');
    expect(await h.claims.claim(bindingFor(), { dryRun: true })).toBeDefined();
  });

  it('is refused when signed with another token', async () => {
    const h = createHarness(azurite().connectionString);
    const port = await serveLocalReplies(h.rows);
    const reply = { body: 'HELP', from: alice, to: localTwilio.number, accountSid: localTwilio.accountSid };
    const answer = await postReply(localReplyUrl(port), signedReply(reply, localReplyUrl(port), 'another-token-0000'));
    expect(answer.status).toBe(403);
  });

  it('posts to FUNCTIONS_PORT and prints the answer (the built script)', async () => {
    const h = createHarness(azurite().connectionString);
    h.clock.now = Date.now(); // the handler the script reaches reads the real clock
    const { code } = await h.issue(offerFor());
    const port = await serveLocalReplies(h.rows);
    const env = { PATH: process.env.PATH, FUNCTIONS_PORT: String(port) };
    const { stdout } = await run(process.execPath, [script, 'APPROVE', code, '--from', alice], {
      env,
      timeout: 20_000,
    });
    expect(stdout).toMatch(/^HTTP 200 from http:\/\/127\.0\.0\.1:\d+\/api\/sms-reply \(MessageSid SM[0-9a-f]{32}\)\n/);
    expect(stdout).toContain('<Response><Message>[prod-aks] APPROVED deployment shop/web');
  });

  it('refuses a --from that is not an E.164 number, with exit code 2', async () => {
    const env = { PATH: process.env.PATH, FUNCTIONS_PORT: '1' };
    const failed = run(process.execPath, [script, 'APPROVE', '123456', '--from', '0044'], { env });
    await expect(failed).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--from must be') });
  });
});
