// A real kube-apiserver (v1.20) with etcd on 127.0.0.1, from ../shared/tools/kube-apiserver
// (built once and cached; see its README), and kubectl pointed at it. For npm run
// test:cluster only: npm test does not need it.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repositoryRoot } from './clean-copy.js';

/**
 * The tool's folder: KUBE_APISERVER_TOOLS, else shared/tools/kube-apiserver in a folder
 * above this checkout, or above the checkout it was cloned from (a CI clone elsewhere).
 */
function findTools(): string {
  const above = (start: string) => {
    const found: string[] = [];
    for (let directory = start; dirname(directory) !== directory; directory = dirname(directory)) {
      found.push(join(dirname(directory), 'shared', 'tools', 'kube-apiserver'));
    }
    return found;
  };
  const origin = clonedFrom();
  const candidates = [
    ...(process.env.KUBE_APISERVER_TOOLS ? [process.env.KUBE_APISERVER_TOOLS] : []),
    ...above(repositoryRoot),
    ...(origin ? above(origin) : []),
  ];
  const found = candidates.find((path) => existsSync(join(path, 'start.sh')));
  if (!found) throw new Error('kube-apiserver tools (shared/tools/kube-apiserver) not found; set KUBE_APISERVER_TOOLS');
  return found;
}

function clonedFrom(): string | undefined {
  try {
    const origin = execFileSync('git', ['config', '--get', 'remote.origin.url'], {
      cwd: repositoryRoot,
      encoding: 'utf8',
    }).trim();
    return origin.startsWith('/') ? origin : undefined;
  } catch {
    return undefined; // no origin: only the other places are looked at
  }
}

export interface ApiServer {
  readonly directory: string;
  readonly kubeconfig: string;
  stop(): void;
}

/** Builds (or finds the cached build) and starts one; throws with the tool's own words when it cannot. */
export function startApiServer(): ApiServer {
  const tools = findTools();
  execFileSync(join(tools, 'build.sh'), { stdio: ['ignore', 'ignore', 'pipe'], timeout: 900_000 });
  const directory = mkdtempSync(join(tmpdir(), 'kube-apiserver-'));
  const kubeconfig = execFileSync(join(tools, 'start.sh'), [directory], { encoding: 'utf8', timeout: 180_000 }).trim();
  return { directory, kubeconfig, stop: () => execFileSync(join(tools, 'stop.sh'), [directory], { stdio: 'ignore' }) };
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end and reports how it went; never throws for a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
) {
  return new Promise<CommandResult>((resolve) => {
    const child = execFile(
      command,
      [...args],
      { encoding: 'utf8', timeout: 120_000, env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** kubectl against the test API server. */
export function kubectl(server: ApiServer, args: readonly string[], input?: string): Promise<CommandResult> {
  return run('kubectl', ['--kubeconfig', server.kubeconfig, ...args], input === undefined ? {} : { input });
}

/** A Deployment manifest with `replicas`, as `kubectl apply -f -` takes it. */
export function deploymentManifest(namespace: string, name: string, replicas: number): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
    },
  });
}
