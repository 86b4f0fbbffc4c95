// Real AdmissionReview bodies (test/fixtures) and ways to send them to the handler.
import { readFileSync } from 'node:fs';
import { HttpRequest, InvocationContext } from '@azure/functions';

const fixturesDirectory = new URL('../fixtures/', import.meta.url);

/** A fresh, mutable copy of a fixture, so a test can change a field without leaking. */
export function loadFixture(name: string): any {
  return JSON.parse(readFileSync(new URL(name, fixturesDirectory), 'utf8'));
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
