// The sms-status function behind a real HTTP port on 127.0.0.1, as the Functions host
// would serve it: each request becomes an @azure/functions HttpRequest for the handler,
// so the fake Twilio calls it over HTTP exactly as Twilio calls the public URL.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest } from '@azure/functions';
import type { StatusHandler } from '../../functions/shells/sms/status-handler.js';
import { type LogLine, recordingContext } from '../helpers/fixtures.js';

export interface StatusEndpoint {
  /** The URL to configure as SMS_STATUS_CALLBACK_URL (a function key in the query, as in Azure). */
  readonly url: string;
  /** Set once the handler is built (it needs the URL first). */
  handler: StatusHandler | undefined;
  /** Log lines of every invocation so far. */
  readonly lines: LogLine[];
  close(): Promise<void>;
}

export async function startStatusEndpoint(): Promise<StatusEndpoint> {
  const lines: LogLine[] = [];
  const endpoint = { handler: undefined as StatusHandler | undefined, lines };
  const server = createServer(async (incoming, outgoing) => {
    const { context, lines: invocationLines } = recordingContext();
    const request = new HttpRequest({
      method: incoming.method ?? 'POST',
      url: `http://127.0.0.1${incoming.url ?? '/'}`, // not the public URL: the handler must not rely on it
      headers: Object.fromEntries(Object.entries(incoming.headers).map(([name, value]) => [name, String(value)])),
      body: { string: await readText(incoming) },
    });
    const answer = endpoint.handler ? await endpoint.handler(request, context) : { status: 404 };
    lines.push(...invocationLines);
    outgoing.writeHead(answer.status ?? 200).end(typeof answer.body === 'string' ? answer.body : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Trust boundary: a TCP server listening on a port reports an AddressInfo.
  const { port } = server.address() as AddressInfo;
  return Object.assign(endpoint, {
    url: `http://127.0.0.1:${port}/api/sms-status?code=test-function-key`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
