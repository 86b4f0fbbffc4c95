// Hostile input to the proxy: random HTTP framing (methods, paths, headers, lengths
// that lie, garbage bodies) over real TLS, and mutated reviews. The proxy answers with
// a status line or closes the connection; it never crashes or hangs, and a normal
// review afterwards still works.

import { connect } from 'node:tls';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../helpers/fixtures.js';
import { send, serviceName } from '../helpers/proxy-harness.js';
import { proxyForThisFile } from '../helpers/proxy-under-test.js';

const runs = Number(process.env.RESILIENCE_FUZZ_RUNS ?? 150);
const under = proxyForThisFile({ HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000' });

/** Writes raw bytes on a TLS connection; resolves with what came back before it closed. */
function exchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port: under.running.port,
      servername: serviceName,
      ca: under.certs.ca.cert,
    });
    let received = '';
    const timer = setTimeout(() => reject(new Error('the proxy neither answered nor closed within 5 s')), 5000);
    socket.on('data', (chunk: Buffer) => {
      received += String(chunk);
      if (/\r\n\r\n/.test(received)) socket.end(); // one answer is enough
    });
    socket.on('error', () => {}); // a reset is an acceptable way to refuse
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.once('secureConnect', () => socket.end(bytes));
  });
}

const token = fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/);
const headerValue = fc.string({ maxLength: 40 }).map((value) => value.replace(/[\r\n]/g, ' '));

describe('the proxy under random HTTP framing', () => {
  it('answers with a status line, or closes, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'BREW'),
        fc.constantFrom(
          '/admission',
          '/admission?timeout=1s',
          '/admission?timeout=zz',
          '/',
          '//admission',
          '/healthz',
          '/%00',
          '/admission/../metrics',
        ),
        fc.array(fc.tuple(token, headerValue), { maxLength: 6 }),
        fc.option(fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', ''), {
          nil: undefined,
        }),
        fc.option(fc.integer({ min: -5, max: 20_000_000 }), { nil: undefined }),
        fc.oneof(fc.string({ maxLength: 300 }), fc.json({ maxDepth: 3 })),
        async (method, path, headers, contentType, length, body) => {
          const lines = [
            `${method} ${path} HTTP/1.1`,
            'host: proxy',
            ...headers.map(([name, value]) => `x-${name}: ${value}`),
          ];
          if (contentType !== undefined) lines.push(`content-type: ${contentType}`);
          if (length !== undefined) lines.push(`content-length: ${length}`);
          const received = await exchange(`${lines.join('\r\n')}\r\n\r\n${body}`);
          expect(received === '' || /^HTTP\/1\.1 \d{3} /.test(received)).toBe(true);
        },
      ),
      { numRuns: runs },
    );
    const healthy = await send(under.running, under.certs.ca.cert, {
      body: JSON.stringify(loadFixture('v1-create-deployment-3-replicas.json')),
    });
    expect(healthy.json().response.allowed).toBe(true);
  }, 120_000);

  // A mutation that leaves no uid (or no known apiVersion, or another kind) gets the
  // proxy's own 400 INVALID_REVIEW: it is not sent to the function, whose answer the
  // proxy could not check.
  it('answers mutated reviews well-formed for their uid, or with 400 when they have none', async () => {
    const template = loadFixture<{ request: { [field: string]: unknown }; [field: string]: unknown }>(
      'v1-update-deployment-image.json',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('apiVersion', 'kind', 'request', 'uid'),
        fc.jsonValue({ maxDepth: 2 }),
        async (field, value) => {
          const review: Record<string, unknown> = structuredClone(template);
          if (field === 'uid') review.request = { ...template.request, uid: value };
          else review[field] = value;
          const answer = await send(under.running, under.certs.ca.cert, { body: JSON.stringify(review) });
          if (answer.status === 200) expect(answer.json().kind).toBe('AdmissionReview');
          else expect(answer.text).toMatch(/^INVALID_REVIEW: /);
        },
      ),
      { numRuns: Math.min(runs, 100) },
    );
  }, 120_000);
});
