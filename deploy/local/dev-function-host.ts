// DEVELOPMENT ONLY: a stand-in for the Azure Functions host, for npm start and the
// end-to-end tests, where Core Tools (func) cannot be installed. It serves the very
// handlers the function app exports: POST /api/admission calls `admission`, and the
// SMS queue output it sets is fed to `notify` through an in-memory queue. It does not
// check function keys (neither does `func start`). Never use it in production.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import functions from '@azure/functions';
import { admission, smsQueue } from '../../functions/admission.js';
import { notify } from '../../functions/notify.js';
import { createInMemoryQueue } from './in-memory-queue.js';

const { HttpRequest, InvocationContext } = functions;
const port = Number(process.env.PORT ?? 7071);
const host = JSON.parse(readFileSync(new URL('../../../host.json', import.meta.url), 'utf8'));

function context(functionName: string, triggerMetadata?: Record<string, unknown>) {
  return new InvocationContext({
    functionName,
    invocationId: randomUUID(),
    ...(triggerMetadata ? { triggerMetadata } : {}),
    logHandler: (level, ...args) => console.log(`[${functionName}] ${level}: ${args.map(String).join(' ')}`),
  });
}

const queue = createInMemoryQueue(
  async (message, dequeueCount) => {
    if (!notify) throw new Error('notify is not running: see its start-up error above');
    await notify(message, context('notify', { dequeueCount }));
  },
  {
    maxDequeueCount: host.extensions?.queues?.maxDequeueCount ?? 5,
    retryDelayMs: 1000,
    onPoison: () => console.log('[notify] message moved to the poison queue after the last retry'),
  },
);

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
  if (url.pathname !== '/api/admission') return void res.writeHead(404).end();
  const body = await readBody(req);
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
  const invocation = context('admission');
  const response = await admission(request, invocation);
  const messages = invocation.extraOutputs.get(smsQueue);
  if (Array.isArray(messages)) queue.enqueue(messages);
  const json = response.jsonBody === undefined ? undefined : JSON.stringify(response.jsonBody);
  const responseHeaders = {
    ...(response.headers as Record<string, string> | undefined),
    ...(json ? { 'content-type': 'application/json' } : {}),
  };
  res.writeHead(response.status ?? 200, responseHeaders).end(json ?? (response.body as string | undefined) ?? '');
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

const stop = () => server.close(() => queue.drained().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
