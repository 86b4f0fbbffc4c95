// A CA and serving certificates for the proxy, made with @peculiar/x509 on Node's
// WebCrypto: no openssl needed. ECDSA P-256. The API server checks subjectAltName
// only (never the Common Name), so every name the proxy is called by goes there.
// Node's global Web Crypto (`crypto`, Node 20+) is the one the library is given.
import type { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import 'reflect-metadata'; // the polyfill @peculiar/x509's injector (tsyringe) needs; must load first
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(crypto);

const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const algorithm = { ...keyAlgorithm, hash: 'SHA-256' } as const;
const dayMs = 24 * 60 * 60 * 1000;

export interface IssuedPair {
  /** PEM certificate. */
  readonly cert: string;
  /** PEM PKCS#8 private key. */
  readonly key: string;
}

export interface CertificateAuthority extends IssuedPair {
  readonly keys: webcrypto.CryptoKeyPair;
  readonly certificate: x509.X509Certificate;
}

export interface ServingCertificateRequest {
  readonly commonName: string;
  /** DNS names and IP addresses, all of which go into subjectAltName. */
  readonly names: readonly string[];
  readonly validDays: number;
  readonly now?: Date;
}

export async function createCertificateAuthority(
  commonName: string,
  validDays: number,
  now = new Date(),
): Promise<CertificateAuthority> {
  const keys = await crypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now.getTime() - 5 * 60 * 1000), // tolerate clock skew
    notAfter: new Date(now.getTime() + validDays * dayMs),
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { keys, certificate, cert: certificate.toString('pem'), key: await exportKey(keys.privateKey) };
}

export async function issueServingCertificate(
  ca: CertificateAuthority,
  request: ServingCertificateRequest,
): Promise<IssuedPair> {
  const now = request.now ?? new Date();
  const keys = await crypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']);
  const altNames = request.names.map((name) => ({ type: isIP(name) ? 'ip' : 'dns', value: name }) as const);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${request.commonName}`,
    issuer: ca.certificate.subject,
    notBefore: new Date(now.getTime() - 5 * 60 * 1000),
    notAfter: new Date(now.getTime() + request.validDays * dayMs),
    signingAlgorithm: algorithm,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(altNames),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  return { cert: certificate.toString('pem'), key: await exportKey(keys.privateKey) };
}

/** Reads back a CA written by this tool (ECDSA P-256, PKCS#8 key) to sign new certificates. */
export async function loadCertificateAuthority(cert: string, key: string): Promise<CertificateAuthority> {
  const certificate = new x509.X509Certificate(cert);
  const der = Buffer.from(key.replace(/-----(BEGIN|END) PRIVATE KEY-----|\s/g, ''), 'base64');
  const privateKey = await crypto.subtle.importKey('pkcs8', der, keyAlgorithm, true, ['sign']);
  const publicKey = await certificate.publicKey.export(keyAlgorithm, ['verify'], crypto);
  return { keys: { privateKey, publicKey }, certificate, cert, key };
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive
  return Buffer.from(bytes).toString('hex');
}
