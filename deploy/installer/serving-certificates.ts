// The proxy's CA and serving certificate, from the certificate tool run as a command
// (dist/certs/main.js, built beside this installer) with --reuse: it keeps the pair
// already in the directory, so reruns keep the same CA and caBundle, and makes what
// is missing. The installer then reads the files the tool wrote.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InstallerError } from './installer-error.js';

const certsTool = fileURLToPath(new URL('../../certs/main.js', import.meta.url));
const toolTimeoutMs = 60_000;

export interface ServingMaterial {
  readonly caCert: string;
  readonly tlsCert: string;
  readonly tlsKey: string;
}

export interface CertificateRequest {
  readonly directory: string;
  readonly service: string;
  readonly namespace: string;
}

/** Runs the tool, hands its progress lines (not the caBundle) to `report`, and reads the pair. */
export async function provideServingCertificates(
  request: CertificateRequest,
  report: (line: string) => void,
): Promise<ServingMaterial> {
  const args = ['--service', request.service, '--namespace', request.namespace, '--out', request.directory, '--reuse'];
  const result = await runNode([certsTool, ...args]);
  if (result.code !== 0) {
    const toolSaid = result.stderr.split('\n').find(Boolean);
    const reason = toolSaid ? toolSaid.replace(/^certs: /, '') : result.failure;
    throw new InstallerError('CERTS_FAILED', `the certificate tool failed for ${request.directory}: ${reason}`);
  }
  for (const line of result.stdout.split('\n')) if (line && !line.startsWith('caBundle:')) report(line);
  const read = (name: string) => readFileSync(join(request.directory, name), 'utf8');
  try {
    return { caCert: read('ca.crt'), tlsCert: read('tls.crt'), tlsKey: read('tls.key') };
  } catch (error) {
    throw new InstallerError('CERTS_FAILED', `cannot read the certificates in ${request.directory}`, { cause: error });
  }
}

interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the code is not 0: the exit code, or why the tool did not finish. */
  readonly failure?: string;
}

function runNode(args: readonly string[]): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...args], { timeout: toolTimeoutMs }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const code = typeof error.code === 'number' ? error.code : 1;
      const failure = error.killed ? `no answer within ${toolTimeoutMs / 1000} s` : `exit code ${error.code}`;
      resolve({ code, stdout, stderr, failure });
    });
  });
}
