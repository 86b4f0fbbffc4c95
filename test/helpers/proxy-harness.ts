// A proxy under test: real TLS on 127.0.0.1 with certificates made for the test, a
// fake upstream function whose answers the test scripts, and a client that verifies
// the proxy's certificate against the test CA.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { z } from 'zod';
import {
  type CertificateAuthority,
  createCertificateAuthority,
  issueServingCertificate,
} from '../../certs/issue-certificates.js';
import { loadProxyConfig, type ProxyConfig } from '../../proxy/config.js';
import { createLogger } from '../../proxy/logger.js';
import { createProxyServer, type ProxyServer } from '../../proxy/proxy-server.js';

export const serviceName = 'admission-proxy.admission-system.svc';
export const functionKey = 'fk_test_2f9c1e7a4b6d8e0f1a3c5e7b9d0f2a4c';

export type UpstreamAnswer =
  | 'allow'
  | 'status-500'
  | 'status-401'
  | 'status-400'
  | 'not-json'
  | 'wrong-uid'
  | 'hang'
  | 'reset'
  | { readonly gate: Promise<void> }
  | { readonly delayMs: number }
  /** A 200 of this many bytes (blanks): an answer over the proxy's 1 MiB cap. */
  | { readonly bytes: number }
  /** Any status with a plain-text body (a 404 from a wrong URL, a 429 from throttling, ...). */
  | { readonly status: number; readonly text: string };

export interface SeenRequest {
  readonly headers: IncomingMessage['headers'];
  readonly url: string;
  readonly body: string;
}

export interface FakeFunction {
  readonly url: string;
  readonly seen: SeenRequest[];
  connections: number;
  /** Connections to the fake still open now. */
  openConnections(): number;
  answer: UpstreamAnswer;
  close(): Promise<void>;
}

export async function startFakeFunction(): Promise<FakeFunction> {
  const open = new Set<Socket>();
  const fake = {
    seen: [] as SeenRequest[],
    connections: 0,
    openConnections: () => open.size,
    answer: 'allow' as UpstreamAnswer,
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    fake.seen.push({ headers: req.headers, url: req.url ?? '', body });
    const answer = fake.answer;
    if (answer === 'hang') return;
    if (answer === 'reset') return void req.socket.destroy();
    if (typeof answer === 'object' && 'bytes' in answer)
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.alloc(answer.bytes, 0x20));
    if (typeof answer === 'object' && 'status' in answer)
      return void res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.text);
    if (typeof answer === 'object')
      await ('gate' in answer ? answer.gate : new Promise((resolve) => setTimeout(resolve, answer.delayMs)));
    if (answer === 'status-500') return void res.writeHead(500).end('oops');
    if (answer === 'status-401') return void res.writeHead(401).end();
    if (answer === 'status-400')
      return void res.writeHead(400, { 'content-type': 'text/plain' }).end('INVALID_REVIEW: nope\n');
    if (answer === 'not-json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>');
    const review = readReviewRequest(body);
    if (!review) {
      return void res
        .writeHead(400, { 'content-type': 'text/plain' })
        .end('INVALID_REVIEW: as the real function would say\n');
    }
    const uid = answer === 'wrong-uid' ? 'someone-else' : review.request.uid;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ apiVersion: review.apiVersion, kind: 'AdmissionReview', response: { uid, allowed: true } }),
    );
  });
  server.on('connection', (socket) => {
    fake.connections++;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/admission`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

// What the fake function needs of a review: its uid (a string, or it refuses the
// request as the real one would) and its apiVersion, echoed whatever it is.
const reviewRequest = z.object({ apiVersion: z.unknown(), request: z.object({ uid: z.string() }) });

function readReviewRequest(body: string): z.output<typeof reviewRequest> | undefined {
  try {
    const parsed = reviewRequest.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // not JSON
  }
}

export interface Certificates {
  readonly ca: CertificateAuthority;
  readonly directory: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly keyFileForFunction: string;
  /** Writes a new serving pair from the same CA; returns its PEM. */
  rotate(): Promise<string>;
}

export async function makeCertificates(): Promise<Certificates> {
  const directory = mkdtempSync(join(tmpdir(), 'admission-proxy-'));
  const ca = await createCertificateAuthority('serverless-admission test CA', 1);
  const files = {
    certFile: join(directory, 'tls.crt'),
    keyFile: join(directory, 'tls.key'),
    keyFileForFunction: join(directory, 'function-key'),
  };
  const rotate = async () => {
    const pair = await issueServingCertificate(ca, {
      commonName: serviceName,
      names: [serviceName, 'localhost', '127.0.0.1'],
      validDays: 1,
    });
    writeFileSync(files.keyFile, pair.key);
    writeFileSync(files.certFile, pair.cert);
    return pair.cert;
  };
  await rotate();
  writeFileSync(files.keyFileForFunction, `${functionKey}\n`);
  return { ca, directory, ...files, rotate };
}

export interface RunningProxy {
  readonly proxy: ProxyServer;
  readonly config: ProxyConfig;
  readonly port: number;
  readonly healthPort: number;
  readonly logs: string[];
}

export async function startProxy(
  certs: Certificates,
  upstream: FakeFunction,
  env: Record<string, string> = {},
): Promise<RunningProxy> {
  const config = loadProxyConfig({
    PORT: '0',
    HEALTH_PORT: '0',
    HOST: '127.0.0.1',
    TLS_CERT_FILE: certs.certFile,
    TLS_KEY_FILE: certs.keyFile,
    FUNCTION_URL: upstream.url,
    FUNCTION_KEY_FILE: certs.keyFileForFunction,
    CLUSTER_NAME: 'test-cluster',
    RELOAD_INTERVAL_MS: '100',
    SHUTDOWN_DELAY_MS: '0',
    SHUTDOWN_GRACE_MS: '2000',
    HEARTBEAT_INTERVAL_MS: '0', // a heartbeat would land among the requests a test counts; heartbeat.test.ts sets it
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const proxy = createProxyServer(config, createLogger('debug', sink));
  const { port, healthPort } = await proxy.listen();
  return { proxy, config, port, healthPort, logs };
}

/**
 * An AdmissionReview answer as the tests read it: loose, so that every field the proxy
 * sent is kept (a test can compare the whole), with the fields the tests look into typed.
 */
const reviewAnswer = z.looseObject({
  apiVersion: z.unknown(),
  kind: z.string(),
  response: z.looseObject({
    uid: z.string(),
    allowed: z.boolean(),
    status: z.looseObject({ code: z.number(), message: z.string() }).optional(),
    warnings: z.array(z.string()).optional(),
  }),
});

export type ReviewAnswer = z.output<typeof reviewAnswer>;

export interface ClientAnswer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly text: string;
  readonly peerCertificateSerial: string;
  /** The body as an AdmissionReview answer; throws, naming what is wrong, when it is not one. */
  json(): ReviewAnswer;
}

export function send(
  running: { port: number },
  ca: string,
  options: { method?: string; path?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<ClientAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: running.port,
        servername: serviceName,
        ca,
        agent: false,
        method: options.method ?? 'POST',
        path: options.path ?? '/admission?timeout=10s',
        headers: { 'content-type': 'application/json', ...options.headers },
        timeout: 15_000,
      },
      (res) => {
        const serial = res.socket instanceof TLSSocket ? (res.socket.getPeerCertificate().serialNumber ?? '') : '';
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            peerCertificateSerial: serial,
            json: () => reviewAnswer.parse(JSON.parse(text)),
          });
        });
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.end(options.body);
  });
}
