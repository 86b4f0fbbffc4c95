// Development certificates for the local proxy, from the certificate tool run as a
// command (dist/certs/main.js, built beside this folder) with --reuse: made on the
// first run, kept afterwards. The serving certificate is for localhost and 127.0.0.1,
// the names the local stack is called by, besides the in-cluster names the tool
// always writes (for the Service admission-proxy in a namespace "local").
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DevelopmentCertificates {
  readonly directory: string;
  /** The CA's PEM, for clients of the proxy. */
  readonly caCert: string;
  readonly tlsCertFile: string;
  readonly tlsKeyFile: string;
}

const certsTool = fileURLToPath(new URL('../../certs/main.js', import.meta.url));
const toolTimeoutMs = 60_000;

/** Runs the tool (its lines, but the caBundle, go to `print`), then points at the files it keeps. */
export async function provideDevelopmentCertificates(
  directory: string,
  print: (line: string) => void,
): Promise<DevelopmentCertificates> {
  const args = ['--service', 'admission-proxy', '--namespace', 'local', '--out', directory];
  const names = ['--dns', 'localhost', '--ip', '127.0.0.1', '--reuse'];
  const { stdout, stderr, failure } = await runNode([certsTool, ...args, ...names]);
  if (failure !== undefined) {
    const toolSaid = stderr.split('\n').find(Boolean);
    const reason = toolSaid ? toolSaid.replace(/^certs: /, '') : failure;
    throw new Error(`the certificate tool failed for ${directory}: ${reason}`);
  }
  for (const line of stdout.split('\n')) if (line && !line.startsWith('caBundle:')) print(line);
  return {
    directory,
    caCert: readFileSync(join(directory, 'ca.crt'), 'utf8'),
    tlsCertFile: join(directory, 'tls.crt'),
    tlsKeyFile: join(directory, 'tls.key'),
  };
}

function runNode(args: readonly string[]): Promise<{ stdout: string; stderr: string; failure?: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...args], { timeout: toolTimeoutMs }, (error, stdout, stderr) => {
      if (!error) return resolve({ stdout, stderr });
      const failure = error.killed ? `no answer within ${toolTimeoutMs / 1000} s` : `exit code ${error.code}`;
      resolve({ stdout, stderr, failure });
    });
  });
}
