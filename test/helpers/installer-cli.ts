// The built installer (dist/deploy/installer/main.js) as a user runs it, against the
// test API server, with the webhook pointed at the local stack's proxy.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repositoryRoot } from './clean-copy.js';
import { type ApiServer, type CommandResult, run } from './kube-apiserver.js';
import type { LocalStack } from './local-stack.js';

export const installerMain = join(repositoryRoot, 'dist/deploy/installer/main.js');

/** The flags that point the installer at the test cluster and the local stack. */
export function installFlags(server: ApiServer, stack: LocalStack, proxyPort = stack.proxyPort): string[] {
  return [
    '--kubeconfig',
    server.kubeconfig,
    '--webhook-url',
    `https://127.0.0.1:${proxyPort}/admission`,
    '--certs-dir',
    join(stack.state, 'certs'),
    '--function-key-file',
    join(stack.state, 'function-key'),
    '--function-url',
    'http://127.0.0.1:7071/api/admission',
  ];
}

export function runInstaller(args: readonly string[]): Promise<CommandResult> {
  return run(process.execPath, [installerMain, ...args]);
}

/** Starts the installer without waiting for it; its output is collected as it comes. */
export function startInstaller(args: readonly string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [installerMain, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += String(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => (output += String(chunk)));
  return { child, output: () => output };
}
