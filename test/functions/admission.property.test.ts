// Hostile input: random bodies and mutated real reviews. Every answer must be a 4xx
// with a message or a well-formed AdmissionReview for the request's uid; never an
// exception, never a 500.
import type { HttpResponseInit } from '@azure/functions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AdmissionReviewResponse } from '../../functions/core/index.js';
import { defaultPolicy } from '../../functions/core/policy.js';
import { createAdmissionHandler } from '../../functions/shells/http/admission-handler.js';
import { loadFixture, recordingContext, reviewRequest } from '../helpers/fixtures.js';

const handler = createAdmissionHandler({
  settings: { clusterName: 'prop' },
  policy: defaultPolicy(3),
  now: () => new Date('2026-11-22T10:00:00Z'),
  sendNotifications: () => {},
});

const fixtureNames = [
  'v1-create-deployment-3-replicas.json',
  'v1-update-deployment-image.json',
  'v1-update-scale-to-1.json',
  'v1-delete-deployment.json',
  'v1beta1-create-deployment-2-replicas.json',
];

async function answer(body: string): Promise<HttpResponseInit> {
  const { context } = recordingContext();
  return handler(reviewRequest(body), context);
}

const sentReview = z.object({ apiVersion: z.string(), request: z.object({ uid: z.string() }) });

function expectWellFormed(response: HttpResponseInit, sent: unknown): void {
  if (response.status === 400) {
    expect(response.body).toMatch(/^[A-Z_]+: \S/);
    return;
  }
  expect(response.status).toBe(200);
  // Trust boundary: a 200 from the handler is an AdmissionReview it built; `sent` parsed as one.
  const review = response.jsonBody as AdmissionReviewResponse;
  const request = sentReview.parse(sent);
  expect(review.kind).toBe('AdmissionReview');
  expect(review.apiVersion).toBe(request.apiVersion);
  expect(review.response.uid).toBe(request.request.uid);
  expect(typeof review.response.allowed).toBe('boolean');
  if (!review.response.allowed) {
    expect(review.response.status?.code).toBe(403);
    expect(review.response.status?.message.length).toBeGreaterThan(0);
  }
  for (const warning of review.response.warnings ?? []) expect(warning.length).toBeLessThan(120);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into a JSON value, so a mutation can land anywhere in a review. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (value && typeof value === 'object') {
    return [...here, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  }
  return here;
}

function mutate(review: Json, path: (string | number)[], replacement: Json | undefined): Json {
  const copy = structuredClone(review);
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

describe('admission handler under hostile input', () => {
  it('answers arbitrary strings with 400 and a coded message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 2000 }), async (text) => {
        const response = await answer(text);
        expect(response.status).toBe(400);
        expect(response.body).toMatch(/^[A-Z_]+: /);
      }),
      { numRuns: 300 },
    );
  });

  it('answers arbitrary JSON values with 400 or a well-formed review', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const response = await answer(JSON.stringify(value));
        expectWellFormed(response, value);
      }),
      { numRuns: 300 },
    );
  });

  it('answers real reviews with any one field replaced, removed or retyped', async () => {
    const reviews = fixtureNames.map((name) => loadFixture(name) as Json);
    const mutation = fc.nat({ max: reviews.length - 1 }).chain((index) => {
      const review = reviews[index] as Json;
      const paths = pathsOf(review);
      return fc.tuple(
        fc.constant(review),
        fc.constantFrom(...paths),
        fc.option(fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, { nil: undefined }),
      );
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ([review, path, replacement]) => {
        const sent = mutate(review, path, replacement);
        const response = await answer(JSON.stringify(sent));
        expectWellFormed(response, sent);
      }),
      { numRuns: 1000 },
    );
  });

  it('answers reviews cut off at any byte with 400', async () => {
    const text = JSON.stringify(loadFixture('v1-update-deployment-image.json'));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: text.length - 1 }), async (cut) => {
        const response = await answer(text.slice(0, cut));
        expect(response.status).toBe(400);
      }),
      { numRuns: 300 },
    );
  });
});
