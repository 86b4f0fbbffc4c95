// Real AdmissionReview bodies (test/fixtures) and ways to send them to the handler.
import { readFileSync } from 'node:fs';
import { HttpRequest, InvocationContext } from '@azure/functions';

const fixturesDirectory = new URL('../fixtures/', import.meta.url);

type Open = { [field: string]: unknown };

export interface ContainerFixture extends Open {
  name: string;
  image?: string;
  env?: unknown;
  readinessProbe?: unknown;
}

export interface WorkloadFixture extends Open {
  metadata: Open & {
    name?: string;
    namespace?: string;
    generateName?: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Open & {
    replicas?: number | null;
    template: Open & { spec: Open & { containers: ContainerFixture[]; volumes?: unknown; securityContext?: unknown } };
  };
}

/**
 * The AdmissionReviews in test/fixtures (Deployments and one Scale), typed as far as
 * tests reach into them, as the Deployment fixtures have it.
 */
export interface ReviewFixture extends Open {
  apiVersion: string;
  kind: string;
  request: Open & {
    uid: string;
    name: string;
    namespace: string;
    operation: string;
    resource: Open & { resource: string };
    userInfo: Open & { username: string };
    object: WorkloadFixture;
    /** Present in the UPDATE fixtures, which are the ones tests read it from. */
    oldObject: WorkloadFixture;
  };
}

/**
 * A fresh, mutable copy of a fixture, so a test can change a field without leaking.
 * A test that reaches further, or breaks the shape on purpose, names its own type.
 */
export function loadFixture<T = ReviewFixture>(name: string): T {
  // Trust boundary: the fixtures are AdmissionReviews this repository wrote (real API server output).
  return JSON.parse(readFileSync(new URL(name, fixturesDirectory), 'utf8')) as T;
}

export function reviewRequest(body: unknown, headers: Record<string, string> = {}): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: 'http://127.0.0.1:7071/api/admission',
    headers: { 'content-type': 'application/json', ...headers },
    body: { string: typeof body === 'string' ? body : JSON.stringify(body) },
  });
}

export interface LogLine {
  readonly level: string;
  readonly text: string;
}

/** An InvocationContext whose log lines are kept for assertions instead of printed. */
export function recordingContext(): { context: InvocationContext; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const context = new InvocationContext({
    invocationId: 'test-invocation',
    functionName: 'admission',
    logHandler: (level, ...args) => lines.push({ level, text: args.map(String).join(' ') }),
  });
  return { context, lines };
}
