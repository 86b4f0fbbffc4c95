// The TLS the API server is offered: TLS 1.3 with Node's default suites, and TLS 1.2
// with ECDHE and AEAD ciphers only (AES-GCM, ChaCha20-Poly1305). A client that offers
// only CBC or SHA-1 MAC suites is refused, at start and after a certificate reload.
// The test certificates are ECDSA P-256, so the suites offered are the ECDSA ones.
import { describe, expect, it, vi } from 'vitest';
import { serviceName } from '../helpers/proxy-harness.js';
import { proxyForThisFile } from '../helpers/proxy-under-test.js';
import { negotiate } from '../helpers/tls-handshake.js';

const under = proxyForThisFile();
const server = () => ({ port: under.running.port, ca: under.certs.ca.cert, servername: serviceName });
const tls12 = { maxVersion: 'TLSv1.2' } as const;

describe('TLS suites', () => {
  it('speaks TLS 1.3 to a client that offers it', async () => {
    const negotiated = await negotiate(server(), {});
    expect(negotiated.protocol).toBe('TLSv1.3');
    expect(negotiated.cipher).toMatch(/^TLS_(AES_(128|256)_GCM|CHACHA20_POLY1305)_SHA(256|384)$/);
  });

  it.each(['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305'])(
    'accepts a TLS 1.2 client offering only %s',
    async (suite) => {
      const negotiated = await negotiate(server(), { ...tls12, ciphers: suite });
      expect(negotiated).toMatchObject({ protocol: 'TLSv1.2', cipher: suite });
    },
  );

  it.each([
    ['a CBC suite with a SHA-1 MAC', 'ECDHE-ECDSA-AES128-SHA'],
    ['a CBC suite with a SHA-256 MAC', 'ECDHE-ECDSA-AES128-SHA256'],
    ['a CBC suite with a SHA-384 MAC', 'ECDHE-ECDSA-AES256-SHA384'],
  ])('refuses a TLS 1.2 client offering only %s', async (_what, suite) => {
    await expect(negotiate(server(), { ...tls12, ciphers: suite })).rejects.toThrow(
      /handshake failure|no shared cipher/i,
    );
  });

  it('keeps the same suites on a reloaded certificate', async () => {
    const before = (await negotiate(server(), {})).serial;
    await under.certs.rotate();
    await vi.waitFor(async () => expect((await negotiate(server(), {})).serial).not.toBe(before), { timeout: 3000 });
    await expect(negotiate(server(), { ...tls12, ciphers: 'ECDHE-ECDSA-AES128-SHA' })).rejects.toThrow(
      /handshake failure|no shared cipher/i,
    );
    const negotiated = await negotiate(server(), { ...tls12, ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
    expect(negotiated).toMatchObject({ protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
  });
});
