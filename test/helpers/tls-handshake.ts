// Serves a certificate pair from a directory and connects to it with a client that
// trusts only that directory's ca.crt: resolves with the served certificate's serial.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect, type SecureVersion } from 'node:tls';

export function handshakeWith(directory: string, servername: string): Promise<string> {
  const server = createServer({
    cert: readFileSync(join(directory, 'tls.crt')),
    key: readFileSync(join(directory, 'tls.key')),
  });
  return new Promise((resolve, reject) => {
    server.listen(0, '127.0.0.1', () => {
      const socket = connect({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        servername,
        ca: readFileSync(join(directory, 'ca.crt')),
      });
      socket.once('secureConnect', () => {
        resolve(socket.getPeerCertificate().serialNumber);
        socket.end();
        server.close();
      });
      socket.once('error', (error) => {
        server.close();
        reject(error);
      });
    });
  });
}

export interface Negotiated {
  readonly protocol: string | null;
  readonly cipher: string;
  readonly serial: string;
}

/**
 * Connects to a TLS server offering only `offer` (cipher suites, protocol range);
 * resolves with what was negotiated, or rejects with the handshake error.
 */
export function negotiate(
  server: { readonly port: number; readonly ca: string; readonly servername: string },
  offer: { readonly ciphers?: string; readonly minVersion?: SecureVersion; readonly maxVersion?: SecureVersion },
): Promise<Negotiated> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', ...server, ...offer });
    socket.once('secureConnect', () => {
      const negotiated = {
        protocol: socket.getProtocol(),
        cipher: socket.getCipher().name,
        serial: socket.getPeerCertificate().serialNumber,
      };
      socket.end();
      resolve(negotiated);
    });
    socket.once('error', reject);
  });
}
