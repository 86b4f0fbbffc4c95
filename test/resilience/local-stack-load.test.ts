// Load through the whole local path (proxy -> development function host -> decision ->
// queued texts): every answer carries the uid of its request, none is lost or
// duplicated, and the texts are exactly the expected ones. RESILIENCE_REVIEWS sets
// the count (npm test: 2,000; npm run test:resilience: 50,000), at concurrency 128.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadFixture } from '../helpers/fixtures.js';
import { type LocalStack, type ReviewAnswer, startLocalStack } from '../helpers/local-stack.js';
import { secretsFoundIn } from '../helpers/secrets-in-logs.js';

const total = Number(process.env.RESILIENCE_REVIEWS ?? 2000);
const concurrency = 128;
const denyEvery = 25;
const opsNumber = '+15551239876';

let stack: LocalStack;
beforeAll(async () => {
  // Every denial is texted: the flood budget (SMS_BUDGET_*) is raised past the load.
  const budget = { SMS_BUDGET_PER_CLUSTER: '10000', SMS_BUDGET_PER_RECIPIENT: '10000' };
  stack = await startLocalStack({ LOG_LEVEL: 'info', OPS_PHONE_NUMBERS: opsNumber, ...budget });
}, 40_000);
// The stack gives its children at most 10 s to stop (deploy/local/process-group.ts).
afterAll(async () => {
  stack.process.kill('SIGTERM');
  await once(stack.process, 'exit');
}, 20_000);

describe(`${total} reviews at concurrency ${concurrency} through the local stack`, () => {
  it('answers each with its own uid, loses none, and texts exactly the denials', async () => {
    const allowed = loadFixture('v1-update-deployment-labels-only.json');
    const denied = loadFixture('v1-create-deployment-2-replicas.json');
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const answered = new Map<string, ReviewAnswer>();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const index = next++;
          const review = structuredClone(index % denyEvery === 0 ? denied : allowed);
          review.request.uid = `uid-${index}`;
          if (index % denyEvery === 0) review.request.name = review.request.object.metadata.name = `app-${index}`;
          const answer = await stack.review(review, agent);
          expect(answered.has(review.request.uid)).toBe(false);
          answered.set(review.request.uid, answer);
        }
      }),
    );
    agent.destroy();

    expect(answered.size).toBe(total);
    for (const [uid, answer] of answered) {
      expect(answer.response.uid).toBe(uid);
      expect(answer.response.allowed).toBe(Number(uid.slice(4)) % denyEvery !== 0);
    }
    const expected = Array.from(
      { length: Math.ceil(total / denyEvery) },
      (_, i) =>
        `[e2e] BLOCKED deployment shop/app-${i * denyEvery} by alice@contoso.com: rule minimum-replicas: "2 replicas, minimum is 3". Set spec.replicas >= 3 and re-apply.`,
    );
    await vi.waitFor(() => expect(stack.texts().length).toBeGreaterThanOrEqual(expected.length), {
      timeout: 60_000,
      interval: 250,
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // nothing more should arrive
    expect(
      stack
        .texts()
        .map((text) => text.body)
        .sort(),
    ).toEqual(expected.sort());

    const key = readFileSync(join(stack.state, 'function-key'), 'utf8');
    expect(secretsFoundIn(stack.output(), { functionKey: key, opsNumber })).toEqual([]);
  }, 600_000);
});
