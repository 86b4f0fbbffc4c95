// DEVELOPMENT ONLY: Azurite, the Azure Storage emulator (an npm devDependency, never
// fetched at run time), for npm start and the tests: the real queue and table
// protocols on free loopback ports, state in memory, gone when it stops.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface AzuriteServer {
  readonly process: ChildProcess;
  /** A connection string for AzureWebJobsStorage, with this server's ports. */
  readonly connectionString: string;
  readonly ports: { readonly blob: number; readonly queue: number; readonly table: number };
  /** Milliseconds from spawn to all three services listening. */
  readonly startMs: number;
  stop(): Promise<void>;
}

// Azurite's documented development account; a well-known key, not a secret.
const account = 'devstoreaccount1';
const accountKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const startTimeoutMs = 20_000;

export function azuriteConnectionString(ports: AzuriteServer['ports']): string {
  const endpoint = (port: number) => `http://127.0.0.1:${port}/${account}`;
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${account}`,
    `AccountKey=${accountKey}`,
    `BlobEndpoint=${endpoint(ports.blob)}`,
    `QueueEndpoint=${endpoint(ports.queue)}`,
    `TableEndpoint=${endpoint(ports.table)}`,
  ].join(';');
}

/**
 * Starts Azurite on free ports, in `directory` (a new temporary one, removed on stop,
 * when not given); rejects after 20 s or when it exits first.
 */
export async function startAzurite(directory?: string): Promise<AzuriteServer> {
  const main = join(dirname(createRequire(import.meta.url).resolve('azurite/package.json')), 'dist/src/azurite.js');
  const cwd = directory ?? mkdtempSync(join(tmpdir(), 'azurite-'));
  const hosts = ['blob', 'queue', 'table'].flatMap((service) => [
    `--${service}Host`,
    '127.0.0.1',
    `--${service}Port`,
    '0',
  ]);
  const args = [main, '--inMemoryPersistence', '--skipApiVersionCheck', '--loose', '--disableTelemetry', ...hosts];
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  // Whatever ends this process (an uncaught error included), Azurite goes with it.
  const orphanGuard = () => child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (!directory) rmSync(cwd, { recursive: true, force: true });
  };
  try {
    const ports = await readPorts(child);
    return {
      process: child,
      connectionString: azuriteConnectionString(ports),
      ports,
      startMs: Date.now() - started,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The three ports Azurite says it listens on. */
function readPorts(child: ChildProcess): Promise<AzuriteServer['ports']> {
  return new Promise((resolve, reject) => {
    let output = '';
    const found: Record<string, number> = {};
    const timer = setTimeout(() => fail(`azurite did not start within ${startTimeoutMs / 1000} s`), startTimeoutMs);
    const fail = (message: string) => {
      clearTimeout(timer);
      reject(new Error(`${message}: ${output.slice(-500)}`));
    };
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      for (const match of output.matchAll(/Azurite (Blob|Queue|Table) service is successfully listening at \S+:(\d+)/g))
        found[(match[1] ?? '').toLowerCase()] = Number(match[2]);
      const { blob, queue, table } = found;
      if (blob && queue && table) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve({ blob, queue, table });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.once('exit', (code) => fail(`azurite exited (code ${code}) before it was ready`));
  });
}
