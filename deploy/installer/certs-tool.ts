// The certificate tool (dist/certs/main.js, built beside this installer), run as a
// command: tools stay separate processes. The installer then reads the files it wrote,
// whose names (ca.crt, ca.key, tls.crt, tls.key) are the tool's contract.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TlsMaterial } from './install-manifests.js';
import { InstallerError } from './installer-error.js';

const certsTool = fileURLToPath(new URL('../../certs/main.js', import.meta.url));
const toolTimeoutMs = 60_000;

export const certificateFiles = ['ca.crt', 'ca.key', 'tls.crt', 'tls.key'] as const;

export interface CertsToolRequest {
  readonly directory: string;
  readonly service: string;
  readonly namespace: string;
  /** Names the serving certificate carries besides the Service's own (DNS names or IP addresses). */
  readonly names: readonly string[];
  /** reuse: keep what the directory holds, make what is missing; force: a new CA and pair. */
  readonly mode: 'reuse' | 'force';
}

export interface CertificateSet extends TlsMaterial {
  readonly caKey: string;
}

/** Runs the tool and hands its progress lines (not the caBundle) to `report`. */
export async function runCertsTool(request: CertsToolRequest, report: (line: string) => void): Promise<void> {
  const nameFlags = request.names.flatMap((name) => [isIP(name) ? '--ip' : '--dns', name]);
  const args = ['--service', request.service, '--namespace', request.namespace, '--out', request.directory];
  const result = await runNode([certsTool, ...args, ...nameFlags, `--${request.mode}`]);
  if (result.code !== 0) {
    const toolSaid = result.stderr.split('\n').find(Boolean);
    const reason = toolSaid ? toolSaid.replace(/^certs: /, '') : result.failure;
    throw new InstallerError('CERTS_FAILED', `the certificate tool failed for ${request.directory}: ${reason}`);
  }
  for (const line of result.stdout.split('\n')) if (line && !line.startsWith('caBundle:')) report(line);
}

/** True when `directory` holds a CA certificate and a serving pair (what --reuse keeps). */
export function holdsServingSet(directory: string): boolean {
  return ['ca.crt', 'tls.crt', 'tls.key'].every((name) => existsSync(join(directory, name)));
}

export function readServingMaterial(directory: string): TlsMaterial {
  const read = fileReader(directory);
  return { caCert: read('ca.crt'), tlsCert: read('tls.crt'), tlsKey: read('tls.key') };
}

export function readCertificateSet(directory: string): CertificateSet {
  return { ...readServingMaterial(directory), caKey: fileReader(directory)('ca.key') };
}

function fileReader(directory: string) {
  return (name: (typeof certificateFiles)[number]) => {
    try {
      return readFileSync(join(directory, name), 'utf8');
    } catch (error) {
      throw new InstallerError('CERTS_FAILED', `cannot read ${name} in ${directory}`, { cause: error });
    }
  };
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
