// The proxy image, built without a Docker engine: the steps of proxy/Dockerfile are
// read from the file and performed in a clean copy of the repository (so the two
// cannot drift), the final stage's copy is made into an empty directory, and the
// proxy is started from there, with no other file of the repository present, and
// relays a review.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltProxy } from '../helpers/built-proxy.js';
import { makeCleanCopy, repositoryRoot } from '../helpers/clean-copy.js';
import { readDockerfile } from '../helpers/dockerfile.js';
import { loadFixture } from '../helpers/fixtures.js';
import {
  type Certificates,
  type FakeFunction,
  functionKey,
  makeCertificates,
  send,
  startFakeFunction,
} from '../helpers/proxy-harness.js';

const plan = readDockerfile(join(repositoryRoot, 'proxy/Dockerfile'));
const ignored = readFileSync(join(repositoryRoot, 'proxy/Dockerfile.dockerignore'), 'utf8')
  .split('\n')
  .filter((line) => line && !line.startsWith('#'));

let imageDirectory: string;
let certs: Certificates;
let upstream: FakeFunction;

beforeAll(async () => {
  // The build context: a clean copy of the repository, minus what the .dockerignore leaves out.
  const context = makeCleanCopy('proxy-image-context-', (file) =>
    ignored.some((pattern) => file.split('/')[0] === pattern),
  );
  const stage = mkdtempSync(join(tmpdir(), 'proxy-image-build-'));
  for (const step of plan.buildSteps) {
    if ('copy' in step) {
      const { from, to } = step.copy;
      for (const source of from) {
        const destination = from.length > 1 || to.endsWith('/') ? join(stage, to, basename(source)) : join(stage, to);
        cpSync(join(context, source), destination, { recursive: true });
      }
      continue;
    }
    // The cache a CI run filled is used where it can be; the commands are the Dockerfile's.
    execFileSync('sh', ['-c', step.run], {
      cwd: stage,
      stdio: 'pipe',
      env: { ...process.env, npm_config_prefer_offline: 'true' },
    });
  }
  imageDirectory = mkdtempSync(join(tmpdir(), 'proxy-image-'));
  for (const { from, to } of plan.finalCopies) {
    for (const source of from) {
      const inStage = source.startsWith(plan.buildWorkdir) ? source.slice(plan.buildWorkdir.length) : source;
      cpSync(join(stage, inStage), join(imageDirectory, to), { recursive: true });
    }
  }
  certs = await makeCertificates();
  upstream = await startFakeFunction();
}, 240_000);
afterAll(() => upstream?.close());

describe('the proxy image', () => {
  it('builds from named sources only: nothing else of the checkout enters a layer', () => {
    const copied = plan.buildSteps.flatMap((step) => ('copy' in step ? step.copy.from : []));
    expect(copied).not.toContain('.');
    expect(copied).toEqual(expect.arrayContaining(['package-lock.json', 'functions', 'proxy']));
  });

  it('holds the bundle and its package.json only: no node_modules, no function packages', () => {
    expect(plan.finalCopies).toHaveLength(1);
    expect(readdirSync(imageDirectory).sort()).toEqual(['main.mjs', 'package.json']);
    const bundle = readFileSync(join(imageDirectory, 'main.mjs'), 'utf8');
    expect(bundle).not.toMatch(/from ["']twilio["']|require\(["']twilio["']\)/);
    expect(bundle).not.toMatch(/from ["'](pino|prom-client|zod)["']/);
  });

  it('starts from that directory alone, with the image environment, and relays a review with the key', async () => {
    const { child, listening } = startBuiltProxy(
      certs,
      upstream,
      { ...plan.finalEnv },
      {
        directory: imageDirectory,
        command: plan.entrypoint,
      },
    );
    try {
      const { port } = await listening;
      const review = loadFixture('v1-create-deployment-3-replicas.json');
      const answer = await send({ port }, certs.ca.cert, { body: JSON.stringify(review) });
      expect(answer.status).toBe(200);
      expect(answer.json().response).toMatchObject({ uid: review.request.uid, allowed: true });
      expect(upstream.seen.at(-1)?.headers['x-functions-key']).toBe(functionKey);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
