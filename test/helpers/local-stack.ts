// The local stack (npm start) in a child process, on free ports, with its state in a
// temporary directory, for end-to-end and load tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { type Agent, request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { z } from 'zod';

const launcher = fileURLToPath(new URL('../../dist/deploy/local/start-stack.js', import.meta.url));

/** An AdmissionReview answer, as far as the tests read it; other fields are kept as sent. */
const reviewAnswerSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  response: z.looseObject({
    uid: z.string(),
    allowed: z.boolean(),
    status: z.looseObject({ code: z.number().optional(), message: z.string().optional() }).optional(),
  }),
});
export type ReviewAnswer = z.infer<typeof reviewAnswerSchema>;

/** One line of sms.log. */
const textSchema = z.object({ to: z.string(), body: z.string() });
export type Text = z.infer<typeof textSchema>;

export interface LocalStack {
  readonly process: ChildProcess;
  readonly state: string;
  readonly proxyPort: number;
  /** The development function host's port (FUNCTIONS_PORT): where sms:reply posts replies. */
  readonly functionsPort: number;
  readonly ca: string;
  output(): string;
  /** Sends a review through the proxy; resolves with the parsed answer. */
  review(body: unknown, agent?: Agent): Promise<ReviewAnswer>;
  texts(): Text[];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port from a TCP server');
  return address.port;
}

/** Starts the stack with `extraEnv`, its state in `state` (a new temporary directory unless given). */
export async function startLocalStack(
  extraEnv: Record<string, string> = {},
  state = mkdtempSync(join(tmpdir(), 'local-stack-')),
): Promise<LocalStack> {
  const ports = {
    FUNCTIONS_PORT: String(await freePort()),
    PROXY_PORT: String(await freePort()),
    PROXY_HEALTH_PORT: String(await freePort()),
  };
  const child = spawn(process.execPath, [launcher], {
    env: { PATH: process.env.PATH, LOCAL_STATE_DIR: state, CLUSTER_NAME: 'e2e', ...ports, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += String(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => (output += String(chunk)));
  await vi.waitFor(
    () => {
      if (!/^ready$/m.test(output)) throw new Error(`stack not ready yet:\n${output.slice(-2000)}`);
    },
    { timeout: 30_000, interval: 100 },
  );
  const proxyPort = Number(ports.PROXY_PORT);
  const ca = readFileSync(join(state, 'certs', 'ca.crt'), 'utf8');
  return {
    process: child,
    state,
    proxyPort,
    functionsPort: Number(ports.FUNCTIONS_PORT),
    ca,
    output: () => output,
    review: (body, agent) =>
      new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: proxyPort,
            path: '/admission?timeout=10s',
            method: 'POST',
            ca,
            servername: 'localhost',
            headers: { 'content-type': 'application/json' },
            timeout: 15_000,
            ...(agent ? { agent } : {}),
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              try {
                resolve(reviewAnswerSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
              } catch (error) {
                reject(error);
              }
            });
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(body));
      }),
    texts: () => {
      const file = join(state, 'sms.log');
      return existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => textSchema.parse(JSON.parse(line)))
        : [];
    },
  };
}
