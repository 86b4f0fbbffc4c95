// npm run certs, as a user runs it (the built CLI), checked with a real TLS client.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { handshakeWith } from '../helpers/tls-handshake.js';

const cli = fileURLToPath(new URL('../../dist/certs/main.js', import.meta.url));
const run = (args: string[]) =>
  promisify(execFile)(process.execPath, [cli, ...args], { timeout: 20_000 }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );

describe('npm run certs', () => {
  const base = ['--service', 'admission-proxy', '--namespace', 'admission-system'];

  it('writes a CA and a serving certificate that a TLS client accepts for <svc>.<ns>.svc', async () => {
    const out = mkdtempSync(join(tmpdir(), 'certs-'));
    const result = await run([...base, '--out', out, '--ip', '127.0.0.1']);
    expect(result.code).toBe(0);
    await expect(handshakeWith(out, 'admission-proxy.admission-system.svc')).resolves.toMatch(/^[0-9A-F]+$/);
    const serving = new X509Certificate(readFileSync(join(out, 'tls.crt')));
    expect(serving.subjectAltName).toBe(
      'DNS:admission-proxy, DNS:admission-proxy.admission-system, DNS:admission-proxy.admission-system.svc, DNS:admission-proxy.admission-system.svc.cluster.local, IP Address:127.0.0.1',
    );
    expect(serving.checkIssued(new X509Certificate(readFileSync(join(out, 'ca.crt'))))).toBe(true);
    expect(statSync(join(out, 'tls.key')).mode & 0o077).toBe(0);
    expect(result.stdout).toContain(`caBundle: ${readFileSync(join(out, 'ca.crt')).toString('base64')}`);
  });

  it('refuses a name the certificate would not match', async () => {
    const out = mkdtempSync(join(tmpdir(), 'certs-'));
    await run([...base, '--out', out]);
    await expect(handshakeWith(out, 'other.admission-system.svc')).rejects.toThrow(
      /does not match certificate's altnames/,
    );
  });

  it('uses ECDSA P-256 and lets the CA outlive the serving certificate', async () => {
    const out = mkdtempSync(join(tmpdir(), 'certs-'));
    await run([...base, '--out', out, '--days', '30', '--ca-days', '90']);
    const ca = new X509Certificate(readFileSync(join(out, 'ca.crt')));
    const serving = new X509Certificate(readFileSync(join(out, 'tls.crt')));
    expect(serving.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(ca.ca).toBe(true);
    expect(serving.ca).toBe(false);
    expect(new Date(ca.validTo).getTime()).toBeGreaterThan(new Date(serving.validTo).getTime());
  });

  it('does not overwrite existing files without --force', async () => {
    const out = mkdtempSync(join(tmpdir(), 'certs-'));
    await run([...base, '--out', out]);
    const before = readFileSync(join(out, 'ca.crt'), 'utf8');
    const again = await run([...base, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exist');
    expect(readFileSync(join(out, 'ca.crt'), 'utf8')).toBe(before);
  });

  it('renews the serving certificate under the same CA, so the caBundle stays valid', async () => {
    const out = mkdtempSync(join(tmpdir(), 'certs-'));
    await run([...base, '--out', out]);
    const ca = readFileSync(join(out, 'ca.crt'), 'utf8');
    const first = await handshakeWith(out, 'admission-proxy.admission-system.svc');
    expect((await run([...base, '--out', out, '--renew'])).code).toBe(0);
    expect(readFileSync(join(out, 'ca.crt'), 'utf8')).toBe(ca);
    const second = await handshakeWith(out, 'admission-proxy.admission-system.svc');
    expect(second).not.toBe(first);
  });

  describe('--reuse', () => {
    const read = (out: string) =>
      Object.fromEntries(readdirSync(out).map((name) => [name, readFileSync(join(out, name), 'utf8')]));

    it('makes the CA and serving certificate when the directory has none', async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'certs-')), 'new');
      const result = await run([...base, '--out', out, '--reuse', '--dns', 'localhost', '--ip', '127.0.0.1']);
      expect(result.code).toBe(0);
      expect(readdirSync(out).sort()).toEqual(['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
      await expect(handshakeWith(out, 'localhost')).resolves.toMatch(/^[0-9A-F]+$/);
    });

    it('keeps an existing CA and serving certificate, writing nothing, and prints the same caBundle', async () => {
      const out = mkdtempSync(join(tmpdir(), 'certs-'));
      const first = await run([...base, '--out', out]);
      const before = read(out);
      const again = await run([...base, '--out', out, '--reuse']);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`using certificates in ${out}`);
      expect(read(out)).toEqual(before);
      const caBundle = /^caBundle: .*$/m.exec(first.stdout)?.[0];
      expect(caBundle).toBeDefined();
      expect(again.stdout).toContain(caBundle);
    });

    it('issues a serving certificate under the CA that is there when only the CA is', async () => {
      const out = mkdtempSync(join(tmpdir(), 'certs-'));
      await run([...base, '--out', out]);
      const ca = readFileSync(join(out, 'ca.crt'), 'utf8');
      rmSync(join(out, 'tls.crt'));
      rmSync(join(out, 'tls.key'));
      const result = await run([...base, '--out', out, '--reuse']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('wrote tls.crt, tls.key');
      expect(readFileSync(join(out, 'ca.crt'), 'utf8')).toBe(ca);
      await expect(handshakeWith(out, 'admission-proxy.admission-system.svc')).resolves.toBeTruthy();
    });

    it('refuses a serving certificate without its CA, naming what is missing and changing nothing', async () => {
      const out = mkdtempSync(join(tmpdir(), 'certs-'));
      await run([...base, '--out', out]);
      rmSync(join(out, 'ca.crt'));
      const before = read(out);
      const result = await run([...base, '--out', out, '--reuse']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('but not ca.crt');
      expect(read(out)).toEqual(before);
    });
  });

  it.each([
    [
      'a service name that is not a DNS label',
      ['--service', 'Admission_Proxy', '--namespace', 'ns', '--out', '/tmp/x'],
      /--service: expected a DNS-1123 label/,
    ],
    ['a missing namespace', ['--service', 'svc', '--out', '/tmp/x'], /--namespace: Invalid input/],
    ['an unknown flag', [...base, '--out', '/tmp/x', '--colour'], /Unknown option '--colour'/],
    ['--force with --renew', [...base, '--out', '/tmp/x', '--force', '--renew'], /choose one/],
    ['--reuse with --force', [...base, '--out', '/tmp/x', '--reuse', '--force'], /choose one/],
  ])('refuses %s with usage', async (_what, args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('usage: npm run certs');
  });
});
