// What every test:cluster file starts with: a real API server, the local stack (TLS
// proxy -> function) to be its webhook, and a namespace `shop` for the Deployments the
// tests create; and how each stops them.
import { type ApiServer, kubectl, startApiServer } from './kube-apiserver.js';
import { type LocalStack, startLocalStack } from './local-stack.js';

export async function startClusterWithStack(
  stackEnv: Record<string, string> = {},
): Promise<{ server: ApiServer; stack: LocalStack }> {
  const server = startApiServer();
  const stack = await startLocalStack(stackEnv);
  const created = await kubectl(server, ['create', 'namespace', 'shop']);
  if (created.code !== 0) throw new Error(`cannot create namespace shop: ${created.stderr}`);
  return { server, stack };
}

/** Stops what was started; either may be missing when start-up failed half way. */
export function stopClusterWithStack(server: ApiServer | undefined, stack: LocalStack | undefined): void {
  stack?.process.kill('SIGTERM');
  server?.stop();
}
