// CLIENT_CA_FILE: with it, only a caller presenting a certificate from that CA gets
// past the handshake (what a self-managed API server can present); without it, any
// caller may connect, as every other proxy test does.
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority, type IssuedPair } from '../../certs/issue-certificates.js';
import { issueClientCertificate } from '../helpers/client-certificate.js';
import { loadFixture } from '../helpers/fixtures.js';
import {
  type Certificates,
  type FakeFunction,
  makeCertificates,
  type RunningProxy,
  serviceName,
  startFakeFunction,
  startProxy,
} from '../helpers/proxy-harness.js';

const review = JSON.stringify(loadFixture('v1-create-deployment-2-replicas.json'));

/** The status of one review sent with `client` as the client certificate, or the error's code. */
function sendAs(running: RunningProxy, ca: string, client: IssuedPair | undefined): Promise<number | string> {
  return new Promise((resolve) => {
    const call = request(
      {
        host: '127.0.0.1',
        port: running.port,
        servername: serviceName,
        ca,
        ...(client ? { cert: client.cert, key: client.key } : {}),
        agent: false,
        method: 'POST',
        path: '/admission?timeout=10s',
        headers: { 'content-type': 'application/json' },
        timeout: 5000,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    call.on('error', (error) => resolve('code' in error ? String(error.code) : error.message));
    call.on('timeout', () => call.destroy(new Error('timeout')));
    call.end(review);
  });
}

let certs: Certificates;
let upstream: FakeFunction;
let apiServerClient: IssuedPair;
let otherClient: IssuedPair;
let withMutualTls: RunningProxy;
let withoutMutualTls: RunningProxy;

beforeAll(async () => {
  certs = await makeCertificates();
  upstream = await startFakeFunction();
  const clientCa = await createCertificateAuthority('api server clients', 1);
  const otherCa = await createCertificateAuthority('someone else', 1);
  apiServerClient = await issueClientCertificate(clientCa, 'kube-apiserver');
  otherClient = await issueClientCertificate(otherCa, 'kube-apiserver');
  const clientCaFile = join(certs.directory, 'client-ca.crt');
  writeFileSync(clientCaFile, clientCa.cert);
  withMutualTls = await startProxy(certs, upstream, { CLIENT_CA_FILE: clientCaFile });
  withoutMutualTls = await startProxy(certs, upstream);
});

afterAll(async () => {
  await Promise.all([withMutualTls.proxy.shutdown(), withoutMutualTls.proxy.shutdown()]);
  await upstream.close();
});

describe('mutual TLS (CLIENT_CA_FILE)', () => {
  it('relays a review from a caller with a certificate from the client CA', async () => {
    const before = upstream.seen.length;
    expect(await sendAs(withMutualTls, certs.ca.cert, apiServerClient)).toBe(200);
    expect(upstream.seen).toHaveLength(before + 1);
  });

  it.each([
    ['no certificate', () => undefined],
    ['a certificate from another CA', () => otherClient],
  ])('refuses a caller with %s in the handshake: nothing reaches the function', async (_sentence, client) => {
    const before = upstream.seen.length;
    const answer = await sendAs(withMutualTls, certs.ca.cert, client());
    expect(typeof answer).toBe('string'); // a TLS or connection error, never an HTTP status
    expect(upstream.seen).toHaveLength(before);
  });

  it('without CLIENT_CA_FILE, asks no certificate of anyone', async () => {
    expect(await sendAs(withoutMutualTls, certs.ca.cert, undefined)).toBe(200);
    expect(await sendAs(withoutMutualTls, certs.ca.cert, otherClient)).toBe(200);
  });
});
