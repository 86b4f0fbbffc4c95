// End to end through the local stack, started as npm start starts it (the built
// launcher in a child process, real ports on 127.0.0.1, real TLS checked against the
// generated CA): the product's scenarios through the proxy, texts read back from
// sms.log, and the proxy answering alone once the function is gone.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadFixture } from '../helpers/fixtures.js';
import { type LocalStack, startLocalStack } from '../helpers/local-stack.js';

let stack: LocalStack;
let output = '';
let proxyPort = 0;

const review = (body: unknown) => stack.review(body);
const texts = () => stack.texts();

beforeAll(async () => {
  stack = await startLocalStack();
  stack.process.stdout?.on('data', () => (output = stack.output()));
  output = stack.output();
  proxyPort = stack.proxyPort;
}, 40_000);

// The stack gives its children at most 10 s to stop (deploy/local/process-group.ts).
afterAll(async () => {
  if (stack.process.exitCode === null) {
    stack.process.kill('SIGTERM');
    await once(stack.process, 'exit');
  }
}, 20_000);

describe('the local stack (npm start)', () => {
  it('prints where things run and a curl that goes through the proxy', () => {
    expect(output).toContain(`https://127.0.0.1:${proxyPort}/admission`);
    expect(output).toMatch(/storage \(Azurite\)\s+queue :\d+, table :\d+\s+pid \d+/);
    expect(output).toMatch(
      /curl --cacert \S+ca\.crt -H 'content-type: application\/json' --data @\S+v1-create-deployment-2-replicas\.json/,
    );
  });

  it('denies 2 replicas with the minimum in the message, and texts BLOCKED with the rule', async () => {
    const answer = await review(loadFixture('v1-create-deployment-2-replicas.json'));
    expect(answer.response).toMatchObject({
      uid: '0e9d4c6b-71a2-4b8e-a3f5-c2d1e0b9a874',
      allowed: false,
      status: { code: 403 },
    });
    expect(answer.response.status?.message).toContain('the minimum is 3');
    await vi.waitFor(() =>
      expect(texts().map((t) => t.body)).toContain(
        '[e2e] BLOCKED deployment shop/web by alice@contoso.com: rule minimum-replicas: "2 replicas, minimum is 3". Set spec.replicas >= 3 and re-apply.',
      ),
    );
  });

  it('prints a curl that works as printed', async () => {
    const command = /^\s*(curl .*)$/m.exec(stack.output())?.[1] ?? '';
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('sh', ['-c', `${command} --silent --show-error`], { timeout: 15_000 }, (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    expect(JSON.parse(stdout).response).toMatchObject({ allowed: false, status: { code: 403 } });
  });

  it('allows 3 replicas and texts NEW', async () => {
    const answer = await review(loadFixture('v1-create-deployment-3-replicas.json'));
    expect(answer.response).toEqual({ uid: 'b6a1d8e4-4c2f-4f0a-9e57-1d3c5b7a9e21', allowed: true });
    await vi.waitFor(() =>
      expect(texts().map((t) => t.body)).toContain(
        '[e2e] NEW deployment shop/web by alice@contoso.com: 3 replicas, image "nginx:1.25"',
      ),
    );
  });

  it('allows an image change and texts both images', async () => {
    const answer = await review(loadFixture('v1-update-deployment-image.json'));
    expect(answer.response.allowed).toBe(true);
    await vi.waitFor(() =>
      expect(texts().map((t) => t.body)).toContain(
        '[e2e] CHANGED deployment shop/web by alice@contoso.com: web: nginx:1.25 -> nginx:1.27',
      ),
    );
  });

  it('texts nothing for a dry run', async () => {
    const before = texts().length;
    const dryRun = await review(loadFixture('v1-create-deployment-dry-run.json'));
    expect(dryRun.response.allowed).toBe(false);
    // Texts leave in order: once a later review's text is in, the dry run's would be too.
    const marker = loadFixture('v1-create-deployment-2-replicas.json');
    marker.request.uid = 'after-dry-run';
    marker.request.name = marker.request.object.metadata.name = 'after-dry-run';
    marker.request.object.spec.replicas = 1;
    await review(marker);
    await vi.waitFor(() => expect(texts().length).toBeGreaterThan(before));
    expect(
      texts()
        .slice(before)
        .map((t) => t.body),
    ).toEqual([
      '[e2e] BLOCKED deployment shop/after-dry-run by alice@contoso.com: rule minimum-replicas: "1 replica, minimum is 3". Set spec.replicas >= 3 and re-apply.',
    ]);
  });

  it('denies kubectl scale to 1', async () => {
    const answer = await review(loadFixture('v1-update-scale-to-1.json'));
    expect(answer.response).toMatchObject({ uid: 'e1d2c3b4-a5f6-4e7d-8c9b-0a1f2e3d4c5b', allowed: false });
  });

  it('answers from the proxy, per its failure mode, once the function is gone', async () => {
    const pid = Number(/function host \(development\).*pid (\d+)/.exec(stack.output())?.[1]);
    process.kill(pid, 'SIGKILL');
    await vi.waitFor(() => expect(stack.output()).toContain('[functions] exited'));
    const started = Date.now();
    const answer = await review(loadFixture('v1beta1-create-deployment-2-replicas.json'));
    expect(Date.now() - started).toBeLessThan(9000);
    expect(answer).toMatchObject({
      apiVersion: 'admission.k8s.io/v1beta1',
      response: { uid: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f', allowed: false, status: { code: 503 } },
    });
    expect(answer.response.status?.message).toContain('policy backend unavailable: could not connect (ECONNREFUSED)');
  });

  it('stops cleanly on Ctrl-C', async () => {
    stack.process.kill('SIGINT');
    const [code] = await once(stack.process, 'exit');
    expect(code).toBe(0);
  });
});
