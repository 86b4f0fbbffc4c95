// DEVELOPMENT ONLY: a stand-in for the Azure Functions host, for npm start and the
// end-to-end tests, where Core Tools (func) cannot be installed. It serves the very
// handlers the function app exports: POST /api/admission calls `admission`, the SMS
// queue output it sets goes to the storage queue in AzureWebJobsStorage (Azurite,
// started by npm start) and from there to `notify`, and `notify`'s summaries are sent
// every minute as its timer does. POST /api/heartbeat calls `heartbeat` (the proxy's
// heartbeats) and the dead man's switch runs every minute, as their timer does. POST
// /api/sms-reply calls the sms-reply handler with the local stack's Twilio account
// (local-twilio.ts), so `npm run sms:reply` replies as Twilio would. It does not check function keys (neither does
// `func start`). Never use it in production.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { buffer } from 'node:stream/consumers';
import functions from '@azure/functions';
import { z } from 'zod';
import { admission, smsQueue } from '../../functions/admission.js';
import { deadMansSwitch, heartbeat, notify, smsReplyWith } from '../../functions/notify.js';
import { devHostSettingSpecs, readSettingsOrExit } from './local-settings.js';
import { localReplyUrl, localTwilio } from './local-twilio.js';
import { openStorageQueue } from './storage-queue.js';

const { HttpRequest, HttpResponse, InvocationContext } = functions;
const settings = readSettingsOrExit(devHostSettingSpecs, process.env, 'development host');
const { PORT: port, AzureWebJobsStorage: connectionString } = settings;
if (!connectionString) {
  console.error('development host: AzureWebJobsStorage is not set; start the stack with npm start (it runs Azurite)');
  process.exit(2);
}
// host.json's queue retry count, as the real host reads it; 5 is the host's own default.
const hostJsonSchema = z.looseObject({
  extensions: z
    .looseObject({ queues: z.looseObject({ maxDequeueCount: z.number().int().min(1).optional() }).optional() })
    .optional(),
});
const host = hostJsonSchema.parse(JSON.parse(readFileSync(new URL('../../../host.json', import.meta.url), 'utf8')));

function context(functionName: string, triggerMetadata?: Record<string, unknown>) {
  return new InvocationContext({
    functionName,
    invocationId: randomUUID(),
    ...(triggerMetadata ? { triggerMetadata } : {}),
    logHandler: (level, ...args) => console.log(`[${functionName}] ${level}: ${args.map(String).join(' ')}`),
  });
}

const queue = await openStorageQueue(
  async (message, dequeueCount) => {
    if (!notify) throw new Error('notify is not running: see its start-up error above');
    await notify(message, context('notify', { dequeueCount }));
  },
  {
    connectionString,
    queueName: smsQueue.queueName,
    maxDequeueCount: host.extensions?.queues?.maxDequeueCount ?? 5,
    retryDelaySeconds: 1,
    onPoison: (count) => console.log(`[notify] message moved to the poison queue after try ${count}`),
  },
);
// notify's timer, as the host would run it every minute.
const summaries = setInterval(() => void notify?.onTimer(context('notifySummaries')).catch(() => undefined), 60_000);
const switchTimer = setInterval(() => void deadMansSwitch?.(context('deadMansSwitch')).catch(() => undefined), 60_000);

const { accountSid, authToken, number } = localTwilio;
const smsReply = smsReplyWith({ accountSid, authToken, url: localReplyUrl(port) }, { from: number });
type Handler = (
  request: functions.HttpRequest,
  context: functions.InvocationContext,
) => Promise<functions.HttpResponseInit>;
const handlers = new Map<string, Handler | undefined>([
  ['/api/admission', admission],
  ['/api/heartbeat', heartbeat],
  [localTwilio.replyPath, smsReply],
]);

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
  const handler = handlers.get(url.pathname);
  if (handler === undefined) return void res.writeHead(404).end();
  const body = await buffer(req);
  const headers = Object.fromEntries(
    Object.entries(req.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])),
  );
  const method = req.method ?? 'GET';
  const request = new HttpRequest({
    method,
    url: url.href,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: { bytes: body } }),
  });
  const invocation = context(url.pathname.slice('/api/'.length));
  // The library's own response type encodes jsonBody (and its content-type) as the host does.
  const response = new HttpResponse(await handler(request, invocation));
  const messages = invocation.extraOutputs.get(smsQueue);
  if (Array.isArray(messages)) await queue.enqueue(messages);
  const answer = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers)).end(answer);
});

server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `port ${port} is in use: stop what uses it, or set FUNCTIONS_PORT`
      : `development host failed: ${error.message}`,
  );
  process.exit(1);
});
server.listen(port, '127.0.0.1', () =>
  console.log(`development function host ready on http://127.0.0.1:${port}/api/admission`),
);

const stop = () => {
  clearInterval(summaries);
  clearInterval(switchTimer);
  server.close(() => queue.stop().then(() => process.exit(0)));
  // Requests in flight (a heartbeat, say, waiting on Azurite, which stops too) are not
  // waited for: this is a development host, and the stack stops all of it at once.
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
